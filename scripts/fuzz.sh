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
"$here/scripts/setup.sh" "$build" -DMD_FUZZ=ON -DMD_BUILD_UI=OFF -DCMAKE_CXX_COMPILER=clang++ \
    -DMD_SANITIZE=address,undefined
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=($(cd "$build/tests/fuzz" && ls fuzz_* | grep -v '\.' ))
mkdir -p "$build/crashes"
for t in "${targets[@]}"; do
    corpus=${t#fuzz_}
    mkdir -p "$build/corpus/$corpus"
    echo "== $t for ${seconds}s"
    "$build/tests/fuzz/$t" -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$build/crashes/$t-" \
        "$build/corpus/$corpus" "$here/tests/fuzz/corpus/$corpus" 2>&1 | grep -E "stat::number_of_executed_units|stat::peak_rss|ERROR|SUMMARY|Done" || true
done
