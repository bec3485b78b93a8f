#!/usr/bin/env bash
# The README's first command: on a Debian machine with the .NET SDK, set up what is missing, build, start the
# all-in-one Engine with its local Agent on the embedded LiteDB store, and deploy examples/hello from Git.
#
#   scripts/quickstart.sh          set up and run (idempotent: run it again at any time)
#   scripts/quickstart.sh --stop   stop the engine this script started
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DATA="${GITORCH_DATA_DIR:-$HOME/.gitorch}"
LISTEN="${GITORCH_LISTEN:-127.0.0.1:6443}"
SERVER="https://$LISTEN"   # HTTPS only, with the CA the engine makes in $DATA/ca.crt
CA="$DATA/ca.crt"
KUBECONFIG_FILE="$DATA/kubeconfig.yaml"
EXE="$ROOT/Engine/bin/Release/net10.0/gitorch"
PIDFILE="$DATA/gitorch.pid"
HELLO="$ROOT/examples/hello"
SERVICE_URL="http://127.0.0.1:8000/"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
die() { echo "quickstart: $*" >&2; exit 1; }

if [ "${1:-}" = "--stop" ]; then
    if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
        kill "$(cat "$PIDFILE")" && echo "stopped gitorch (pid $(cat "$PIDFILE")); data kept in $DATA" && rm -f "$PIDFILE"
    else
        echo "no gitorch started by this script is running"
    fi
    exit 0
fi

api() { # api METHOD PATH [BODY]: calls the Engine with the admin token
    curl -sS -X "$1" -H "Authorization: Bearer $(cat "$DATA/admin.token")" -H "Content-Type: ${CT:-application/json}" \
        --cacert "$CA" ${3:+--data "$3"} "$SERVER$2"
}

wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...: polls until the command succeeds or the deadline passes
    local seconds=$1 what=$2; shift 2
    local deadline=$((SECONDS + seconds))
    until "$@" >/dev/null 2>&1; do
        [ $SECONDS -lt $deadline ] || die "timed out after ${seconds}s waiting for $what (engine log: $DATA/gitorch.log)"
        sleep 0.5
    done
}

step "1/6 Installing what is missing: Docker engine, git, the busybox test image (scripts/setup.sh)"
bash scripts/setup.sh
command -v jq >/dev/null || { echo "installing jq"; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jq >/dev/null; }

step "2/6 Building GitOrch (dotnet build -c Release)"
dotnet build GitOrch.sln -c Release -nologo -v quiet -clp:ErrorsOnly

step "3/6 Starting the engine with its local agent: data in $DATA, API on $SERVER"
mkdir -p "$DATA"
if [ -f "$CA" ] && curl -sf --cacert "$CA" "$SERVER/healthz" >/dev/null 2>&1; then
    echo "an engine already answers on $SERVER: using it"
else
    nohup "$EXE" server --data-dir "$DATA" --listen "$LISTEN" --with-agent >"$DATA/gitorch.log" 2>&1 &
    echo $! >"$PIDFILE"
    # ca.crt and kubeconfig.yaml are written at start: wait for them, then for /readyz verified against the CA.
    wait_for 60 "the engine to be ready" sh -c "[ -f '$KUBECONFIG_FILE' ] && curl -sf --cacert '$CA' '$SERVER/readyz'"
    echo "engine running (pid $(cat "$PIDFILE")), log in $DATA/gitorch.log"
fi

step "4/6 Making examples/hello a Git repository"
if [ ! -d "$HELLO/.git" ]; then
    git -C "$HELLO" init -q -b main
    git -C "$HELLO" add -A
    git -C "$HELLO" -c user.name=GitOrch -c user.email=quickstart@gitorch.invalid commit -qm "hello: first version"
    echo "created $HELLO/.git with one commit"
