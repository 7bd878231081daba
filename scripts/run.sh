#!/usr/bin/env bash
# One command from a fresh Debian 12 or 13 machine to optiviz running: installs only the packages
# that building and running need, builds the program alone (no tests, no -Werror) into build-app/,
# and opens the window (extra arguments go to optiviz, e.g. --surface himmelblau --run adam:lr=0.1).
# Without a display it draws the same scene to optiviz.png with `optiviz render` instead.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --app
cmake -S . -B build-app -G Ninja -DCMAKE_BUILD_TYPE=Release -DOPTIVIZ_BUILD_TESTS=OFF \
  -DOPTIVIZ_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build build-app -j "$(nproc)" --target optiviz
if [[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]]; then
  exec build-app/optiviz "$@"
fi
echo "run.sh: no display; drawing the scene to optiviz.png with optiviz render" >&2
exec build-app/optiviz render --size 1280x800 --out optiviz.png "$@"
