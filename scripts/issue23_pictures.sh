#!/bin/sh
# The window pictures of issue 23 (docs/issue23/after-*.png): the stopping, lr-decay, house-prices and
# quasi-newton presets and a 13-run scene, captured by the app itself at 1440x900 under Xvfb.
# Usage: scripts/issue23_pictures.sh [BUILD_DIR] [OUT_PREFIX]   (defaults: build, docs/issue23/after-)
set -eu
build=${1:-build}
out=${2:-docs/issue23/after-}
capture() {
    name=$1
    shift
    # The pointer goes to the screen's corner first (outside the window), so no hover tooltip covers
    # the map; -noreset keeps the display alive between the two clients.
    xvfb-run -a -s "-screen 0 1600x1000x24 -noreset" sh -c 'python3 "$0" && exec "$@"' "$(dirname "$0")/lib/warp_pointer.py" \
        "$build/optiviz" --size 1440x900 --frames 60 --window-screenshot "$out$name.png" "$@"
}
capture stopping --preset stopping
capture lr-decay --preset lr-decay
capture house-prices --preset house-prices
capture quasi-newton --preset quasi-newton
capture runs13 --step 912 \
    --run sgd:lr=0.001 --run sgd:lr=0.001,momentum=0.9 --run sgd:lr=0.001,momentum=0.9,nesterov=1 --run rprop:lr=0.01 \
    --run radam:lr=0.05 --run adam:lr=0.05 --run adam:lr=0.05,amsgrad=1 --run adam:lr=0.1,bias_correction=0 \
    --run lbfgs:lr=1 --run lbfgs:lr=1,line_search=1 --run adagrad:lr=0.5 --run rmsprop:lr=0.01 --run nadam:lr=0.05
