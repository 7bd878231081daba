#!/usr/bin/env bash
# The hostile-input corpus (issue 27) through the whole program: every case in cases.txt runs
# `optiviz ARGS` with a time limit and (outside sanitized builds) a memory ceiling, and must end
# with the exit status the case names (0 or 2) and, on exit 2, one line on stderr and nothing
# written: neither the output file nor anything on stdout.
# Usage: run_hostile.sh OPTIVIZ CASES_FILE WORK_DIR [MEMORY_MB]   (MEMORY_MB 0: no ceiling)
set -uo pipefail
optiviz="$1" cases="$2" work="$3" memory_mb="${4:-0}"
here="$(cd "$(dirname "$cases")" && pwd)"
rm -rf "$work" && mkdir -p "$work"

# Large inputs are made here, not kept in the repository.
head -c $((20 << 20)) /dev/zero | tr '\0' ',' >"$work/commas.csv"
{ printf 'x,y\n1,2\n3,4\n'; head -c $((5 << 20)) /dev/zero | tr '\0' '7'; printf ',1\n'; } >"$work/long_field.csv"
awk 'BEGIN { print "x,y"; for (i = 0; i < 20000; i++) print (i % 200) * 0.01 - 1 "," (i % 3 == 0) }' >"$work/labels20k.csv"
{ printf 'x,y\n'; for i in 1 2 3; do printf '%s,1\n' "$(head -c 200 /dev/zero | tr '\0' '9')"; done; } >"$work/digits200.csv"
{
  printf '{"format": "optiviz-scene", "surface": {"name": "rosenbrock"}, "start": [-1.5, 2], "steps": 100, '
  printf '"view": [-2, 2, -1, 3], "runs": [{"optimizer": "adam"}], "caption": "'
  head -c $((15 << 20)) /dev/zero | tr '\0' 'W'
  printf '"}\n'
} >"$work/caption.json"

failures=0 count=0
while IFS= read -r line; do
  [[ -z "$line" || "$line" == \#* ]] && continue
  expected="${line%% *}"
  rest="${line#* }"
  rest="${rest//@DIR@/$here}"
  rest="${rest//@WORK@/$work}"
  out="$work/out-$count"
  rest="${rest//@OUT@/$out}"
  eval "args=($rest)"
  count=$((count + 1))
  rm -f "$out".*
  status=0
  if ((memory_mb > 0)); then
    (ulimit -v $((memory_mb * 1024)); exec timeout 120 "$optiviz" "${args[@]}") >"$work/stdout" 2>"$work/stderr" || status=$?
  else
    timeout 120 "$optiviz" "${args[@]}" >"$work/stdout" 2>"$work/stderr" || status=$?
  fi
  lines=$(wc -l <"$work/stderr")
  problem=""
  if [[ "$expected" != "$status" ]]; then problem="exit $status, expected $expected"; fi
  if ((status == 2 && lines != 1)); then problem="$problem; $lines lines on stderr"; fi
  if ((status == 2)) && compgen -G "$out.*" >/dev/null; then problem="$problem; wrote $(compgen -G "$out.*" | head -1)"; fi
  if ((status == 2)) && [[ -s "$work/stdout" ]]; then problem="$problem; wrote to stdout"; fi
  if [[ -n "$problem" ]]; then
    failures=$((failures + 1))
    echo "FAIL: optiviz ${line#* }: $problem" >&2
    head -c 600 "$work/stderr" | head -n 5 >&2
  else
    echo "ok ($status): ${line#* }" | cut -c1-160
  fi
done <"$cases"
echo "$count hostile inputs, $failures failures"
rm -rf "$work"
((failures == 0))
