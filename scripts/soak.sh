#!/usr/bin/env bash
# The soak run (docs/RELIABILITY.md): builds, then runs simulated markets at a high rate for
# MINUTES (default 30), switching a market off or on every few seconds with faults injected in
# turn; prints memory, threads, events, queue depth and errors over time and the final accounting.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/scripts/setup.sh" "$here/build"
exec "$here/build/tests/soak/soak" --minutes "${1:-30}" --toggle-seconds "${2:-3}"
