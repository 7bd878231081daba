#!/usr/bin/env bash
# Builds the browser version of the window (WebAssembly + WebGL2) into build-web/ and leaves a static
# site in build-web/www/ (index.html, page.js, webm.js, optiviz.{js,wasm,data} and the threaded variant
# optiviz-mt.{js,wasm,worker.js,data}) that any static web server can serve. Everything comes from Debian's packages: emscripten, and Dear ImGui's sources
# from `apt-get source imgui` (a deb-src entry is added for the machine's own Debian mirror if there is
# none). Root or sudo for the packages. Debian 12 or 13.
# Usage: scripts/build-web.sh [extra cmake arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi

packages=(emscripten cmake ninja-build libeigen3-dev nlohmann-json3-dev libstb-dev fonts-dejavu-core dpkg-dev)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  $sudo apt-get update -qq
  $sudo apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Dear ImGui's sources (libimgui-dev has only headers and a native library), unpacked once into build-web/.
imgui_dir="$(ls -d build-web/imgui/imgui-*/ 2>/dev/null | head -n 1 || true)"
if [[ -z "$imgui_dir" ]]; then
  if ! apt-get source --print-uris imgui >/dev/null 2>&1; then
    # A deb-src twin of the machine's Debian entries (deb822 or one-line format), then the index.
    if [[ -f /etc/apt/sources.list.d/debian.sources ]]; then
      sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources |
        $sudo tee /etc/apt/sources.list.d/optiviz-deb-src.sources >/dev/null
    else
      sed -n 's/^deb /deb-src /p' /etc/apt/sources.list | $sudo tee /etc/apt/sources.list.d/optiviz-deb-src.list >/dev/null
    fi
    $sudo apt-get update -qq
  fi
  mkdir -p build-web/imgui
  (cd build-web/imgui && apt-get source -qq imgui >/dev/null 2>&1)
  imgui_dir="$(ls -d build-web/imgui/imgui-*/ | head -n 1)"
fi

# Debian's node does not search Debian's module folder, where emscripten's JavaScript tools' modules are.
export NODE_PATH=/usr/share/nodejs
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
# -O2, not CMake's -O3: as fast here and quicker to build.
# Two variants of the same code, each in its own build folder, into one site (web/web.cmake): without
# threads (optiviz.*: any page) in build-web/, and with them (optiviz-mt.*: pages served
# cross-origin isolated) in build-web/threads/. web/page.js picks the one the page allows.
configure() {
  emcmake cmake -S . -B "$1" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" -DOPTIVIZ_WERROR=ON \
    -DOPTIVIZ_IMGUI_DIR="$root/$imgui_dir" -DEigen3_DIR=/usr/share/eigen3/cmake -DOPTIVIZ_WEB_SITE_DIR="$root/build-web/www" \
    -DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node "${launcher[@]}" "${@:2}" >/dev/null
}
configure build-web -DOPTIVIZ_WEB_THREADS=OFF "$@"
configure build-web/threads -DOPTIVIZ_WEB_THREADS=ON "$@"
cmake --build build-web -j "$(nproc)"
cmake --build build-web/threads -j "$(nproc)"
echo "build-web.sh: the site is in build-web/www/ ($(du -sh build-web/www | cut -f1)); serve it with any static web server"
