#!/usr/bin/env bash
# Sets everything up, builds, and starts MarketDesk on the simulated demo markets.
# Extra arguments go to marketdesk (e.g. --headless --run-for 30). Without a display it runs headless.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/scripts/setup.sh" "$here/build"
args=("$@")
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [[ " ${args[*]} " != *" --headless "* ]]; then
    echo "run-demo: no display found, running headless (Ctrl+C for an orderly shutdown)"
    args=(--headless "${args[@]}")
fi
exec "$here/build/app/marketdesk" --config "$here/resources/config/demo.json" "${args[@]}"
