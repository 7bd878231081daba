#!/usr/bin/env bash
# Tests the browser build (scripts/build-web.sh first) in a real browser: installs Debian's Chromium
# and, from the npm registry into build-web/node/ (never the repository), puppeteer-core 24; serves
# build-web/www/ on two local ports, plainly and cross-origin isolated (web/serve.py), and runs
# web/test/browser_test.js (headless Chromium, WebGL2 through SwiftShader) on both: the page without
# threads, then the threaded one. Screenshots and the exported files go to build-web/screenshots/,
# and the README's picture to docs/web-app.png. Prints each variant's time to the first picture and
# size (raw and gzip). Exits non-zero on a failed check.
set -euo pipefail
cd "$(dirname "$0")/.."
sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi

if [[ ! -f build-web/www/optiviz.wasm || ! -f build-web/www/optiviz-mt.wasm ]]; then
  echo "test-web.sh: no build-web/www/optiviz.wasm or optiviz-mt.wasm: run scripts/build-web.sh first" >&2
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

# The site twice, as hosts serve it: plainly (the page must run the build without threads) and with
# the two cross-origin isolation headers (the page must run the threaded build), web/serve.py.
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
plain_port="$(free_port)"
isolated_port="$(free_port)"
python3 web/serve.py --port "$plain_port" build-web/www 2>/dev/null &
plain_server=$!
python3 web/serve.py --isolated --port "$isolated_port" build-web/www 2>/dev/null &
isolated_server=$!
trap 'kill "$plain_server" "$isolated_server" 2>/dev/null || true' EXIT
for port in "$plain_port" "$isolated_port"; do
  for _ in $(seq 50); do
    if python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/')" 2>/dev/null; then break; fi
    sleep 0.1
  done
done

status=0
rm -f build-web/screenshots/run-opened.png
# OPTIVIZ_WEB_TEST=threads runs the threaded checks only (web/test/browser_test.js).
NODE_PATH="$PWD/build-web/node/node_modules" node web/test/browser_test.js "http://127.0.0.1:$plain_port/" \
  "http://127.0.0.1:$isolated_port/" build-web/screenshots || status=$?
# The README's picture (docs/web-app.png), from this build: the Adam run's settings open.
if [[ $status -eq 0 && -f build-web/screenshots/run-opened.png ]]; then
  cp build-web/screenshots/run-opened.png docs/web-app.png
  echo "test-web.sh: docs/web-app.png is this run's build-web/screenshots/run-opened.png"
fi

# The transfer size: what a server sends, raw and with gzip (as most static hosts compress), for each
# variant: the page's files and the variant's own.
size_of() {
  local label="$1" total_raw=0 total_gzip=0 raw gz file
  shift
  for file in "$@"; do
    raw=$(stat -c %s "$file")
    gz=$(gzip -9 -c "$file" | wc -c)
    printf 'test-web.sh: %-28s %9d bytes, %9d gzipped\n' "$(basename "$file")" "$raw" "$gz"
    total_raw=$((total_raw + raw))
    total_gzip=$((total_gzip + gz))
  done
  printf 'test-web.sh: %-28s %9d bytes, %9d gzipped\n' "$label" "$total_raw" "$total_gzip"
}
page=(build-web/www/index.html build-web/www/page.js build-web/www/webm.js)
size_of "the site without threads" "${page[@]}" build-web/www/optiviz.{js,wasm,data}
size_of "the site with threads" "${page[@]}" build-web/www/optiviz-mt.{js,worker.js,wasm,data}
exit "$status"
