#!/usr/bin/env bash
# How long `optiviz render --animate` takes for a 6-second, 30 fps, 1280x720 MP4 of the default
# scene (180 frames, rendered offscreen and encoded with libx264), with no X server.
# Usage: scripts/bench_animation.sh [OPTIVIZ_BINARY] [RUNS]   (defaults: build/optiviz, 3)
# Prints each run's wall and CPU time, then the median wall time in seconds and frames per second,
# and the load average (other work on the machine slows the wall time down).
set -euo pipefail
binary="${1:-build/optiviz}"
runs="${2:-3}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
walls=()
for ((i = 1; i <= runs; i++)); do
  TIMEFORMAT='%R %U %S'
  { time env -u DISPLAY "$binary" render --animate "$out/bench.mp4" --size 1280x720 --fps 30 --duration 6 \
      >"$out/summary" 2>"$out/errors" || { cat "$out/errors" >&2; exit 1; }; } 2>"$out/time"
  read -r wall user sys <"$out/time"
  walls+=("$wall")
  printf 'run %d: %.2f s wall, %.2f s CPU  (%s)\n' "$i" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')" \
    "$(tr -d '\n' <"$out/summary")"
done
median=$(printf '%s\n' "${walls[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}')
printf 'median of %d: %.2f s for 180 frames (%.1f frames/s), %s bytes; load average %s\n' "$runs" "$median" \
  "$(awk -v t="$median" 'BEGIN {print 180 / t}')" "$(stat -c %s "$out/bench.mp4")" "$(cut -d' ' -f1-3 /proc/loadavg)"
