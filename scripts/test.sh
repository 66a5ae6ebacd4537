#!/usr/bin/env bash
# Run the tests as CI does: install the test dependencies, bring the bed up when possible,
# put the stand-ins first on PATH and run pytest with the given arguments.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore
python -m pip install -q --no-input -e '.[test]'

if [[ "$(id -u)" == 0 ]]; then
  scripts/bed.sh up
elif ! scripts/bed.sh up; then
  echo "test.sh: the bed is not up (needs root the first time); integration tests will be skipped" >&2
fi
eval "$(scripts/bed.sh env)"

# The caller narrowed the run if it passed -k/-m/--deselect/--lf or an existing test path or
# node id (`path::test`); option values such as `no:cacheprovider` are not paths.
narrowed() {
  local arg
  for arg in "$@"; do
    case "$arg" in
      -k | -k?* | -m | -m?* | --deselect | --deselect=* | --lf | --last-failed) return 0 ;;
      -*) ;;
      *) [[ -e "${arg%%::*}" ]] && return 0 ;;
    esac
  done
  return 1
}

status=0
python -m pytest "$@" || status=$?
if [[ "$status" == 5 ]]; then
  if narrowed "$@"; then
    echo "test.sh: pytest collected no tests for the selection given; nothing to run" >&2
    exit 0
  fi
  echo "test.sh: pytest collected no tests at all (exit 5)" >&2
fi
exit "$status"
