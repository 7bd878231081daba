#!/usr/bin/env bash
# Tests the browser build (scripts/build-web.sh first) in a real browser: installs Debian's Chromium
# and, from the npm registry into build-web/node/ (never the repository), puppeteer-core 24; serves
# build-web/www/ on a local port and runs web/test/browser_test.js (headless Chromium, WebGL2 through
# SwiftShader). Screenshots and the exported PNG go to build-web/screenshots/. Prints the time to the
# first picture and the site's size (raw and gzip). Exits non-zero on a failed check.
set -euo pipefail
cd "$(dirname "$0")/.."
sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi

if [[ ! -f build-web/www/optiviz.wasm ]]; then
  echo "test-web.sh: no build-web/www/optiviz.wasm: run scripts/build-web.sh first" >&2
  exit 2
fi
# Debian's nodejs and npm, unless a node and npm are already there (NodeSource's, say).
packages=(chromium python3)
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then packages+=(nodejs npm); fi
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  $sudo apt-get update -qq
  $sudo apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [[ ! -d build-web/node/node_modules/puppeteer-core ]]; then
  mkdir -p build-web/node
  # 24.x: 25 needs node >= 22.12, Debian 12 has 18.
  npm install --prefix build-web/node --no-audit --no-fund --loglevel=error puppeteer-core@24 >/dev/null
fi

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
python3 -m http.server "$port" --bind 127.0.0.1 --directory build-web/www >/dev/null 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  if python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/')" 2>/dev/null; then break; fi
  sleep 0.1
done

status=0
NODE_PATH="$PWD/build-web/node/node_modules" node web/test/browser_test.js "http://127.0.0.1:$port/" build-web/screenshots || status=$?

# The transfer size: what a server sends, raw and with gzip (as most static hosts compress).
total_raw=0 total_gzip=0
for file in build-web/www/*; do
  raw=$(stat -c %s "$file")
  gz=$(gzip -9 -c "$file" | wc -c)
  printf 'test-web.sh: %-28s %9d bytes, %9d gzipped\n' "$(basename "$file")" "$raw" "$gz"
  total_raw=$((total_raw + raw))
  total_gzip=$((total_gzip + gz))
done
printf 'test-web.sh: %-28s %9d bytes, %9d gzipped\n' "the site" "$total_raw" "$total_gzip"
exit "$status"
