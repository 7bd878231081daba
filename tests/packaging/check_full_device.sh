#!/usr/bin/env bash
# Output that cannot be written is a failure: each command below, with standard output on a full
# device, must exit non-zero and say so in one line, the last on standard error (tune and sweep
# print their summaries there before it).
# Usage: check_full_device.sh OPTIVIZ
set -uo pipefail
optiviz="$1"
failures=0
check() {
    local message status
    message="$("$optiviz" "$@" 2>&1 >/dev/full)"
    status=$?
    if ((status == 0)) || [[ "$(grep -c '^optiviz: error:' <<<"$message")" != 1 ]] ||
        [[ "$(tail -n 1 <<<"$message")" != "optiviz: error: cannot write to standard output: No space left on device" ]]; then
        echo "optiviz $* > /dev/full: status $status, stderr: $message"
        failures=$((failures + 1))
    fi
}
check list
check list --json
check --help
check help trace
check --version
check trace --surface rosenbrock --optimizer adam --start -1.5,2 --steps 5
check tune --surface quadratic --optimizer sgd --start 1,1 --budget 5 --starts 2 --lr-grid 0.01:0.1:3 --refine 0
check sweep --surface quadratic --optimizer sgd --start 1,1 --steps 5 --x lr=0.01:0.1:log:2 --y momentum=0:0.5:lin:2 --out -
if ((failures)); then exit 1; fi
echo "full device: every command fails with one line"
