# shellcheck shell=bash
# Debian roots made with debootstrap, shared by scripts/check-distro.sh and scripts/check-package.sh.
# Source it, then: root_init SUITE; root_create DIR; root_mount DIR; root_run DIR COMMAND...
# Mounts made by root_mount are removed by root_cleanup, which root_init installs as the EXIT trap.
# Exit status 3 means the Debian mirror could not be reached (not a failure of optiviz).

roots="${OPTIVIZ_ROOTS:-/var/tmp/optiviz-roots}"
suite=""
mirror=""
mounted=()
started=$SECONDS

say() { printf '%s %s [%4ds]: %s\n' "$(basename "$0" .sh)" "$suite" $((SECONDS - started)) "$*"; }

# The first URI of this machine's Debian sources (deb822 or one-line format).
debian_mirror() {
  local uri=""
  if [[ -r /etc/apt/sources.list.d/debian.sources ]]; then
    uri="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)"
  fi
  if [[ -z "$uri" && -r /etc/apt/sources.list ]]; then
    uri="$(awk '$1 == "deb" && $2 !~ /^\[/ {print $2; exit}' /etc/apt/sources.list)"
  fi
  echo "${uri:-http://deb.debian.org/debian}"
}

unreachable() {
  echo "$(basename "$0"): cannot reach the Debian mirror $mirror for $suite ($1)." >&2
  echo "$(basename "$0"): this is a network problem, not a build or test failure (exit status 3)." >&2
  exit 3
}

# Checks the environment and the suite name; installs the cleanup trap.
root_init() {
  suite="$1"
  [[ "$suite" == bookworm || "$suite" == trixie ]] || { echo "unknown suite '$suite' (bookworm or trixie)" >&2; exit 2; }
  if [[ $(id -u) -ne 0 ]]; then echo "$(basename "$0"): needs root (debootstrap, chroot, mount)" >&2; exit 2; fi
  command -v debootstrap >/dev/null || { echo "$(basename "$0"): needs debootstrap (apt-get install debootstrap)" >&2; exit 2; }
  mirror="${OPTIVIZ_MIRROR:-$(debian_mirror)}"  # OPTIVIZ_MIRROR overrides the sources
  mkdir -p "$roots"
  trap root_cleanup EXIT
  trap 'exit 130' INT TERM
}

# True when the mirror serves the suite (apt's own downloader, so apt's proxy settings apply).
mirror_reachable() {
  local probe
  probe="$(mktemp)"
  /usr/lib/apt/apt-helper download-file "$mirror/dists/$suite/InRelease" "$probe" >/dev/null 2>&1
  local status=$?
  rm -f "$probe"
  return $status
}

# debootstrap --variant=minbase into DIR unless it exists; DIR appears only once it is complete.
root_create() {
  local dir="$1" log="$1.debootstrap.log"
  [[ -d "$dir" ]] && return 0
  mirror_reachable || unreachable "no $mirror/dists/$suite/InRelease"
  say "debootstrap --variant=minbase $suite $dir $mirror"
  rm -rf --one-file-system "$dir.partial"
  if ! debootstrap --variant=minbase "$suite" "$dir.partial" "$mirror" >"$log" 2>&1; then
    if grep -qiE "Failed getting release file|Couldn't download|Temporary failure|Could not resolve|unreachable" "$log"; then
      unreachable "debootstrap could not download; see $log"
    fi
    echo "$(basename "$0"): debootstrap failed, see $log" >&2
    exit 2
  fi
  mv "$dir.partial" "$dir"
  say "root ready"
}

_mount_in() {  # _mount_in DIR TARGET mount-arguments...
  local target="$1$2"
  shift 2
  mkdir -p "$target"
  mount "$@" "$target"
  mounted+=("$target")
}

# What builds, tests and apt need inside DIR; the suite's security updates as apt sources.
root_mount() {
  local dir="$1"
  _mount_in "$dir" /proc -t proc proc
  _mount_in "$dir" /sys -t sysfs sysfs
  _mount_in "$dir" /dev --bind /dev
  _mount_in "$dir" /dev/pts --bind /dev/pts
  _mount_in "$dir" /dev/shm -t tmpfs tmpfs
  _mount_in "$dir" /tmp -t tmpfs tmpfs
  cp /etc/resolv.conf "$dir/etc/resolv.conf" 2>/dev/null || true
  if [[ "$mirror" == */debian ]]; then
    printf 'deb %s %s main\ndeb %s %s-security main\n' "$mirror" "$suite" "${mirror%/debian}/debian-security" "$suite" \
      >"$dir/etc/apt/sources.list"
  fi
}

# Unmounts in reverse order; lazily when something inside still holds a mount.
root_cleanup() {
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
    umount "${mounted[i]}" 2>/dev/null || umount -l "${mounted[i]}" 2>/dev/null || true
  done
  mounted=()
}

# Runs a command in DIR with a clean environment (no DISPLAY: no X server).
root_run() {
  local dir="$1"
  shift
  chroot "$dir" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb DEBIAN_FRONTEND=noninteractive \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"
}

# True when an apt log shows a download failure rather than a package problem.
apt_log_shows_network_failure() {
  grep -qE "^(E|W): (Failed to fetch|Some index files failed|Unable to fetch)|Temporary failure resolving|Could not connect" "$1"
}
