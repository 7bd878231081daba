#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to optiviz running: installs the packages, builds, and
# traces Adam down the Rosenbrock valley (the interactive window arrives with the desktop app).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
build/optiviz trace --surface rosenbrock --optimizer adam --lr 0.05 --start -1.5,2 --steps 1000 "$@"
