#!/usr/bin/env bash
# Configures and builds Trellis with CMake + Ninja.
#   installers/build.sh [BUILD_DIR] [extra cmake args...]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
shift || true
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
# Two jobs: grpc-heavy translation units need ~1.5 GB each.
ninja -C "$build" -j "${TRELLIS_BUILD_JOBS:-$(nproc)}"
