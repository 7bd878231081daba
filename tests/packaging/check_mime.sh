#!/usr/bin/env bash
# The scene MIME type: a scene optiviz saved is application/x-optiviz-scene+json, any other JSON file
# stays application/json, and the desktop entry offers optiviz for that type.
# Usage: check_mime.sh MIME_XML DESKTOP_FILE OPTIVIZ SCRATCH_DIR SCENE_FILE
# (SCENE_FILE: a scene as optiviz saves it; tests/app/test_open_with.cpp checks that every scene the
# app writes names its format within the bytes the magic rule reads.)
set -uo pipefail
mime_xml="$1" desktop="$2" optiviz="$3" scratch="$4" scene="$5"
rm -rf "$scratch" && mkdir -p "$scratch/mime/packages" || exit 1
cp /usr/share/mime/packages/freedesktop.org.xml "$mime_xml" "$scratch/mime/packages/" || exit 1
update-mime-database "$scratch/mime" || exit 1
cat >"$scratch/other.json" <<<'{"format": "something-else", "a": 1}'
"$optiviz" list --json >"$scratch/list.json" || exit 1
type_of() { XDG_DATA_HOME="$scratch" XDG_DATA_DIRS="$scratch" gio info -a standard::content-type "$1" 2>/dev/null |
    sed -n 's/^ *standard::content-type: //p'; }
failures=0
expect() {
    local got
    got="$(type_of "$1")"
    if [[ "$got" != "$2" ]]; then echo "$1: expected $2, got '$got'"; failures=$((failures + 1)); fi
}
expect "$scene" application/x-optiviz-scene+json
expect "$scratch/other.json" application/json
expect "$scratch/list.json" application/json
grep -q '^MimeType=.*application/x-optiviz-scene+json;' "$desktop" || { echo "$desktop lacks the scene type"; failures=$((failures + 1)); }
if ((failures)); then exit 1; fi
echo "scene MIME type: recognised by content"
