#!/usr/bin/env bash
# Configures and builds Trellis with CMake + Ninja.
#   installers/build.sh [BUILD_DIR] [extra cmake args...]
# Environment:
#   TRELLIS_BUILD_TARGETS  ninja targets to build (default: everything)
#   TRELLIS_BUILD_JOBS     parallel jobs (default: nproc)
#   TRELLIS_CONFIGURE_ONLY=1  stop after configuring
# The test suite is always configured (TRELLIS_BUILD_TESTS=ON unless the
# caller passes another value), so one build directory serves both the
# quick start, which builds only the binaries it runs, and the test command.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
shift || true
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DTRELLIS_BUILD_TESTS=ON "$@" >/dev/null
[ "${TRELLIS_CONFIGURE_ONLY:-0}" = 1 ] && exit 0
# Two jobs: grpc-heavy translation units need ~1.5 GB each.
# shellcheck disable=SC2086
ninja -C "$build" -j "${TRELLIS_BUILD_JOBS:-$(nproc)}" ${TRELLIS_BUILD_TARGETS:-}
