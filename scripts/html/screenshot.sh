#!/bin/sh
# Renders an HTML report with headless Chromium to a PNG, for a look at it
# (and for docs/html-report.png). Installs Chromium when it is missing
# (Debian/Ubuntu, as root). Not part of `swift test`.
#
#   scripts/html/screenshot.sh REPORT.html OUT.png [WIDTH] [HEIGHT]
#   scripts/html/screenshot.sh --c-build OUT.png   # runs workflows/c-build.yaml first
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)

browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get install -y --no-install-recommends chromium >/dev/null
        browser=$(command -v chromium)
    else
        echo "screenshot.sh: needs chromium (apt-get install chromium)" >&2
        exit 69
    fi
fi

if [ "${1:-}" = --c-build ]; then
    out=${2:?usage: screenshot.sh --c-build OUT.png}
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    flowrun=${FLOWRUN:-$root/.build/debug/flowrun}
    # exit status 1 is a failed run, still worth a picture
    (cd "$root" && "$flowrun" workflows/c-build.yaml --output quiet --html "$work/report.html" >/dev/null) || [ $? -eq 1 ]
    set -- "$work/report.html" "$out" "${3:-1280}" "${4:-1500}"
fi

html=${1:?usage: screenshot.sh REPORT.html OUT.png [WIDTH] [HEIGHT]}
png=${2:?usage: screenshot.sh REPORT.html OUT.png [WIDTH] [HEIGHT]}
width=${3:-1280}
height=${4:-1500}
case $html in /*) ;; *) html=$(pwd)/$html ;; esac
case $png in /*) ;; *) png=$(pwd)/$png ;; esac

# No network at all: the page must not need it, and a request would show up as an error here.
"$browser" --headless=new --no-sandbox --disable-gpu --hide-scrollbars \
    --force-device-scale-factor=1 --window-size="$width,$height" \
    --proxy-server=127.0.0.1:9 --proxy-bypass-list='<-loopback>' \
    --screenshot="$png" "file://$html" 2>/dev/null
echo "$png"