else
    git -C "$HELLO" add -A
    git -C "$HELLO" -c user.name=GitOrch -c user.email=quickstart@gitorch.invalid commit -qm "hello: local changes" >/dev/null 2>&1 || true
    echo "already a repository at $(git -C "$HELLO" rev-parse --short HEAD)"
fi
COMMIT=$(git -C "$HELLO" rev-parse HEAD)

step "5/6 Pointing a GitSource at file://$HELLO (branch main) and waiting until commit ${COMMIT:0:7} is applied"
SOURCE=$(jq -n --arg url "file://$HELLO" '{apiVersion:"gitorch.io/v1",kind:"GitSource",metadata:{name:"hello",namespace:"default"},spec:{url:$url,ref:{branch:"main"},interval:"10s"}}')
if api GET /apis/gitorch.io/v1/namespaces/default/gitsources/hello | jq -e '.kind == "GitSource"' >/dev/null; then
    # Kept data from an earlier run may point at another checkout: point it here again, and reconcile now.
    CT=application/merge-patch+json api PATCH /apis/gitorch.io/v1/namespaces/default/gitsources/hello \
        "$(jq --arg at "$(date -u +%FT%TZ)" '{spec: .spec, metadata:{annotations:{"gitorch.io/requestedAt":$at}}}' <<<"$SOURCE")" >/dev/null
else
    api POST /apis/gitorch.io/v1/namespaces/default/gitsources "$SOURCE" >/dev/null
fi
applied() { api GET /apis/gitorch.io/v1/namespaces/default/gitsources/hello | jq -e --arg c "$COMMIT" '.status.lastAppliedCommit == $c' ; }
wait_for 120 "the GitSource to apply $COMMIT" applied
echo "applied: $(api GET /apis/gitorch.io/v1/namespaces/default/gitsources/hello | jq -r '[.status.inventory[]? | "\(.kind)/\(.name)"] | join(", ")')"
running() { api GET "/api/v1/namespaces/default/pods?labelSelector=app%3Dhello" | jq -e '[.items[] | select(.status.phase == "Running" and any(.status.conditions[]?; .type == "Ready" and .status == "True"))] | length >= 1' ; }
wait_for 120 "a Ready hello Pod" running

step "6/6 What is running"
export PATH="$PATH:$HOME/.dotnet/tools"   # setup.sh installs pwsh as a dotnet global tool
if command -v pwsh >/dev/null; then
    # The way GitOrch is meant to be driven; pwsh is not on every machine, so the API is the fallback.
    pwsh -NoLogo -NoProfile -Command "Import-Module ./GitOrch.psd1; Connect-GitOrch -Kubeconfig '$KUBECONFIG_FILE' | Out-Null; Get-GitOrchSource hello | Format-Table; Get-Pod | Format-Table"
else
    api GET "/api/v1/namespaces/default/pods" | jq -r '["NAME","STATUS","NODE","IP"], (.items[] | [.metadata.name, .status.phase, .spec.nodeName, .status.podIP]) | @tsv' | column -t
fi
echo
echo "GET $SERVICE_URL (the hello Service, through the agent's proxy):"
wait_for 30 "the hello Service to answer" curl -sf "$SERVICE_URL"
curl -sS "$SERVICE_URL"

cat <<EOT

GitOrch is running. Next:
  - edit examples/hello/configmap.yaml, commit it in examples/hello, and watch the page change within 10 s
  - PowerShell 7: Import-Module ./GitOrch.psd1; Connect-GitOrch -Kubeconfig $KUBECONFIG_FILE; Get-Pod
  - kubectl: KUBECONFIG=$KUBECONFIG_FILE kubectl get pods   (kubeconfig: $KUBECONFIG_FILE)
  - a pull request's life (plan, preview, merge, undo): pwsh examples/pull-request-flow.ps1
  - API: curl --cacert $CA -H "Authorization: Bearer \$(cat $DATA/admin.token)" $SERVER/api/v1/namespaces/default/pods
Stop it with: scripts/quickstart.sh --stop   (data stays in $DATA)
EOT
