#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to optiviz running: installs the packages, builds, and
# opens the window (extra arguments go to optiviz, e.g. --surface himmelblau --run adam:lr=0.1).
# Without a display it draws the same scene to optiviz.png with `optiviz render` instead.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
if [[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]]; then
  exec build/optiviz "$@"
fi
echo "run.sh: no display; drawing the scene to optiviz.png with optiviz render" >&2
exec build/optiviz render --size 1280x800 --out optiviz.png "$@"
