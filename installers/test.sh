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
echo "== testing"
cd "$build"
ctest --output-on-failure -j "$(nproc)" --timeout 600
