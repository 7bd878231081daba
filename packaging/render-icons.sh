#!/usr/bin/env bash
# Renders packaging/icons/optiviz.svg to the hicolor PNG sizes that are committed beside it, so that
# building needs no SVG renderer. Run after editing the SVG (needs librsvg2-bin: rsvg-convert).
set -euo pipefail
cd "$(dirname "$0")/icons"
for size in 16 24 32 48 64 128 256 512; do
  mkdir -p "${size}x${size}"
  rsvg-convert --width "$size" --height "$size" optiviz.svg --output "${size}x${size}/optiviz.png"
done
