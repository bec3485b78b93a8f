#!/usr/bin/env bash
# Installs and starts what GitOrch's tests need on a Debian machine, as root. Idempotent: every step checks
# first and does nothing when its piece is already there, so CI, developers and several concurrent callers
# can all run it (a lock serialises them).
#
#   - Debian packages: docker.io, busybox-static, docker-registry, git, docker-compose, apache2-utils
#   - dockerd with host networking only (no bridge, no iptables): the sandbox has no netfilter to spare
#   - test image gitorch-test/busybox:latest, built by `docker import` from busybox-static (no registry needed)
#   - Debian's docker-registry on 127.0.0.1:5000 (open) and 127.0.0.1:5001 (basic auth gitorch/gitorch-pass),
#     both holding gitorch-test/busybox:latest
#   - PowerShell 7.6.9 (the `PowerShell` .NET global tool, in ~/.dotnet/tools) and Pester 5.7.1 (unpacked from
#     its NuGet package into pwsh's user module folder), which run the module's Pester tests
#   - Debian's kubectl 1.20 (package kubernetes-client), unpacked with `apt-get download` + `dpkg -x` into
#     $STATE_DIR/kubectl-1.20/ (NOT installed: it would clash with the current kubectl on PATH); the kubectl tests
#     run both
set -euo pipefail

STATE_DIR="${GITORCH_SETUP_DIR:-/var/lib/gitorch-setup}"
LOG_DIR="$STATE_DIR/log"
TEST_IMAGE="gitorch-test/busybox:latest"
REGISTRY_OPEN="127.0.0.1:5000"
REGISTRY_AUTH="127.0.0.1:5001"
REGISTRY_USER="gitorch"
REGISTRY_PASSWORD="gitorch-pass"
DOCKER_WAIT_S="${GITORCH_DOCKER_WAIT_S:-90}"
PWSH_VERSION="7.6.9"
PESTER_VERSION="5.7.1"
DOTNET_TOOLS="$HOME/.dotnet/tools"

