#!/usr/bin/env bash
# Builds and tests the current commit on another Debian release, in a debootstrap root:
#   scripts/check-distro.sh bookworm|trixie [--fresh] [--package]
# Needs root and debootstrap. The root is made once with `debootstrap --variant=minbase` from the
# Debian mirror this machine's apt uses (or $OPTIVIZ_MIRROR), and kept in $OPTIVIZ_ROOTS/SUITE (default
# /var/tmp/optiviz-roots/SUITE) so later runs reuse it (--fresh deletes it first). Inside it, a clone
# of HEAD (committed work only) runs the README's test command, scripts/test.sh, which installs the
# packages with scripts/install-deps.sh, builds with warnings as errors and runs every test. The
# clone's build/ directory is kept between runs, so a second run rebuilds only what changed.
#
# With --package it then builds that release's .deb in the root (scripts/package.sh) and copies it
# into this checkout's build/, for scripts/check-package.sh.
#
# Exit status: 0 passed; 1 the build or a test failed; 2 usage or setup error; 3 the Debian mirror
# could not be reached (debootstrap or apt could not download), which says nothing about optiviz.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
source "$repo/scripts/lib/debian-root.sh"

usage() { echo "usage: scripts/check-distro.sh bookworm|trixie [--fresh] [--package]" >&2; exit 2; }
[[ $# -ge 1 ]] || usage
fresh=0 package=0
for arg in "${@:2}"; do
  case "$arg" in
    --fresh) fresh=1 ;;
    --package) package=1 ;;
    *) usage ;;
  esac
done
root_init "$1"
commit="$(git -C "$repo" rev-parse HEAD)"
root="$roots/$suite"

# Only one run per root at a time.
exec 9>"$root.lock"
flock -n 9 || { echo "check-distro: another run is using $root" >&2; exit 2; }

if ((fresh)) && [[ -d "$root" ]]; then
  say "deleting $root (--fresh)"
  rm -rf --one-file-system "$root"
fi
if [[ -d "$root" ]]; then
  say "reusing $root"
  # A reused root whose packages are all installed needs no network; otherwise say so up front.
  if [[ ! -f "$root/.optiviz-deps-ok" ]] && ! mirror_reachable; then
    unreachable "no $mirror/dists/$suite/InRelease"
  fi
else
  root_create "$root"
fi
root_mount "$root"

# The clone: HEAD of this checkout, updated in place so that build/ survives between runs.
src="$root/optiviz"
if [[ ! -d "$src/.git" ]]; then
  rm -rf --one-file-system "$src"
  git clone --quiet --no-checkout "$repo" "$src"
fi
git -C "$src" fetch --quiet "$repo" "$commit"
git -C "$src" checkout --quiet --force --detach "$commit"
git -C "$src" clean --quiet -ffdx --exclude=/build/
say "testing commit $(git -C "$src" rev-parse --short HEAD) in $root"

# Packages first, so that a download failure is told apart from a test failure.
rm -f "$root/.optiviz-deps-ok"
log="$roots/$suite-deps.log"
if ! root_run "$root" bash -c 'cd /optiviz && scripts/install-deps.sh' >"$log" 2>&1; then
  tail -n 20 "$log" >&2
  apt_log_shows_network_failure "$log" && unreachable "apt could not download; see $log"
  echo "check-distro: installing the packages failed (see $log)" >&2
  exit 1
fi
touch "$root/.optiviz-deps-ok"
say "packages installed"

if ! root_run "$root" bash -c 'cd /optiviz && scripts/test.sh'; then
  say "FAILED: scripts/test.sh"
  exit 1
fi
say "passed: scripts/test.sh builds and passes every test on $suite"

if ((package)); then
  plog="$roots/$suite-package-build.log"
  if ! root_run "$root" bash -c 'cd /optiviz && scripts/package.sh' >"$plog" 2>&1; then
    tail -n 20 "$plog" >&2
    apt_log_shows_network_failure "$plog" && unreachable "apt could not download; see $plog"
    say "FAILED: scripts/package.sh (see $plog)"
    exit 1
  fi
  built="$(tail -n 1 "$plog")"
  mkdir -p "$repo/build"
  cp "$src/$built" "$repo/build/"
  say "packaged: build/$(basename "$built") (for $suite)"
fi
