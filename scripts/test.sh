#!/usr/bin/env bash
# The README's test command: set up the real parts (Docker engine, test image, registries), then run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test GitOrch.sln -c Release --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log" || status=$?
# One plain closing line for tools that read it: "N passed, N failed".
# (awk alone, not grep: a grep that finds no "Failed:" line would end the script under pipefail.)
passed=$(awk '/^[[:space:]]+Passed:[[:space:]]+[0-9]+/ {s+=$2} END {print s+0}' "$log")
failed=$(awk '/^[[:space:]]+Failed:[[:space:]]+[0-9]+/ {s+=$2} END {print s+0}' "$log")
echo "$passed passed, $failed failed"
exit "$status"
