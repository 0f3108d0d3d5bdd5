#!/usr/bin/env bash
# Builds and runs tests under a sanitizer in its own build directory.
#   scripts/sanitize.sh thread   [ctest args]   # ThreadSanitizer, threading + integration tests
#   scripts/sanitize.sh address  [ctest args]   # AddressSanitizer + UBSan, whole suite
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
kind=${1:-thread}
shift || true
case "$kind" in
thread)
    build="$here/build-tsan"
    labels=(-L "threads|sim|integration")
    # Only the executables of the tests this stage runs (a third of the build is other tests,
    # benchmarks and fuzz targets). A test's name is its target's (soak_short runs the soak target);
    # CTest lists the names once CMake has configured, before anything is built.
    MD_CONFIGURE_ONLY=1 "$here/scripts/setup.sh" "$build" -DMD_SANITIZE=thread -DMD_BUILD_UI=OFF
    targets=""
    for t in $(cd "$build" && ctest -N "${labels[@]}" | sed -n 's/^ *Test *#[0-9]*: \(.*\)$/\1/p'); do
        if ninja -C "$build" -t query "$t" >/dev/null 2>&1; then targets+="$t "; else targets+="${t%_short} "; fi
    done
    MD_BUILD_TARGETS="$targets" "$here/scripts/setup.sh" "$build" -DMD_SANITIZE=thread -DMD_BUILD_UI=OFF
    # die_after_fork=0: tests that start marketdesk with QProcess fork from a multi-threaded process
    # (the child only execs; TSan would otherwise refuse it).
    export TSAN_OPTIONS="suppressions=$here/tests/tsan.supp halt_on_error=1 second_deadlock_stack=1 die_after_fork=0"
    ;;
address)
    build="$here/build-asan"
    "$here/scripts/setup.sh" "$build" -DMD_SANITIZE=address,undefined
    export ASAN_OPTIONS="detect_leaks=0"
    export UBSAN_OPTIONS="print_stacktrace=1 halt_on_error=1"
    labels=()
    ;;
*)
    echo "usage: $0 thread|address [ctest args]" >&2
    exit 1
    ;;
esac
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$build/xdg-runtime}
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
cd "$build"
ctest --output-on-failure "${labels[@]}" "$@"
