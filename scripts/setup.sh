#!/usr/bin/env bash
# Installs the Debian packages MarketDesk needs (only those missing), then configures and builds.
# Usage: scripts/setup.sh [build-dir] [extra cmake args...]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
shift || true

packages=(
    build-essential cmake ninja-build pkg-config
    qt6-base-dev qt6-base-dev-tools qt6-websockets-dev qt6-httpserver-dev
    libqt6opengl6-dev libgl-dev libxkbcommon-dev libqt6sql6-sqlite libsqlite3-dev
    libspdlog-dev libfmt-dev libsimdjson-dev zlib1g-dev libssl-dev qtkeychain-qt6-dev fonts-dejavu-core
    # Time zones: the window shows local time (a minimal Debian has only UTC); the time-column test runs
    # through zones with DST and 30- and 45-minute offsets.
    tzdata
    xvfb xauth
    # The real-window test (tests/ui/realwindow.sh): a window manager and a trader's keys and clicks;
    # dbus-daemon for the desktop-notification test's private bus.
    openbox xdotool x11-utils dbus-daemon
)
# Callers that need more (the fuzz script: clang) add them in MD_EXTRA_PACKAGES.
packages+=(${MD_EXTRA_PACKAGES:-})
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# ccache, when a developer has it installed, makes rebuilds in several worktrees cheap; CI has none.
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" "$@" >/dev/null
# MD_CONFIGURE_ONLY=1: stop after configuring (the caller picks what to build).
[ "${MD_CONFIGURE_ONLY:-0}" = 1 ] && exit 0
# MD_BUILD_TARGETS: only these targets (and what they need) instead of everything.
cmake --build "$build" --parallel "$(nproc)" ${MD_BUILD_TARGETS:+--target $MD_BUILD_TARGETS}