say() { echo "setup: $*"; }
die() { echo "setup: ERROR: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (installs packages and starts dockerd)"
mkdir -p "$STATE_DIR" "$LOG_DIR"

# Several helpers / test runs may call this at once; one at a time avoids two dockerds or two apt runs.
exec 9>"$STATE_DIR/setup.lock"
flock -w 300 9 || die "another setup.sh holds $STATE_DIR/setup.lock for too long"

# ---------------------------------------------------------------- packages
install_packages() {
    local wanted=(docker.io busybox-static docker-registry git docker-compose apache2-utils curl unzip)
    local missing=()
    for p in "${wanted[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if [ "${#missing[@]}" -eq 0 ]; then
        say "packages present"
        return
    fi
    say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # Debian's docker.io postinst tries to start the service through systemd/sysv; in containers that
    # fails harmlessly, so policy-rc.d keeps it from trying at all.
    local policy=/usr/sbin/policy-rc.d created_policy=0
    if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod +x "$policy"; created_policy=1; fi
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
    if [ "$created_policy" = 1 ]; then rm -f "$policy"; fi
}

# ---------------------------------------------------------------- dockerd
docker_ok() { timeout 10 docker info >/dev/null 2>&1; }

start_dockerd() {
    if docker_ok; then
        say "dockerd running"
        return
    fi
    # A stale pid file from a killed dockerd makes the next one refuse to start.
    if [ -f /var/run/docker.pid ] && ! kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null; then
        rm -f /var/run/docker.pid
    fi
    if ! pgrep -x dockerd >/dev/null 2>&1; then
        say "starting dockerd (log: $LOG_DIR/dockerd.log)"
        setsid nohup dockerd --bridge=none --iptables=false --ip-forward=false --ip-masq=false \
            >>"$LOG_DIR/dockerd.log" 2>&1 </dev/null 9>&- &
    else
        say "dockerd process exists but does not answer yet; waiting"
    fi
    local deadline=$((SECONDS + DOCKER_WAIT_S))
    until docker_ok; do
        if [ "$SECONDS" -ge "$deadline" ]; then
            tail -n 40 "$LOG_DIR/dockerd.log" >&2 || true
            die "docker info still fails after ${DOCKER_WAIT_S}s"
        fi
        sleep 0.5
    done
    say "dockerd ready"
}

# ---------------------------------------------------------------- test image
build_test_image() {
    if docker image inspect "$TEST_IMAGE" >/dev/null 2>&1; then
        say "image $TEST_IMAGE present"
        return
    fi
    say "building $TEST_IMAGE from busybox-static"
    local root
    root="$(mktemp -d)"
    mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/root" "$root/var/www" "$root/proc" "$root/sys" "$root/dev"
    chmod 1777 "$root/tmp"
    cp /bin/busybox "$root/bin/busybox"
    # One symlink per applet busybox was built with (sh, sleep, httpd, nc, wget, cat, echo, ...).
    local applet
    for applet in $(/bin/busybox --list); do
        [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
    done
    printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
    printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
    printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"
    tar -C "$root" -c . | docker import \
        -c 'ENV PATH=/bin' -c 'CMD ["/bin/sh"]' -c 'WORKDIR /' \
        -m "busybox-static test image for GitOrch" - "$TEST_IMAGE" >/dev/null
    rm -rf "$root"
}

# ---------------------------------------------------------------- registries
registry_status() { curl -s -o /dev/null -w '%{http_code}' --max-time 3 "http://$1/v2/" 2>/dev/null || true; }

start_registry() { # name addr expect_code [htpasswd-file]
    local name="$1" addr="$2" expect="$3" htpasswd="${4:-}"
    if [ "$(registry_status "$addr")" = "$expect" ]; then
        say "registry $name on $addr running"
        return
    fi
    local dir="$STATE_DIR/registry-$name"
    mkdir -p "$dir/data"
    {
        echo "version: 0.1"
        echo "log: {level: warn}"
        echo "storage:"
        echo "  filesystem: {rootdirectory: $dir/data}"
        echo "  delete: {enabled: true}"
        echo "http:"
        echo "  addr: $addr"
        if [ -n "$htpasswd" ]; then
            echo "auth:"
            echo "  htpasswd: {realm: gitorch-test, path: $htpasswd}"
        fi
    } >"$dir/config.yml"
    say "starting registry $name on $addr (log: $LOG_DIR/registry-$name.log)"
    setsid nohup docker-registry serve "$dir/config.yml" >>"$LOG_DIR/registry-$name.log" 2>&1 </dev/null 9>&- &
    local deadline=$((SECONDS + 30))
    until [ "$(registry_status "$addr")" = "$expect" ]; do
        [ "$SECONDS" -lt "$deadline" ] || { tail -n 20 "$LOG_DIR/registry-$name.log" >&2; die "registry $name did not answer on $addr"; }
        sleep 0.2
    done
}

push_test_image() { # addr [user password]
    local addr="$1" user="${2:-}" password="${3:-}"
    local ref="$addr/$TEST_IMAGE" code
    local auth=()
    [ -z "$user" ] || auth=(-u "$user:$password")
    # The manifest answers 200 when the image is already there: nothing to push.
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "${auth[@]}" \
        -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
        "http://$addr/v2/gitorch-test/busybox/manifests/latest" || true)"
    if [ "$code" = 200 ]; then
        say "$ref present"
        return
    fi
    say "pushing $ref"
    docker tag "$TEST_IMAGE" "$ref"
    # A throwaway client config keeps the credentials out of root's ~/.docker, so tests that expect
    # "no credentials -> 401" stay honest.
    local cfg
    cfg="$(mktemp -d)"
    if [ -n "$user" ]; then
        printf '%s' "$password" | docker --config "$cfg" login "$addr" -u "$user" --password-stdin >/dev/null 2>&1 || die "docker login $addr failed"
    fi
    docker --config "$cfg" push "$ref" >/dev/null
    rm -rf "$cfg"
}

# ---------------------------------------------------------------- pwsh + Pester
install_pwsh() {
    if [ -x "$DOTNET_TOOLS/pwsh" ] && [ "$("$DOTNET_TOOLS/pwsh" -NoLogo -NoProfile -Command '$PSVersionTable.PSVersion.ToString()' 2>/dev/null)" = "$PWSH_VERSION" ]; then
        say "pwsh $PWSH_VERSION present"
        return
    fi
    command -v dotnet >/dev/null || die "the .NET SDK is needed to install pwsh (dotnet tool install)"
    say "installing pwsh $PWSH_VERSION (dotnet global tool PowerShell, in $DOTNET_TOOLS)"
    if [ -x "$DOTNET_TOOLS/pwsh" ]; then
        dotnet tool update --global PowerShell --version "$PWSH_VERSION" >/dev/null
    else
        dotnet tool install --global PowerShell --version "$PWSH_VERSION" >/dev/null
    fi
}

install_pester() {
    # Where pwsh looks for modules of the current user: `Import-Module Pester` finds it without a path.
    local modules="${XDG_DATA_HOME:-$HOME/.local/share}/powershell/Modules"
    local dest="$modules/Pester/$PESTER_VERSION"
    if [ -f "$dest/Pester.psd1" ]; then
        say "Pester $PESTER_VERSION present"
        return
    fi
    say "installing Pester $PESTER_VERSION from NuGet into $dest"
    local tmp
    tmp="$(mktemp -d)"
    curl -sSfL --retry 3 -o "$tmp/pester.nupkg" \
        "https://api.nuget.org/v3-flatcontainer/pester/$PESTER_VERSION/pester.$PESTER_VERSION.nupkg" \
        || die "could not download Pester $PESTER_VERSION from api.nuget.org"
    # The package's tools/ folder is the module (tools/Pester.psd1).
    mkdir -p "$tmp/pkg" "$dest"
    (cd "$tmp/pkg" && unzip -q "$tmp/pester.nupkg" 'tools/*')
    cp -r "$tmp/pkg/tools/." "$dest/"
    rm -rf "$tmp"
}

# ---------------------------------------------------------------- kubectl 1.20 (unpacked, not installed)
unpack_kubectl_120() {
    local dest="$STATE_DIR/kubectl-1.20"
    if [ -x "$dest/usr/bin/kubectl" ]; then
        say "kubectl 1.20 present in $dest"
        return
    fi
    say "unpacking Debian's kubernetes-client (kubectl 1.20) into $dest (apt-get download + dpkg -x, not installed)"
    local tmp
    tmp="$(mktemp -d)"
    if ! (cd "$tmp" && apt-get download -qq kubernetes-client >/dev/null 2>&1); then
        apt-get update -qq
        (cd "$tmp" && apt-get download -qq kubernetes-client) || die "apt-get download kubernetes-client failed"
    fi
    mkdir -p "$dest"
    dpkg -x "$tmp"/kubernetes-client_*.deb "$dest"
    rm -rf "$tmp"
    "$dest/usr/bin/kubectl" version --client >/dev/null 2>&1 || die "$dest/usr/bin/kubectl does not run"
}

install_packages
install_pwsh
install_pester
unpack_kubectl_120
start_dockerd
build_test_image
mkdir -p "$STATE_DIR/registry-auth"
if [ ! -s "$STATE_DIR/registry-auth/htpasswd" ]; then
    # docker-registry only accepts bcrypt entries.
    htpasswd -Bbn "$REGISTRY_USER" "$REGISTRY_PASSWORD" >"$STATE_DIR/registry-auth/htpasswd"
fi
start_registry open "$REGISTRY_OPEN" 200
start_registry auth "$REGISTRY_AUTH" 401 "$STATE_DIR/registry-auth/htpasswd"
push_test_image "$REGISTRY_OPEN"
push_test_image "$REGISTRY_AUTH" "$REGISTRY_USER" "$REGISTRY_PASSWORD"
say "done: pwsh $PWSH_VERSION + Pester $PESTER_VERSION, image $TEST_IMAGE, registries $REGISTRY_OPEN (open) and $REGISTRY_AUTH (basic auth $REGISTRY_USER)"
