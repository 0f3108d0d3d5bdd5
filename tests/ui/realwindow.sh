#!/usr/bin/env bash
# The real window under Xvfb with a window manager (openbox), driven like a trader drives it (xdotool:
# keys and clicks): the kill switch only kills, and the close-out of a run with a killed market waits
# for the trader and tells what was left. CTest runs it (ui_realwindow); it skips (exit 77) where
# Xvfb, openbox or xdotool are missing. Every wait is for a condition, with a generous bound (CI load).
# Usage: realwindow.sh MARKETDESK [OUT-DIR]
set -uo pipefail
md=${1:?usage: realwindow.sh MARKETDESK [OUT-DIR]}
# A fresh directory each run (journal, log, settings): nothing of an earlier run may leak in.
out=${2:-$(mktemp -d)}/run
rm -rf "$out"
mkdir -p "$out"
for tool in Xvfb openbox xdotool xprop; do
    command -v "$tool" >/dev/null || { echo "realwindow: $tool missing, skipped"; exit 77; }
done

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; }
trap cleanup EXIT
fail() { echo "realwindow: FAIL: $*"; echo "--- log tail"; tail -n 40 "$out/marketdesk.log" 2>/dev/null; exit 1; }
# wait_for SECONDS COMMAND...: polls the command every 100 ms until it succeeds.
wait_for() {
    local limit=$(( $1 * 10 )); shift
    for ((i = 0; i < limit; ++i)); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
    return 1
}

# A display of our own (-displayfd: the X server picks a free number and says which).
exec 3>"$out/display"
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp >"$out/xvfb.log" 2>&1 &
pids+=($!)
exec 3>&-
wait_for 20 test -s "$out/display" || fail "Xvfb did not start"
export DISPLAY=":$(head -n1 "$out/display")"
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$out/xdg}; mkdir -p "$XDG_RUNTIME_DIR"; chmod 700 "$XDG_RUNTIME_DIR"
export XDG_CONFIG_HOME="$out/config" XDG_DATA_HOME="$out/data" HOME="$out/home"
mkdir -p "$HOME"
unset QT_QPA_PLATFORM DBUS_SESSION_BUS_ADDRESS
openbox >"$out/openbox.log" 2>&1 &
pids+=($!)
wait_for 20 sh -c 'xprop -root _NET_SUPPORTING_WM_CHECK | grep -q "window id"' || fail "openbox did not start"

# Two simulated markets; SIM-THIN's executor hangs after 1 s, so a cancel or a placement is stuck in it
# when the trader quits: an alert says so, and the close-out has a killed market and orders left behind.
cat >"$out/config.json" <<JSON
{
  "markets": [
    {"name": "SIM-LIQUID", "connector": "sim",
     "instrument": {"symbol": "BTCUSDT", "base": "BTC", "quote": "USDT", "price_tick": "0.01", "quantity_step": "0.0001"},
     "settings": {"seed": 7, "mid": "64250.00", "events_per_second": 500, "latency_ms": 3}},
    {"name": "SIM-THIN", "connector": "sim",
     "instrument": {"symbol": "BTCUSDT", "base": "BTC", "quote": "USDT", "price_tick": "0.10", "quantity_step": "0.001"},
     "settings": {"seed": 11, "mid": "64250.00", "events_per_second": 100, "latency_ms": 5,
                  "fault": "hang_executor", "fault_after_ms": 1000}}
  ],
  "strategy": {"kind": "mirror", "source": "SIM-LIQUID", "destination": "SIM-THIN",
               "max_exposure": "0.5", "order_quantity": "0.05"},
  "grace_seconds": 2,
  "journal": "$out/journal.sqlite",
  "risk": {"max_orders_per_second": 100, "order_burst": 100}
}
JSON

"$md" --config "$out/config.json" --log-file "$out/marketdesk.log" >"$out/stdout.txt" 2>"$out/stderr.txt" &
md_pid=$!
pids+=($md_pid)
wait_for 60 xdotool search --onlyvisible --name '^MarketDesk$' || fail "the window did not appear"
wid=$(xdotool search --onlyvisible --name '^MarketDesk$' | head -n1)
xdotool windowactivate --sync "$wid" 2>/dev/null || xdotool windowfocus --sync "$wid"
wait_for 60 grep -q "copy source" "$out/marketdesk.log" || fail "the strategy never placed"

