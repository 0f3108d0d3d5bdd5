#!/usr/bin/env bash
# The soak runs (docs/RELIABILITY.md), after a build:
#   scripts/soak.sh [MINUTES=30] [TOGGLE-SECONDS=3]   simulated markets at a high rate for MINUTES, a market
#       switched off or on every few seconds with faults injected in turn; memory, threads, events, queue
#       depth and errors over time and the final accounting.
#   scripts/soak.sh --demo [MINUTES=30] [CONFIG]       the demo configuration itself (resources/config/demo.json
#       by default): fills, balances, positions and rejections every minute; it must keep trading.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/scripts/setup.sh" "$here/build"
if [ "${1:-}" = "--demo" ]; then
    exec "$here/build/tests/soak/demosoak" --minutes "${2:-30}" --config "${3:-$here/resources/config/demo.json}"
fi
exec "$here/build/tests/soak/soak" --minutes "${1:-30}" --toggle-seconds "${2:-3}"
