#!/usr/bin/env bash
# Builds the libFuzzer targets with clang + ASan/UBSan and runs each for a while.
#   scripts/fuzz.sh [seconds-per-target] [target...]
# New inputs go to build-fuzz/corpus/<target>; crashes to build-fuzz/crashes/ (copy each into
# tests/fuzz/corpus/<target>/ once fixed: the normal build replays them under CTest).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
shift || true
build="$here/build-fuzz"
all=(fuzz_decimal fuzz_orderbook fuzz_config fuzz_binance fuzz_binance_user fuzz_kraken)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")
MD_EXTRA_PACKAGES=clang MD_BUILD_TARGETS="${targets[*]}" "$here/scripts/setup.sh" "$build" -DMD_FUZZ=ON \
    -DMD_BUILD_UI=OFF -DCMAKE_CXX_COMPILER=clang++ -DMD_SANITIZE=address,undefined
export UBSAN_OPTIONS="halt_on_error=1 print_stacktrace=1"
mkdir -p "$build/crashes"
status=0
for t in "${targets[@]}"; do
    corpus=${t#fuzz_}
    mkdir -p "$build/corpus/$corpus"
    log="$build/$t.log"
    echo "== $t for ${seconds}s"
    if "$build/tests/fuzz/$t" -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$build/crashes/$t-" \
        "$build/corpus/$corpus" "$here/tests/fuzz/corpus/$corpus" >"$log" 2>&1; then
        grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$log" || true
    else
        echo "$t FAILED: a crash or sanitizer report (input saved under $build/crashes/)"
        grep -A40 -E "ERROR|runtime error|SUMMARY" "$log" | head -80
        status=1
    fi
done
exit $status
