#!/usr/bin/env bash
# Trains an attribute model of issue 19: heads on face-api.js's face recognition ResNet (dlib's ResNet-29, public
# domain) and face-api.js's age and gender network (TinyXception, MIT), weights from npm (@vladmandic/face-api 1.7.15,
# MIT); both frozen except the ResNet's last block, features cached under ~/.cache/face2data/features. Then exports
# it (trained weights as float16) and evaluates it on UTKFace's test split and the real-photo sets. About 20 minutes
# on a 2-core VM, alone, for the named option face2data-resnet 0.7.0: 7 passes of the trunks over UTKFace (1 plain,
# 6 augmented; about 15 min) and 30 epochs of the last block and heads (about 33 s each). Rerunning reuses the cached
# features.
# Usage: bash build/train-face-resnet.sh [RUN] [SIZE] [NAME] [VERSION] [OPTIONS] [VIEWS] [AVERAGE_FROM]   (from the
# repo root; defaults runs/face-resnet, 150 px, face2data-resnet, 0.7.0, the options below, 6 augmented views and
# weight averaging from epoch 16; the file is RUN/NAME with "-" as "_" and ".onnx"). Environment: FACE2DATA_SEED
# (default 42), FACE2DATA_SPLIT (a run's split.json to reuse), FACE2DATA_TEACHER (checkpoints to distil, with
# --distill 0.5). The bundled model, face2data-resnet134 0.7.0, is distilled from six runs of its graph:
# build/train-face-resnet134.sh (models/face2data/reproduce.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
run="runs/${1:-face-resnet}"
size="${2:-150}"
model="${3:-face2data-resnet}"
version="${4:-0.7.0}"
options='{"Levels":3,"TrainedBlocks":1,"AgeGenderFeatures":true}'
if [[ $# -ge 5 ]]; then options="$5"; fi
views="${6:-6}"
averageFrom="${7:-16}"
file="$run/${model//-/_}.onnx"
seed="${FACE2DATA_SEED:-42}"
extra=()
if [[ -n "${FACE2DATA_SPLIT:-}" ]]; then extra+=(--split "$FACE2DATA_SPLIT"); fi
if [[ -n "${FACE2DATA_TEACHER:-}" ]]; then read -r -a teacher <<< "$FACE2DATA_TEACHER"; extra+=(--teacher "${teacher[@]}" --distill 0.5); fi
DATA=${FACE2DATA_DATA:-../shared/datasets/UTKFace.tar.gz}
F2D=src/Face2Data.Cli/bin/Release/net10.0/linux-x64/Face2Data.Cli.dll
name="face_recognition_model"
ageGender="age_gender_model"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent @vladmandic/face-api@1.7.15 >/dev/null)
tar -xzf "$work"/vladmandic-face-api-1.7.15.tgz -C "$work" "package/model/$name-weights_manifest.json" "package/model/$name.bin" \
    "package/model/$ageGender-weights_manifest.json" "package/model/$ageGender.bin"
dotnet build src/Face2Data.Cli -c Release --nologo -v quiet >/dev/null
dotnet "$F2D" train-heads --data "$DATA" --backbone "$work/package/model/$name-weights_manifest.json" \
    --age-gender-backbone "$work/package/model/$ageGender-weights_manifest.json" --out "$run" --size "$size" \
    --model-options "$options" --views "$views" --augment flip,shift,zoom,rotate,gray,color,blur,jpeg \
    --epochs 30 --batch-size 256 --lr 1e-3 --weight-decay 1e-4 --label-smoothing 0.1 --regression-loss distribution \
    --loss-weights age=1,gender=1,race=1 --threads 2 --seed "$seed" --test-fraction 0.15 --val-fraction 0.1 --stratify race --average-from-epoch "$averageFrom" \
    ${extra[@]+"${extra[@]}"}
dotnet "$F2D" export --checkpoint "$run/best" --out "$file" --name "$model" --model-version "$version" \
    --half-precision-weights
dotnet "$F2D" evaluate --model "$file" --data "$DATA" --split "$run/split.json" --part test --out "$run/test"
for set in london-faces lfw-gender; do
  dotnet "$F2D" evaluate --model "$file" --data "../shared/datasets/$set" --detector blazeface --out "$run/$set"
done
