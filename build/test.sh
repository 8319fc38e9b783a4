#!/usr/bin/env bash
# Runs the whole test suite: installs missing system packages, builds in Release, runs every test project, and
# prints one closing line "N passed, N failed". Exits non-zero when anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."

bash build/setup-system.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet build Face2Data.slnx -c Release -warnaserror 2>&1 | tail -n 3
dotnet test Face2Data.slnx -c Release --no-build 2>&1 | tee "$log" || status=$?

# "Passed!  - Failed:     0, Passed:    33, Skipped:     0, Total:    33" per test project → one total line.
read -r passed failed skipped < <(awk -F'[:,]' '/(Passed|Failed)! +- Failed:/ {f+=$2; p+=$4; s+=$6} END {print p+0, f+0, s+0}' "$log")
echo "Tests: $passed passed, $failed failed, $skipped skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
    exit 1
fi
