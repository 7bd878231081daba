#!/usr/bin/env bash
# Builds and tests the current commit on another Debian release, in a debootstrap root:
#   scripts/check-distro.sh bookworm|trixie [--fresh]
# Needs root and debootstrap. The root is made once with `debootstrap --variant=minbase` from the
# Debian mirror this machine's apt uses, and kept in $OPTIVIZ_ROOTS/SUITE (default
# /var/tmp/optiviz-roots/SUITE) so later runs reuse it (--fresh deletes it first). Inside it, a clone
# of HEAD (committed work only) runs the README's test command, scripts/test.sh, which installs the
# packages with scripts/install-deps.sh, builds with warnings as errors and runs every test. The
# clone's build/ directory is kept between runs, so a second run rebuilds only what changed.
#
# Exit status: 0 passed; 1 the build or a test failed; 2 usage or setup error; 3 the Debian mirror
# could not be reached (debootstrap or apt could not download), which says nothing about optiviz.
set -euo pipefail

usage() { echo "usage: scripts/check-distro.sh bookworm|trixie [--fresh]" >&2; exit 2; }
suite="${1:-}"
[[ "$suite" == bookworm || "$suite" == trixie ]] || usage
fresh=0
[[ "${2:-}" == "--fresh" ]] && fresh=1
[[ $# -le 2 ]] || usage
if [[ $(id -u) -ne 0 ]]; then echo "check-distro: needs root (debootstrap, chroot, mount)" >&2; exit 2; fi
command -v debootstrap >/dev/null || { echo "check-distro: needs debootstrap (apt-get install debootstrap)" >&2; exit 2; }

repo="$(cd "$(dirname "$0")/.." && pwd)"
commit="$(git -C "$repo" rev-parse HEAD)"
roots="${OPTIVIZ_ROOTS:-/var/tmp/optiviz-roots}"
root="$roots/$suite"
mkdir -p "$roots"
started=$SECONDS
say() { printf 'check-distro %s [%4ds]: %s\n' "$suite" $((SECONDS - started)) "$*"; }

# The mirror: the first URI of this machine's Debian sources (deb822 or one-line format).
mirror=""
if [[ -r /etc/apt/sources.list.d/debian.sources ]]; then
  mirror="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)"
fi
if [[ -z "$mirror" && -r /etc/apt/sources.list ]]; then
  mirror="$(awk '$1 == "deb" && $2 !~ /^\[/ {print $2; exit}' /etc/apt/sources.list)"
fi
mirror="${mirror:-http://deb.debian.org/debian}"

unreachable() {
  echo "check-distro: cannot reach the Debian mirror $mirror for $suite ($1)." >&2
  echo "check-distro: this is a network problem, not a build or test failure (exit status 3)." >&2
  exit 3
}

# Only one run per root at a time.
exec 9>"$root.lock"
flock -n 9 || { echo "check-distro: another run is using $root" >&2; exit 2; }

# Probe the mirror first, with apt's own downloader (it honours this machine's apt proxy settings).
probe="$(mktemp)"
trap 'rm -f "$probe"' EXIT
if ! /usr/lib/apt/apt-helper download-file "$mirror/dists/$suite/InRelease" "$probe" >/dev/null 2>&1; then
  # A reused root with every package installed needs no network at all.
  [[ -f "$root/.optiviz-deps-ok" && $fresh -eq 0 ]] || unreachable "no $mirror/dists/$suite/InRelease"
  say "mirror unreachable; reusing $root, whose packages are already installed"
fi

if ((fresh)) && [[ -d "$root" ]]; then
  say "deleting $root (--fresh)"
  rm -rf --one-file-system "$root"
fi
if [[ ! -d "$root" ]]; then
  say "debootstrap --variant=minbase $suite from $mirror (takes a few minutes)"
  rm -rf --one-file-system "$root.partial"
  if ! debootstrap --variant=minbase "$suite" "$root.partial" "$mirror" >"$roots/$suite-debootstrap.log" 2>&1; then
    if grep -qiE "Failed getting release file|Couldn't download|Connection|Temporary failure|Could not resolve|Network is unreachable" \
        "$roots/$suite-debootstrap.log"; then
      unreachable "debootstrap could not download; see $roots/$suite-debootstrap.log"
    fi
    echo "check-distro: debootstrap failed, see $roots/$suite-debootstrap.log" >&2
    exit 2
  fi
  mv "$root.partial" "$root"  # a root exists only once it is complete
  say "root ready"
else
  say "reusing $root"
fi

# Mounts for the build and the tests; always removed, also when something fails or on Ctrl-C.
mounted=()
cleanup() {
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
    umount "${mounted[i]}" 2>/dev/null || umount -l "${mounted[i]}" 2>/dev/null || true
  done
  rm -f "$probe"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mount_in() {  # mount_in TARGET mount-arguments...
  local target="$root$1"
  shift
  mkdir -p "$target"
  mount "$@" "$target"
  mounted+=("$target")
}
mount_in /proc -t proc proc
mount_in /sys -t sysfs sysfs
mount_in /dev --bind /dev
mount_in /dev/pts --bind /dev/pts
mount_in /dev/shm -t tmpfs tmpfs
mount_in /tmp -t tmpfs tmpfs
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
# Keep the suite's Debian security updates like any real installation.
if [[ "$mirror" == */debian ]]; then
  security="${mirror%/debian}/debian-security"
  printf 'deb %s %s main\ndeb %s %s-security main\n' "$mirror" "$suite" "$security" "$suite" >"$root/etc/apt/sources.list"
fi

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

in_root() {
  chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive "$@"
}

# Packages first, so a download failure is told apart from a test failure.
set +e
in_root bash -c 'cd /optiviz && scripts/install-deps.sh' >"$roots/$suite-deps.log" 2>&1
status=$?
set -e
if ((status != 0)); then
  tail -n 20 "$roots/$suite-deps.log" >&2
  if grep -qE "^(E|W): (Failed to fetch|Some index files failed|Unable to fetch)|Temporary failure resolving|Could not connect" \
      "$roots/$suite-deps.log"; then
    unreachable "apt could not download; see $roots/$suite-deps.log"
  fi
  echo "check-distro: installing the packages failed (see $roots/$suite-deps.log)" >&2
  exit 1
fi
touch "$root/.optiviz-deps-ok"
say "packages installed"

set +e
in_root bash -c 'cd /optiviz && scripts/test.sh'
status=$?
set -e
if ((status != 0)); then
  say "FAILED (scripts/test.sh exit status $status)"
  exit 1
fi
say "passed: scripts/test.sh builds and passes every test on $suite"
