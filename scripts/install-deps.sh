#!/usr/bin/env bash
# Installs every Debian 12 package optiviz needs to build, test and run (root or sudo).
# Usage: scripts/install-deps.sh [--bench] [--fuzz]
#   --bench adds Google Benchmark and python3-torch; --fuzz adds clang and libFuzzer (scripts/fuzz.sh)
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config git
  libeigen3-dev catch2 libcli11-dev nlohmann-json3-dev
  libimgui-dev libglfw3-dev libstb-dev libepoxy-dev
  libegl-dev libegl1-mesa-dev libgl1-mesa-dri libgles-dev libgbm-dev
  xvfb xauth fonts-dejavu-core
)
for option in "$@"; do
  case "$option" in
    --bench) packages+=(libbenchmark-dev python3-torch) ;;
    --fuzz) packages+=(clang libclang-rt-dev) ;;
    *) echo "install-deps.sh: unknown option $option" >&2; exit 2 ;;
  esac
done
sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
