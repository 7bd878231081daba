#!/bin/bash
# HiDPI (issue 26.4): on a display whose content scale is 2 (Xft.dpi 192, what GNOME and KDE set at
# 200%), `--size 640x400` opens a window of 1280x800 pixels, and at scale 1 one of 640x400. The
# window's own capture (--window-screenshot) has the window's size in pixels.
#
#   xvfb-run -a -s "-screen 0 1600x1000x24" check_hidpi_window.sh path/to/optiviz
#
# Xvfb forgets root properties when its last client disconnects, so a client holds the display
# while the resource is set and the app starts. Exits 77 (skipped) without xprop.
set -u
app=$1
command -v xprop >/dev/null || { echo "skipped: xprop is missing (package x11-utils)"; exit 77; }
work=$(mktemp -d)
xprop -root -spy RESOURCE_MANAGER >"$work/holder.out" 2>&1 &
holder=$!
trap 'kill "$holder" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do [[ -s $work/holder.out ]] && break; sleep 0.1; done

png_size() {  # width x height from the PNG's IHDR
  local bytes
  bytes=$(od -An -tu1 -j16 -N8 "$1" | tr -s ' ')
  read -r w1 w2 w3 w4 h1 h2 h3 h4 <<<"$bytes"
  echo "$(((w1 << 24) | (w2 << 16) | (w3 << 8) | w4))x$(((h1 << 24) | (h2 << 16) | (h3 << 8) | h4))"
}

status=0
for case in "96 640x400" "192 1280x800"; do
  read -r dpi expected <<<"$case"
  xprop -root -f RESOURCE_MANAGER 8s -set RESOURCE_MANAGER "Xft.dpi:	$dpi
"
  rm -f "$work/window.png"
  XDG_STATE_HOME=$work/state XDG_CONFIG_HOME=$work/config \
    "$app" --size 640x400 --frames 3 --window-screenshot "$work/window.png" 2>"$work/app.err" ||
    { echo "FAIL: the app failed at Xft.dpi $dpi:"; cat "$work/app.err"; exit 1; }
  got=$(png_size "$work/window.png")
  if [[ $got == "$expected" ]]; then
    echo "Xft.dpi $dpi: --size 640x400 opens a window of $got pixels"
  else
    echo "FAIL: at Xft.dpi $dpi --size 640x400 opened a window of $got pixels, expected $expected"
    status=1
  fi
done
exit $status
