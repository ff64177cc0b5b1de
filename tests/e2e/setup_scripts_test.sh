#!/usr/bin/env bash
# The README's two commands share one build directory: running the quick
# start first must not leave it configured without tests, so the test command
# run afterwards still registers (and so builds and runs) the whole suite.
#   setup_scripts_test.sh SOURCE_DIR
set -euo pipefail
src="$1"
work="$(mktemp -d /tmp/trellis-setup-XXXXXX)"
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
export TRELLIS_CONFIGURE_ONLY=1

# README order: quick start, then the test command, in one clone.
"$src/installers/quickstart.sh" --build-dir "$work/build" --state-dir "$work/state"
"$src/installers/test.sh" "$work/build"
grep -q '^TRELLIS_BUILD_TESTS:BOOL=ON$' "$work/build/CMakeCache.txt" ||
  fail "the shared build directory is configured without tests"
count="$(cd "$work/build" && ctest -N | sed -n 's/^Total Tests: //p')"
[ "${count:-0}" -gt 0 ] || fail "ctest finds no tests after quickstart + test.sh"

# A directory an older quick start configured with tests off is repaired by
# the test command rather than silently testing nothing.
"$src/installers/build.sh" "$work/old" -DTRELLIS_BUILD_TESTS=OFF
"$src/installers/test.sh" "$work/old"
grep -q '^TRELLIS_BUILD_TESTS:BOOL=ON$' "$work/old/CMakeCache.txt" ||
  fail "test.sh kept TRELLIS_BUILD_TESTS=OFF from an earlier configure"
echo "setup scripts: quickstart then test.sh registers $count tests"
