#!/usr/bin/env bash
# Runs the bash completion function as bash would and checks what it offers.
# Usage: check_completion.sh COMPLETION_FILE DIR_WITH_OPTIVIZ
set -uo pipefail
# shellcheck disable=SC1090  # the completion file under test
source "$1"
export PATH="$2:$PATH"
failures=0
expect() {  # expect "WORDS..." EXPECTED: completing the last word gives exactly EXPECTED
    local line="$1" expected="$2"
    read -r -a COMP_WORDS <<<"$line"
    [[ "$line" == *" " ]] && COMP_WORDS+=("")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMPREPLY=()
    _optiviz
    local got
    got="$(printf '%s\n' "${COMPREPLY[@]}" | sort | paste -sd ' ')"
    if [[ "$got" != "$expected" ]]; then
        echo "completing '$line': expected '$expected', got '$got'"
        failures=$((failures + 1))
    fi
}
expect "optiviz tr" "trace train"
expect "optiviz " "basins help list render sweep trace train tune"
expect "optiviz trace --sur" "--surface"
expect "optiviz trace --optimizer ad" "adadelta adagrad adam adamax adamw"
expect "optiviz render --surface rose" "rosenbrock"
expect "optiviz --preset narrow" "narrow-valley"
expect "optiviz sweep --met" "--metric"
expect "optiviz sweep --metric " "distance final-loss steps"
expect "optiviz tune --obj" "--objective"
expect "optiviz tune --objective " "distance median-loss steps worst-loss"
expect "optiviz render --vi" "--view"
expect "optiviz render --anim" "--animate"
expect "optiviz render --steps-per" "--steps-per-frame"
expect "optiviz trace --vi" ""
expect "optiviz --vers" "--version"
expect "optiviz trace --schedule " "constant cosine exp plateau step"
expect "optiviz trace --start " ""
expect "optiviz --steps " ""
expect "optiviz render --surface rosenbrock --layout " "3d both map"
expect "optiviz list --j" "--json"
expect "optiviz trace --nesterov --lin" "--line-search"
if ((failures)); then exit 1; fi
echo "bash completion: all cases pass"
