#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to the whole test suite:
# installs what is missing, builds everything, runs ctest.
#   installers/test.sh [BUILD_DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
"$root/installers/debian/install-deps.sh"
echo "== building"
"$root/installers/build.sh" "$build"
[ "${TRELLIS_CONFIGURE_ONLY:-0}" = 1 ] && exit 0
echo "== testing"
cd "$build"
# --no-tests=error: a build that registered no tests is a failure, never a pass.
ctest --output-on-failure --no-tests=error -j "$(nproc)" --timeout 600
