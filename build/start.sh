#!/usr/bin/env bash
# The main job: installs missing system packages, builds in Release, and serves the REST API and web page with the
# bundled model (models/face2data.onnx) on http://0.0.0.0:8080 (override with FACE2DATA_URLS). Extra arguments go to
# `face2data serve` (e.g. --model other.onnx --detector none).
set -euo pipefail
cd "$(dirname "$0")/.."

bash build/setup-system.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet build src/Face2Data.Cli -c Release 2>&1 | tail -n 3

args=(serve --urls "${FACE2DATA_URLS:-http://0.0.0.0:8080}" --assets models)
dataset=../shared/datasets/UTKFace.tar.gz
[ -f "$dataset" ] && args+=(--dataset "$dataset")
exec dotnet src/Face2Data.Cli/bin/Release/net10.0/linux-x64/Face2Data.Cli.dll "${args[@]}" "$@"
