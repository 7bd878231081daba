#!/bin/bash
# The scene schema against the scenes optiviz writes (ctest scene_schema):
#   check_scene_schema.sh WRITE_SCENES SCHEMA DATA_DIR OUT_DIR PYTHON
# 1. optiviz_write_scenes saves every preset, every surface and scenes using every part of the
#    format through optiviz's own writer;
# 2. scripts/check_scene_schema.py validates them (and tests/data/saved_scene.json) against the
#    schema, and checks that wrong scenes are rejected;
# 3. optiviz refuses or warns about every scene the schema rejected (the two agree).
set -euo pipefail
write_scenes=$1 schema=$2 data_dir=$3 out=$4 python=$5
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$out"
mkdir -p "$out/saved" "$out/wrong"
"$write_scenes" write "$out/saved" "$data_dir"
"$python" "$here/../../scripts/check_scene_schema.py" "$schema" "$out/saved" "$out/wrong" "$data_dir/saved_scene.json" "$data_dir/scene_with_cloud_format2.json" "$data_dir/scene_with_clouds_format2.json"
"$write_scenes" refused "$out"/wrong/*.json
echo "optiviz refuses or warns about all $(ls "$out/wrong" | wc -l) wrong scenes"
