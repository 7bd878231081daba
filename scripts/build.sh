#!/usr/bin/env bash
# Configures and builds optiviz into build/ (Release, warnings as errors).
# Usage: scripts/build.sh [extra cmake arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DOPTIVIZ_WERROR=ON "$@" >/dev/null
cmake --build build -j "$(nproc)"
