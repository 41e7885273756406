#!/usr/bin/env bash
# The HTML pack in a real browser (issue 21): headless Chromium opens the page written
# for the 42 example returns from disk, with no network, and must log no console
# error; it saves a PNG screenshot and an A4 landscape PDF print under
# target/browser-check/ for people to look at. Installs chromium and poppler-utils
# (pdfinfo) with apt-get when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null || ! command -v pdfinfo >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null
fi
out=target/browser-check
rm -rf "$out" && mkdir -p "$out"
cargo build --locked --quiet
start=$(date +%s%N)
target/debug/eprscan report examples/returns -o "$out/pack.html"
end=$(date +%s%N)
size=$(stat -c %s "$out/pack.html")
echo "browser-check: pack.html $size bytes, written in $(((end - start) / 1000000)) ms (debug build)"
[ "$size" -lt 1000000 ] || { echo "browser-check: page over 1 MB" >&2; exit 1; }
page="file://$PWD/$out/pack.html"
# Root in CI: Chromium's sandbox needs --no-sandbox there. No network is used: the
# page is read from disk and fetches nothing.
flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --enable-logging=stderr --v=0)
chromium "${flags[@]}" --window-size=1280,2400 --screenshot="$out/pack.png" "$page" 2>"$out/screenshot.log" >/dev/null
chromium "${flags[@]}" --no-pdf-header-footer --print-to-pdf="$out/pack.pdf" "$page" 2>"$out/print.log" >/dev/null
chromium "${flags[@]}" --dump-dom "$page" 2>"$out/dom.log" >"$out/dom.html"
# Console messages (a script error, a blocked load) are logged as CONSOLE lines.
if grep -hE "CONSOLE|Uncaught|Failed to load resource|net::ERR" "$out"/*.log; then
    echo "browser-check: the browser logged console errors (above)" >&2
    exit 1
fi
hexes=$(grep -o '<g class="hex"' "$out/dom.html" | wc -l)
[ "$hexes" -eq 42 ] || { echo "browser-check: $hexes hexagons rendered, expected 42" >&2; exit 1; }
[ -s "$out/pack.png" ] || { echo "browser-check: no screenshot" >&2; exit 1; }
pdfinfo "$out/pack.pdf" >"$out/pdfinfo.txt"
grep -q "Page size: *841.* x 59[45].* pts (A4)" "$out/pdfinfo.txt" ||
    { echo "browser-check: the print is not A4 landscape" >&2; cat "$out/pdfinfo.txt" >&2; exit 1; }
echo "browser-check: rendered with no console error; 42 hexagons; $(grep Pages "$out/pdfinfo.txt" | tr -s ' ') A4 landscape; see $out/pack.png and $out/pack.pdf"
