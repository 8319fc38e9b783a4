#!/usr/bin/env bash
# The photo and face through HTTP for each detector setting (docs/performance.md, section 8): starts the Release
# server per setting, waits for readiness, runs `face2data bench serve` on the photo (concurrency 1) and the face
# (concurrency 1 and 8), stops it; ROUNDS rounds interleaved so the VM's drift hits every setting alike. A setting is
# the server's arguments, then after '|' the load generator's (the last one names the detector per request).
# Needs `dotnet build -c Release` and the test images: face2data-bench images --out /tmp/f2d-images.
# Usage: bash benchmarks/http-detectors.sh [IMAGES_DIR] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
images="${1:-/tmp/f2d-images}"
rounds="${2:-2}"
port=8082
f2d="dotnet src/Face2Data.Cli/bin/Release/net10.0/linux-x64/Face2Data.Cli.dll"
settings=(
    "--Server:Detector=tiny|"
    "--Server:Haar:DetectionMaxSide=640 --Server:Haar:ScaleFactor=1.2 --Server:Haar:MinNeighbors=1|"
    "--Server:Detector=haar|"
    "--Server:Detector=haar|--query detector=tiny"
)
for round in $(seq "$rounds"); do
    for setting in "${settings[@]}"; do
        server_args="${setting%%|*}"
        bench_args="${setting#*|}"
        # shellcheck disable=SC2086 # each part is several arguments
        dotnet src/Face2Data.Server/bin/Release/net10.0/linux-x64/Face2Data.Server.dll --urls "http://127.0.0.1:$port" \
            $server_args > /dev/null 2>&1 &
        server=$!
        until curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health/ready" 2>/dev/null | grep -q 200; do
            kill -0 "$server" 2>/dev/null || { echo "server failed to start: $server_args" >&2; exit 1; }
            sleep 0.05
        done
        echo "== round $round: $server_args $bench_args"
        # shellcheck disable=SC2086
        $f2d bench serve --url "http://127.0.0.1:$port" --image "$images/photo.jpg" --concurrency 1 --duration 15s --warmup 3s $bench_args
        # shellcheck disable=SC2086
        $f2d bench serve --url "http://127.0.0.1:$port" --image "$images/face.jpg" --concurrency 1,8 --duration 10s --warmup 2s $bench_args
        kill "$server"
        wait "$server" 2>/dev/null || true
    done
done
