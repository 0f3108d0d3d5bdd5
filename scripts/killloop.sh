#!/usr/bin/env bash
# SIGKILL loop (issue 12): marketdesk trading on the fake Binance exchange is killed with SIGKILL at
# the moment the exchange books one of its placements (or a few ms later), KILLS times; after every
# kill each order open on the exchange must be listed by --journal-report. CTest runs 10 kills
# (binance_tst_killloop); this runs as many as asked (default 100) against an existing build.
# Usage: scripts/killloop.sh [kills=100] [build-dir=build]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
kills=${1:-100}
build=${2:-$here/build}
export QT_QPA_PLATFORM=offscreen
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$build/xdg-runtime}
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
MD_KILL_LOOP_KILLS=$kills "$build/tests/binance/binance_tst_killloop" -maxwarnings 0
