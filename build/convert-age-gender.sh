#!/usr/bin/env bash
# Remakes models/face_api_age_gender.onnx, a Face2Data attribute model (age, gender) from face-api.js's age and gender
# network weights (MIT), as published on npm in @vladmandic/face-api 1.7.15 (model/age_gender_model-weights_manifest.json
# and its .bin shard). A baseline for comparisons, not the bundled model.
# Usage: bash build/convert-age-gender.sh [OUT.onnx]   (default: models/face_api_age_gender.onnx)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-models/face_api_age_gender.onnx}"
name="age_gender_model"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent @vladmandic/face-api@1.7.15 >/dev/null)
tar -xzf "$work"/vladmandic-face-api-1.7.15.tgz -C "$work" \
    "package/model/$name-weights_manifest.json" "package/model/$name.bin" package/LICENSE
dotnet build src/Face2Data.Cli -c Release --nologo -v quiet >/dev/null
dotnet src/Face2Data.Cli/bin/Release/net10.0/linux-x64/Face2Data.Cli.dll detector convert-age-gender \
    --weights "$work/package/model/$name-weights_manifest.json" --out "$out"
sha256sum "$out"
