#!/usr/bin/env bash
# Installs the .deb into a fresh Debian root and uses it there with no X server:
#   scripts/check-package.sh bookworm|trixie [build/optiviz_X.Y.Z+debN_ARCH.deb]
# (default: the .deb for that release in build/, made by scripts/package.sh on that release or by
# scripts/check-distro.sh RELEASE --package). Needs root and debootstrap. A pristine
# minbase root is made once in $OPTIVIZ_ROOTS/SUITE-pristine (default /var/tmp/optiviz-roots) and
# copied for every run, so each install starts from a system that has never seen optiviz.
# Checks: `apt install ./optiviz_*.deb` pulls only runtime packages (no -dev, no compiler),
# `optiviz --version`, `optiviz render --size 640x400 --out x.png` without DISPLAY (EGL surfaceless),
# the desktop files, man pages and completion in place, and `apt purge` removes every file.
# Exit status: 0 passed, 1 failed, 2 usage or setup error, 3 the Debian mirror was unreachable.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
source "$repo/scripts/lib/debian-root.sh"

[[ $# -ge 1 && $# -le 2 ]] || { echo "usage: scripts/check-package.sh bookworm|trixie [FILE.deb]" >&2; exit 2; }
root_init "$1"
case "$suite" in bookworm) release=12 ;; trixie) release=13 ;; esac
deb="${2:-}"
if [[ -z "$deb" ]]; then
  debs=("$repo"/build/optiviz_*+deb"$release"_*.deb)
  deb="${debs[0]}"
fi
[[ -f "$deb" ]] || { echo "check-package: no .deb for Debian $release at '$deb' (run scripts/package.sh on $suite, or scripts/check-distro.sh $suite --package)" >&2; exit 2; }
# A package names the library packages of the release it was built on; say so instead of letting apt fail.
version="$(dpkg-deb -f "$deb" Version)"
[[ "$version" == *"+deb$release" ]] || { echo "check-package: $deb is version $version, not a package for Debian $release ($suite)" >&2; exit 2; }

pristine="$roots/$suite-pristine"
root="$roots/$suite-package"
exec 9>"$root.lock"
flock -n 9 || { echo "check-package: another run is using $root" >&2; exit 2; }
root_create "$pristine"
rm -rf --one-file-system "$root"
cp -a "$pristine" "$root"
root_mount "$root"
cp "$deb" "$root/tmp/"
name="$(basename "$deb")"
say "installing $name into a fresh copy of $pristine"

log="$roots/$suite-package-apt.log"
if ! root_run "$root" bash -c "apt-get update -q && apt-get install -y --no-install-recommends ./tmp/$name" \
    >"$log" 2>&1; then
  tail -n 20 "$log" >&2
  apt_log_shows_network_failure "$log" && unreachable "apt could not download; see $log"
  echo "check-package: apt install ./$name failed on $suite (see $log)" >&2
  exit 1
fi
summary="$(grep -E "newly installed" "$log" | tail -n 1)"
size="$(grep -E "additional disk space will be used" "$log" | tail -n 1)"
say "apt: $summary; $size"

failures=0
check() {  # check DESCRIPTION COMMAND...: runs COMMAND inside the root
  if root_run "$root" "${@:2}"; then say "ok: $1"; else say "FAILED: $1"; failures=$((failures + 1)); fi
}
check "no -dev package or compiler was installed" bash -c \
  "! dpkg-query -W -f='\${Package}\n' | grep -E -- '-dev\$|^(g\\+\\+|gcc|cpp)(-[0-9]+)?\$'"
check "optiviz --version" bash -c 'optiviz --version | grep -E "^optiviz [0-9]+\.[0-9]+\.[0-9]+"'
check "optiviz render with no X server writes a 640x400 PNG" bash -c \
  'cd /tmp && optiviz render --size 640x400 --out x.png && head -c 24 x.png | od -An -tx1 | tr -d " \n" |
   grep -q "^89504e470d0a1a0a0000000d494844520000028000000190"'
for path in /usr/share/applications/io.github.optiviz.optiviz.desktop /usr/share/icons/hicolor/scalable/apps/optiviz.svg \
  /usr/share/icons/hicolor/48x48/apps/optiviz.png /usr/share/metainfo/io.github.optiviz.optiviz.metainfo.xml \
  /usr/share/man/man1/optiviz.1.gz /usr/share/man/man1/optiviz-trace.1.gz /usr/share/bash-completion/completions/optiviz \
  /usr/share/optiviz/optiviz-scene.schema.json; do
  check "installed $path" test -s "$path"
done
# shellcheck disable=SC2016  # expanded by the shell inside the root
check "apt purge removes every file" bash -c \
  'files=$(dpkg -L optiviz | while read -r f; do [ -f "$f" ] && echo "$f"; done); apt-get purge -y -q optiviz >/dev/null &&
   for f in $files; do [ ! -e "$f" ] || { echo "left behind: $f"; exit 1; }; done'

if ((failures)); then
  say "FAILED: $failures check(s)"
  exit 1
fi
root_cleanup
rm -rf --one-file-system "$root"  # kept only when something failed, for a look inside
say "passed: $name installs and renders on $suite"
