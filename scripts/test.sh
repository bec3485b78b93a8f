#!/usr/bin/env bash
# The README's test command: set up the real parts (Docker engine, test image, registries, pwsh + Pester), run
# every xunit test, then the module's Pester suite in real pwsh against a real Engine with its agent.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PATH:$HOME/.dotnet/tools"   # where setup.sh installs pwsh (dotnet global tool)
log=$(mktemp)
pester_log=$(mktemp)
trap 'rm -f "$log" "$pester_log"' EXIT
status=0
dotnet test GitOrch.sln -c Release --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log" || status=$?
# Pester runs against what dotnet test just built (the Engine executable and artifacts/module); a failure fails
# the script. Its last line is "Pester: N passed, N failed".
pwsh -NoProfile -NonInteractive -File tests/GitOrch.Module.Tests/Invoke-ModuleTests.ps1 2>&1 | tee "$pester_log" || status=$?
# One plain closing line for tools that read it: "N passed, N failed", xunit and Pester together.
# (awk alone, not grep: a grep that finds no "Failed:" line would end the script under pipefail.)
passed=$(awk '/^[[:space:]]+Passed:[[:space:]]+[0-9]+/ {s+=$2} END {print s+0}' "$log")
failed=$(awk '/^[[:space:]]+Failed:[[:space:]]+[0-9]+/ {s+=$2} END {print s+0}' "$log")
pester_passed=$(awk '/^Pester: [0-9]+ passed, [0-9]+ failed/ {p=$2} END {print p+0}' "$pester_log")
pester_failed=$(awk '/^Pester: [0-9]+ passed, [0-9]+ failed/ {f=$4; seen=1} END {print seen ? f+0 : 1}' "$pester_log")
if [ "$pester_failed" != 0 ] && [ "$status" = 0 ]; then status=1; fi
# The failed tests by name, last, so a log cut to its tail still says which failed.
awk '/^[[:space:]]+Failed [A-Za-z]/ {sub(/^[[:space:]]+/, ""); print "xunit " $0}' "$log" | sort -u
sed 's/\x1b\[[0-9;]*m//g' "$pester_log" | grep -E '^\s*\[-\]' | sed 's/^\s*/Pester /' || true
echo "xunit: $passed passed, $failed failed; Pester: $pester_passed passed, $pester_failed failed"
echo "$((passed + pester_passed)) passed, $((failed + pester_failed)) failed"
exit "$status"
