#!/usr/bin/env bash
# Builds the libFuzzer harnesses (clang, AddressSanitizer + UndefinedBehaviorSanitizer) and runs each
# for a fixed time, starting from the seed corpus in fuzz/corpus. Usage: scripts/fuzz.sh [SECONDS]
# (per harness, default 30). A crash or hang leaves its input in build-fuzz/findings/ and fails.
# New interesting inputs go to build-fuzz/corpus/, never into the repository's seed corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"
if ! command -v clang++ >/dev/null; then
  echo "fuzz.sh: clang++ is not installed (scripts/install-deps.sh --fuzz)" >&2
  exit 1
fi
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang \
  -DCMAKE_CXX_COMPILER=clang++ -DOPTIVIZ_FUZZ=ON -DOPTIVIZ_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build build-fuzz -j "$(nproc)" --target fuzz_scene fuzz_csv fuzz_run_spec fuzz_number fuzz_expression fuzz_trajectory
mkdir -p build-fuzz/findings
status=0
for harness in scene csv run_spec number expression trajectory; do
  corpus="build-fuzz/corpus/$harness"
  mkdir -p "$corpus"
  echo "fuzz_$harness: ${seconds} s"
  # -timeout: one input may take at most 5 s (a hang is a finding); -rss_limit_mb: 2 GB.
  if ! ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
      "build-fuzz/fuzz/fuzz_$harness" -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -max_len=65536 \
      -print_final_stats=1 -artifact_prefix="build-fuzz/findings/$harness-" \
      "$corpus" "fuzz/corpus/$harness" >"build-fuzz/fuzz_$harness.log" 2>&1; then
    echo "fuzz_$harness found a problem: see build-fuzz/fuzz_$harness.log and build-fuzz/findings/" >&2
    tail -n 30 "build-fuzz/fuzz_$harness.log" >&2
    status=1
  else
    grep -E "stat::number_of_executed_units" "build-fuzz/fuzz_$harness.log" || true
  fi
done
exit $status
