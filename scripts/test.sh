#!/usr/bin/env bash
# The README's test command: set up the real parts (Docker engine, test image, registries), then run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
dotnet test GitOrch.sln -c Release --logger "console;verbosity=normal" "$@"
