#!/usr/bin/env bash
# How long `optiviz render --animate` takes for a 6-second, 30 fps, 1280x720 MP4 of the default
# scene (180 frames, rendered offscreen and encoded with libx264), with no X server.
# Usage: scripts/bench_animation.sh [OPTIVIZ_BINARY] [RUNS]   (defaults: build/optiviz, 3)
# Prints each run's wall time and the median, in seconds and frames per second.
set -euo pipefail
binary="${1:-build/optiviz}"
runs="${2:-3}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
times=()
for ((i = 1; i <= runs; i++)); do
  start=$(date +%s.%N)
  env -u DISPLAY "$binary" render --animate "$out/bench.mp4" --size 1280x720 --fps 30 --duration 6 >"$out/summary"
  end=$(date +%s.%N)
  t=$(awk -v a="$start" -v b="$end" 'BEGIN {print b - a}')
  times+=("$t")
  printf 'run %d: %.2f s  (%s)\n' "$i" "$t" "$(tr -d '\n' <"$out/summary")"
done
median=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}')
printf 'median of %d: %.2f s for 180 frames (%.1f frames/s), %s bytes\n' "$runs" "$median" \
  "$(awk -v t="$median" 'BEGIN {print 180 / t}')" "$(stat -c %s "$out/bench.mp4")"
