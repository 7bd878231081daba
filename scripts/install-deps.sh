#!/usr/bin/env bash
# Installs the Debian packages optiviz needs, on Debian 12 (bookworm) or Debian 13 (trixie); root or sudo.
# Usage: scripts/install-deps.sh [--app] [--package] [--bench] [--fuzz] [--print]
#   (no option)  build, run and test: the app's packages plus Catch2, Xvfb and the desktop-file
#                and AppStream validators (scripts/test.sh)
#   --app        build and run only (scripts/run.sh): no Catch2, no Xvfb, no validators
#   --package    also what scripts/package.sh needs: dpkg-dev (dpkg-shlibdeps) and lintian
#   --bench      also Google Benchmark and python3-torch (the benchmark suite and its torch peer)
#   --fuzz       also clang and libFuzzer (scripts/fuzz.sh)
#   --print      print the package names, one a line, and install nothing
set -euo pipefail

app_only=0 package=0 bench=0 fuzz=0 print=0
for arg in "$@"; do
  case "$arg" in
    --app) app_only=1 ;;
    --package) package=1 ;;
    --bench) bench=1 ;;
    --fuzz) fuzz=1 ;;
    --print) print=1 ;;
    *) echo "usage: scripts/install-deps.sh [--app] [--package] [--bench] [--fuzz] [--print]" >&2; exit 2 ;;
  esac
done

# Building and running. Mesa's GLX, EGL and DRI drivers are loaded at run time, not linked: ImGui's
# OpenGL backend dlopens libGL.so.1, and `optiviz render` draws through EGL (llvmpipe without a GPU).
packages=(
  build-essential cmake ninja-build pkg-config
  libeigen3-dev libcli11-dev nlohmann-json3-dev
  libimgui-dev libglfw3-dev libstb-dev libepoxy-dev libegl-dev libgl-dev libopengl-dev libgtk-3-dev
  libgl1-mesa-dri libglx-mesa0 libegl-mesa0 fonts-dejavu-core
  libavcodec-dev libavformat-dev libswscale-dev libavutil-dev
  libcairo2-dev libfreetype-dev
)
# Package names that differ between releases.
codename="$(. /etc/os-release && echo "${VERSION_CODENAME:-}")"
case "$codename" in
  bookworm) catch2=catch2 ;;       # Catch2 2.13, header only
  *) catch2=libcatch2-dev ;;        # trixie and later: Catch2 3.x, a library
esac
if ((!app_only)); then
  packages+=("$catch2" xvfb xauth git desktop-file-utils appstream)
  # Vector export's tests: PDFs rendered back to pixels, SVGs checked as XML.
  packages+=(poppler-utils libxml2-utils)
  # Desktop integration's tests: the scene MIME type recognised by content (update-mime-database, gio).
  packages+=(shared-mime-info libglib2.0-bin)
  # Shortcuts on German and French keymaps (ctest keyboard_layouts_xvfb): setxkbmap, xdotool, xprop.
  packages+=(x11-xkb-utils xkb-data xdotool x11-utils)
  # The scene schema's test (ctest scene_schema): python3-jsonschema, 4.10 on Debian 12, 4.19 on 13.
  packages+=(python3-jsonschema)
fi
if ((package)); then
  packages+=(dpkg-dev lintian)
fi
if ((bench)); then
  packages+=(libbenchmark-dev python3-torch)
fi
if ((fuzz)); then
  packages+=(clang libclang-rt-dev)
fi
if ((print)); then
  printf '%s\n' "${packages[@]}"
  exit 0
fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq \
    --no-install-recommends "${missing[@]}"
fi
