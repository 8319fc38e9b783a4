#!/usr/bin/env bash
# Remakes models/face_landmark_68.onnx from face-api.js's 68-point face landmark network weights (MIT), as published on
# npm in @vladmandic/face-api 1.7.15 (model/face_landmark_68_model-weights_manifest.json and its .bin shard).
# Usage: bash build/convert-landmarks.sh [OUT.onnx] [tiny]   (default: models/face_landmark_68.onnx; "tiny" converts
# face_landmark_68_tiny_model instead)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-models/face_landmark_68.onnx}"
name="face_landmark_68_model"
if [[ "${2:-}" == "tiny" ]]; then name="face_landmark_68_tiny_model"; fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent @vladmandic/face-api@1.7.15 >/dev/null)
tar -xzf "$work"/vladmandic-face-api-1.7.15.tgz -C "$work" \
    "package/model/$name-weights_manifest.json" "package/model/$name.bin" package/LICENSE
dotnet build src/Face2Data.Cli -c Release --nologo -v quiet >/dev/null
dotnet src/Face2Data.Cli/bin/Release/net10.0/linux-x64/Face2Data.Cli.dll detector convert-landmarks \
    --weights "$work/package/model/$name-weights_manifest.json" --out "$out"
sha256sum "$out"
