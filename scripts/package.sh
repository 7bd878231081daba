#!/usr/bin/env bash
# Builds the Debian package for the Debian release this machine runs and leaves it in build/:
# build/optiviz_X.Y.Z+debN_ARCH.deb, N = 12 or 13 (the path is the last line printed). Install it
# with `sudo apt install ./build/optiviz_*+debN_*.deb`. A package is for one release: its library
# dependencies are that release's (scripts/check-distro.sh RELEASE --package builds the other's).
#
# The package is made from build/ as scripts/build.sh leaves it (the build scripts/test.sh tests, with
# Debian's hardening flags from dpkg-buildflags and the prefix /usr), installed under /usr by CPack, and its library dependencies are computed by
# dpkg-shlibdeps (CPACK_DEBIAN_PACKAGE_SHLIBDEPS). The package's metadata is then checked, and
# lintian reviews it when it is installed (scripts/install-deps.sh --package installs it).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --package  # the whole build: scripts/build.sh makes the tests too

release="$(. /etc/os-release && echo "${VERSION_ID:-}")"
[[ "$release" =~ ^[0-9]+$ ]] || { echo "package.sh: /etc/os-release has no numeric VERSION_ID (not Debian 12 or 13?)" >&2; exit 2; }
scripts/build.sh  # nothing to do when scripts/test.sh has just built this commit
rm -f build/optiviz_*+deb"$release"_*.deb  # the other release's package (check-distro --package) stays
(cd build && cpack -G DEB >/dev/null)
debs=(build/optiviz_*+deb"$release"_*.deb)
[[ -f "${debs[0]}" ]] || { echo "package.sh: cpack made no .deb" >&2; exit 1; }
deb="${debs[0]}"

fail() { echo "package.sh: $deb: $*" >&2; exit 1; }
depends="$(dpkg-deb -f "$deb" Depends)"
echo "Depends: $depends"
# dpkg-shlibdeps wrote the library dependencies, with the versions the binary's symbols need.
# (Debian 13 renamed some for the 64-bit time_t transition: libstb0t64, libgtk-3-0t64.)
for lib in libc6 libstdc++6 libglfw3 libepoxy0 libstb0 libgtk-3-0; do
  [[ ", $depends," =~ ", $lib"(t64)?" (>= "[^\)]+")," ]] || fail "Depends lacks '$lib (>= VERSION)' from dpkg-shlibdeps"
done
# FFmpeg's libraries (animations) carry their soname's number in the package name: libavcodec59
# on Debian 12, libavcodec61 on Debian 13.
for lib in libavcodec libavformat libswscale libavutil; do
  [[ ", $depends," =~ ", $lib"[0-9]+(t64)?" (>= "[^\)]+")," ]] || fail "Depends lacks '${lib}N (>= VERSION)' from dpkg-shlibdeps"
done
# Typed functions are differentiated by optiviz itself: GiNaC and CLN are no longer linked.
[[ ", $depends," =~ ", lib(ginac|cln)" ]] && fail "Depends names GiNaC or CLN ($depends), which optiviz no longer uses"
# What the program loads without linking it (see packaging/packaging.cmake).
for pkg in libgl1 libglx-mesa0 libegl1 libegl-mesa0 libgl1-mesa-dri fonts-dejavu-core; do
  [[ ", $depends," == *", $pkg,"* || ", $depends," == *", $pkg ("* ]] || fail "Depends lacks $pkg"
done
if grep -qE -- '-dev( |,|$)' <<<"$depends"; then fail "Depends names a -dev package"; fi
contents="$(dpkg-deb -c "$deb")"
for path in ./usr/bin/optiviz ./usr/share/applications/io.github.optiviz.optiviz.desktop \
  ./usr/share/icons/hicolor/scalable/apps/optiviz.svg ./usr/share/icons/hicolor/256x256/apps/optiviz.png \
  ./usr/share/metainfo/io.github.optiviz.optiviz.metainfo.xml ./usr/share/man/man1/optiviz.1.gz \
  ./usr/share/man/man1/optiviz-render.1.gz ./usr/share/bash-completion/completions/optiviz \
  ./usr/share/doc/optiviz/copyright ./usr/share/doc/optiviz/changelog.gz; do
  grep -q " $path\$" <<<"$contents" || fail "does not contain $path"
done

# ---- lintian: it must report no error and no warning. (With Debian 12's lintian 2.116 it reports
# nothing at all, not even at --info --pedantic level; so does Debian 13's lintian 2.122.) A tag that
# cannot be fixed goes into --suppress-tags here, with the reason beside it.
if command -v lintian >/dev/null; then
  # --allow-root: lintian only reads the .deb, and package.sh usually runs as root.
  lintian --allow-root --info --fail-on error,warning "$deb"
  echo "lintian: no errors or warnings"
else
  echo "package.sh: lintian is not installed; the package was not reviewed" >&2
fi
echo "$deb"
