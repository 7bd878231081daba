#!/usr/bin/env bash
# One command from a fresh Debian 12 or 13 machine to a test report: installs the packages, builds with
# warnings as errors and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
ctest --test-dir build --output-on-failure -j "$(nproc)"
