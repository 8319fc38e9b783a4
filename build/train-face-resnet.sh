#!/usr/bin/env bash
# Trains the face-resnet attribute model (issue 19): attribute heads on face-api.js's face recognition ResNet
# (dlib's ResNet-29, public domain; weights from npm, @vladmandic/face-api 1.7.15, MIT), trunk frozen except the
# blocks --model-options names, features cached under ~/.cache/face2data/features. Then exports and evaluates it.
# About 10 minutes on a 2-core VM: 4 passes of the trunk over UTKFace (1 plain, 3 augmented) and 30 epochs of the
# heads on the cached features. Rerunning reuses the cached features.
# Usage: bash build/train-face-resnet.sh [RUN]   (from the repo root; default run folder runs/face-resnet)
set -euo pipefail
cd "$(dirname "$0")/.."
run="runs/${1:-face-resnet}"
DATA=${FACE2DATA_DATA:-../shared/datasets/UTKFace.tar.gz}
F2D=src/Face2Data.Cli/bin/Release/net10.0/linux-x64/Face2Data.Cli.dll
name="face_recognition_model"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent @vladmandic/face-api@1.7.15 >/dev/null)
tar -xzf "$work"/vladmandic-face-api-1.7.15.tgz -C "$work" "package/model/$name-weights_manifest.json" "package/model/$name.bin"
dotnet build src/Face2Data.Cli -c Release --nologo -v quiet >/dev/null
dotnet "$F2D" train-heads --data "$DATA" --backbone "$work/package/model/$name-weights_manifest.json" --out "$run" \
    --model-options '__OPTIONS__' --views 3 --augment flip,shift,zoom,rotate,gray,color,blur,jpeg \
    --epochs 30 --batch-size 256 --lr 1e-3 --weight-decay 1e-4 --label-smoothing 0.1 --regression-loss distribution \
    --threads 2 --seed 42 --test-fraction 0.15 --val-fraction 0.1 --stratify race
dotnet "$F2D" export --checkpoint "$run/best" --out "$run/face2data.onnx" --name face2data-resnet --model-version 0.5.0
dotnet "$F2D" evaluate --model "$run/face2data.onnx" --data "$DATA" --split "$run/split.json" --part test --out "$run/test"
