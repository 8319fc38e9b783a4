#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages Face2Data needs to build, test and run. Idempotent: does nothing (and needs
# no network) when all are present; runs `apt-get update` only when something must be installed.
#   g++, patchelf  make TorchSharp load where libstdc++ predates GCC 13 (build/LibTorchSharpCompat.targets,
#                  docs/libtorch-on-debian12.md)
#   opencv-data    OpenCV's Haar cascades for face detection (/usr/share/opencv4/haarcascades)
#   libgtk-3-0 …   shared libraries that OpenCvSharp's official linux-x64 runtime (libOpenCvSharpExtern.so) links
#                  against (`readelf -d` lists gtk-3, gdk, pango, cairo, harfbuzz, freetype, drm, atomic, X11)
#   fonts-dejavu-core  a font for chart text: the SkiaSharp build ScottPlot uses looks for fonts only under
#                  /usr/share/fonts (no fontconfig); without one, charts fail with a message naming this package
#   chromium       the browser the server's page test drives with Playwright (tests/Face2Data.Server.Tests/BrowserTests.cs)
set -euo pipefail

packages=(g++ patchelf opencv-data libgtk-3-0 libharfbuzz0b libfreetype6 libdrm2 libatomic1 libx11-6 fonts-dejavu-core chromium)

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "setup-system.sh: not a Debian-based system; install the equivalents of: ${packages[*]}" >&2
    exit 0
fi

missing=()
for package in "${packages[@]}"; do
    if [ "$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null)" != "install ok installed" ]; then
        missing+=("$package")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=()
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "setup-system.sh: run as root or install sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
fi

# apt prints progress and debconf notes even with -qq; show its output only when it fails.
quietly() {
    local output
    if ! output=$("$@" 2>&1); then
        echo "$output" >&2
        echo "setup-system.sh: failed: $*" >&2
        exit 1
    fi
}

echo "setup-system.sh: installing ${missing[*]}"
quietly "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
quietly "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
