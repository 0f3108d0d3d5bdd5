#!/usr/bin/env bash
# Mirror across two exchanges on this machine: starts the fake Binance (the liquid source) and the fake
# Kraken (the destination, BTC/USDT: the same quote currency) on loopback, then MarketDesk on
# resources/config/mirror-binance-kraken-fake.json. Extra arguments go to marketdesk
# (e.g. --headless --run-for 60). The fakes stop when MarketDesk exits.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${MD_BUILD_DIR:-$here/build}
MD_BUILD_TARGETS="marketdesk fake_binance_exchange fake_kraken_exchange" "$here/scripts/setup.sh" "$build"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
"$build/tests/binance/fake_binance_exchange" --rest-port 18080 --stream-port 18081 \
    --api-key fake-api-key --api-secret fake-api-secret &
pids+=($!)
"$build/tests/kraken/fake_kraken_exchange" --symbol BTC/USDT --rest-port 18090 --ws-port 18091 --auth-port 18092 &
pids+=($!)
sleep 1
args=("$@")
[ -n "${DISPLAY:-}" ] || [[ " ${args[*]} " == *" --headless "* ]] || args+=(--headless)
MARKETDESK_BINANCE_API_KEY=fake-api-key MARKETDESK_BINANCE_API_SECRET=fake-api-secret \
MARKETDESK_KRAKEN_API_KEY=fake-kraken-key \
MARKETDESK_KRAKEN_API_SECRET=ZmFrZS1rcmFrZW4tc2VjcmV0LWZvci10ZXN0cy1vbmx5LXBhZGRpbmctcGFkZGluZw== \
    "$build/app/marketdesk" --config "$here/resources/config/mirror-binance-kraken-fake.json" "${args[@]}"
