#!/usr/bin/env bash
# Remakes models/ssd_mobilenetv1.onnx from face-api.js's SSD MobileNet v1 face detector weights (MIT), as published on
# npm in @vladmandic/face-api 1.7.15 (model/ssd_mobilenetv1_model-weights_manifest.json and its .bin shard).
# Usage: bash build/convert-ssd-detector.sh [OUT.onnx]   (default: models/ssd_mobilenetv1.onnx)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-models/ssd_mobilenetv1.onnx}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent @vladmandic/face-api@1.7.15 >/dev/null)
tar -xzf "$work"/vladmandic-face-api-1.7.15.tgz -C "$work" \
    package/model/ssd_mobilenetv1_model-weights_manifest.json package/model/ssd_mobilenetv1_model.bin package/LICENSE
dotnet build src/Face2Data.Cli -c Release --nologo -v quiet >/dev/null
dotnet src/Face2Data.Cli/bin/Release/net10.0/linux-x64/Face2Data.Cli.dll detector convert \
    --weights "$work/package/model/ssd_mobilenetv1_model-weights_manifest.json" --out "$out"
sha256sum "$out"
