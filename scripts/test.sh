#!/usr/bin/env bash
# Sets everything up, builds, and runs the whole test suite with CTest.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${MD_BUILD_DIR:-$here/build}
"$here/scripts/setup.sh" "$build"
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$build/xdg-runtime}
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
cd "$build"
ctest --output-on-failure --parallel "$(nproc)" "$@"
