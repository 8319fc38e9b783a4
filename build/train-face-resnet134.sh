#!/usr/bin/env bash
# Reproduces the bundled attribute model, face2data-resnet134 0.7.0 (models/face2data.onnx; issue 19, fourth session):
# six trainings of its graph (134 px ResNet, 96 px age and gender network, heads 128 wide) on one split, seeds 42-45
# with 3 augmented views and seeds 42-43 with 6, which together are the teacher; then the same recipe, seed 42, whose
# loss is half the labels' and half the cross-entropy against the six runs' averaged predictions. About 1.5-2 hours on a
# 2-core VM, alone (each run: its new views at 1-3 min each, then 30 epochs at 15-30 s); reruns reuse cached features.
# Rerun on 2026-12-05 (all but x3, 75 minutes): every validation loss as recorded, D's weights byte for byte the bundled file's.
# Usage: bash build/train-face-resnet134.sh   (from the repo root; runs under runs/resnet-x3*, resnet-x4*, resnet-d)
set -euo pipefail
cd "$(dirname "$0")/.."
options='{"Levels":3,"TrainedBlocks":1,"AgeGenderFeatures":true,"AgeGenderInputSize":96,"Tower":{"Hidden":128,"BatchNorm":false,"Dropout":0.3}}'
split=runs/resnet-x3/split.json
bash build/train-face-resnet.sh resnet-x3 134 face2data-resnet134-x3 0 "$options" 3 0
for seed in 43 44 45; do
  FACE2DATA_SEED=$seed FACE2DATA_SPLIT=$split bash build/train-face-resnet.sh "resnet-x3s$seed" 134 face2data-resnet134-x3s$seed 0 "$options" 3 0
done
FACE2DATA_SPLIT=$split bash build/train-face-resnet.sh resnet-x4 134 face2data-resnet134-x4 0 "$options" 6 0
FACE2DATA_SEED=43 FACE2DATA_SPLIT=$split bash build/train-face-resnet.sh resnet-x4s43 134 face2data-resnet134-x4s43 0 "$options" 6 0
FACE2DATA_SPLIT=$split \
FACE2DATA_TEACHER="runs/resnet-x3/best runs/resnet-x3s43/best runs/resnet-x3s44/best runs/resnet-x3s45/best runs/resnet-x4/best runs/resnet-x4s43/best" \
  bash build/train-face-resnet.sh resnet-d 134 face2data-resnet134 0.7.0 "$options" 3 0
echo "models/face2data.onnx is runs/resnet-d/face2data_resnet134.onnx"
