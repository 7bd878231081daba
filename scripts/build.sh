#!/usr/bin/env bash
# Configures and builds optiviz into build/ (Release, warnings as errors).
# Usage: scripts/build.sh [extra cmake arguments]
#
# The build is the one the .deb is made from (scripts/package.sh packages build/ as it is), so it
# uses Debian's hardening flags from dpkg-buildflags (stack protector, fortify, relro, now) and the
# install prefix /usr. It leaves out dpkg-buildflags' -g: the package ships no debug symbols, and
# without them CI's builds (this one, and the other Debian release's) are noticeably faster. Tests,
# the package and the app are then one build, not two.
set -euo pipefail
cd "$(dirname "$0")/.."
args=(-DCMAKE_BUILD_TYPE=Release -DOPTIVIZ_WERROR=ON -DCMAKE_INSTALL_PREFIX=/usr)
release="$(. /etc/os-release && echo "${VERSION_ID:-}")"
if [[ "$release" =~ ^[0-9]+$ ]]; then
  args+=("-DOPTIVIZ_DEB_VERSION_SUFFIX=+deb$release")
fi
if command -v dpkg-buildflags >/dev/null; then
  without_g() { sed -E 's/(^| )-g( |$)/ /g' <<<"$1"; }
  cxxflags="$(without_g "$(dpkg-buildflags --get CXXFLAGS) $(dpkg-buildflags --get CPPFLAGS)")"
  args+=("-DCMAKE_CXX_FLAGS=$cxxflags" "-DCMAKE_EXE_LINKER_FLAGS=$(dpkg-buildflags --get LDFLAGS)")
fi
cmake -S . -B build -G Ninja "${args[@]}" "$@" >/dev/null
cmake --build build -j "$(nproc)"