# 1. The hung executor raises an alert (in the log as in the window).
wait_for 40 grep -q "ALERT Market degraded: SIM-THIN degraded: executor stuck" "$out/marketdesk.log" ||
    fail "no alert for the stuck executor"
echo "realwindow: the stuck executor raised its alert"

halts() { grep -c "desk trading state: halted" "$out/marketdesk.log"; }
resumed() { grep -q "desk trading state: active" "$out/marketdesk.log"; }
title() { xdotool getwindowname "$wid"; }

# 2. The shortcut, twice: halted, and still halted.
xdotool key --window "$wid" --clearmodifiers ctrl+shift+h
wait_for 20 sh -c "grep -q 'desk trading state: halted' '$out/marketdesk.log'" || fail "Ctrl+Shift+H did not halt"
xdotool key --window "$wid" --clearmodifiers ctrl+shift+h
sleep 0.5
resumed && fail "the second Ctrl+Shift+H resumed trading"
# 3. A double-click on the HALT button (the first item of the toolbar): still halted.
read -r x y < <(xdotool getwindowgeometry --shell "$wid" | awk -F= '/^X=/{x=$2} /^Y=/{y=$2} END{print x, y}')
xdotool mousemove --window "$wid" 70 46 click --repeat 2 --delay 86 1
sleep 0.5
resumed && fail "a double-click on HALT resumed trading"
# 4. SIGUSR1 (the same kill switch from outside): still halted.
kill -USR1 "$md_pid"
sleep 0.5
resumed && fail "SIGUSR1 resumed trading"
[ "$(halts)" -eq 1 ] || fail "halted $(halts) times (expected once)"
title | grep -q "TRADING HALTED" || fail "the title does not say halted: $(title)"
echo "realwindow: kill switch: halted once by the shortcut; shortcut again, a double-click and SIGUSR1 left it halted"

# 5. Ctrl+Q with orders open asks first; Alt+S answers "Shut down and cancel them".
xdotool windowactivate --sync "$wid" 2>/dev/null
xdotool key --window "$wid" --clearmodifiers ctrl+q
if wait_for 10 xdotool search --onlyvisible --name '^Quit MarketDesk\?$'; then
    box=$(xdotool search --onlyvisible --name '^Quit MarketDesk\?$' | head -n1)
    xdotool windowactivate --sync "$box" 2>/dev/null
    xdotool key --window "$box" --clearmodifiers alt+s
    echo "realwindow: Ctrl+Q asked first (orders were open)"
fi
wait_for 30 grep -q "orderly shutdown" "$out/marketdesk.log" || fail "the shutdown did not begin"

# 6. The close-out: a killed market, so it stays until the trader closes it.
wait_for 30 xdotool search --onlyvisible --name 'close-out' || fail "no close-out report"
sleep 3
kill -0 "$md_pid" 2>/dev/null || fail "the application ended without the trader closing the report"
xdotool search --onlyvisible --name 'close-out' >/dev/null || fail "the close-out report closed itself"
grep -q "close-out NEEDS ATTENTION" "$out/marketdesk.log" || fail "the log has no close-out summary"
grep -Eq "(open   |unknown) \[SIM-THIN\] #[0-9]+" "$out/marketdesk.log" || fail "the log lists no order left behind"
if command -v import >/dev/null; then import -window root "$out/closeout.png" 2>/dev/null; fi
dialog=$(xdotool search --onlyvisible --name 'close-out' | head -n1)
xdotool windowactivate --sync "$dialog" 2>/dev/null
xdotool key --window "$dialog" --clearmodifiers Escape
for ((i = 0; i < 200; ++i)); do kill -0 "$md_pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$md_pid" 2>/dev/null && fail "the application did not end after the report was closed"
wait "$md_pid"; code=$?
[ "$code" -eq 3 ] || fail "exit code $code (expected 3: a market was killed)"
echo "realwindow: close-out waited for the trader, listed the orders left behind; exit code 3"
echo "realwindow: PASS"
