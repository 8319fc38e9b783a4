#!/usr/bin/env bash
# Remakes models/tiny_face_detector.onnx from face-api.js's Tiny Face Detector weights (MIT), as published on npm in
# @vladmandic/face-api 1.7.15 (model/tiny_face_detector_model-weights_manifest.json and its .bin shard).
# Usage: bash build/convert-tiny-detector.sh [OUT.onnx]   (default: models/tiny_face_detector.onnx)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-models/tiny_face_detector.onnx}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent @vladmandic/face-api@1.7.15 >/dev/null)
tar -xzf "$work"/vladmandic-face-api-1.7.15.tgz -C "$work" \
    package/model/tiny_face_detector_model-weights_manifest.json package/model/tiny_face_detector_model.bin package/LICENSE
dotnet build src/Face2Data.Cli -c Release --nologo -v quiet >/dev/null
dotnet src/Face2Data.Cli/bin/Release/net10.0/linux-x64/Face2Data.Cli.dll detector convert \
    --weights "$work/package/model/tiny_face_detector_model-weights_manifest.json" --out "$out"
sha256sum "$out"
