#!/usr/bin/env bash
# Opens a real report.html (with failures and a diff) in headless Chromium: the page must render
# without console errors, the matrix, a diff and the pictures (status bars, latency, the trend of
# a --history file) must be in the rendered page with a non-zero size, and a screenshot is
# written next to the report (its path is printed). Installs Debian's chromium when it is missing.
# Run from the repository root: bash tests/html/check.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
target_dir="${CARGO_TARGET_DIR:-target}"

if ! command -v chromium >/dev/null 2>&1; then
    echo "installing chromium (Debian package)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq chromium >/dev/null
fi

cargo build --quiet --bin specgate
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# A history with an earlier run and a malformed line (skipped with a warning): the trend has two runs.
history="$work/history.jsonl"
printf 'not a run\n' >"$history"
set +e
"$target_dir/debug/specgate" run --cases tests/html/failing.yaml --report-dir "$work/reports" --run-id html-check-0 \
    --history "$history" >"$work/run0.log" 2>&1
"$target_dir/debug/specgate" run --cases tests/html/failing.yaml --report-dir "$work/reports" --run-id html-check \
    --history "$history" >"$work/run.log" 2>&1
code=$?
set -e
if [ "$code" -ne 1 ]; then
    cat "$work/run.log"
    echo "expected the failing cases to fail the gate (exit 1), got $code"
    echo "0 passed, 1 failed"
    exit 1
fi
report="$work/reports/html-check/report.html"
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --user-data-dir="$work/profile" --window-size=1400,2200)

chromium "${flags[@]}" --enable-logging=stderr --v=0 --virtual-time-budget=3000 --dump-dom "file://$report" \
    >"$work/dom.html" 2>"$work/console.log"
chromium "${flags[@]}" --virtual-time-budget=3000 --screenshot="$work/reports/html-check/screenshot.png" "file://$report" \
    >/dev/null 2>&1

passed=0
failed=0
check() {
    if eval "$2"; then passed=$((passed + 1)); echo "ok: $1"; else failed=$((failed + 1)); echo "FAILED: $1"; fi
}
check "no console errors" "! grep -E 'CONSOLE.*(Uncaught|Error)|Uncaught' '$work/console.log'"
check "the matrix is rendered" "grep -q 'class=\"matrix\"' '$work/dom.html' && grep -q 'alibaba-kms/ListKeyVersions' '$work/dom.html'"
check "a diff is rendered" "grep -q 'class=\"diff\"' '$work/dom.html' && grep -q '+++ actual' '$work/dom.html'"
check "findings are rendered" "grep -q 'empty-page-vs-sample' '$work/dom.html' && grep -q 'wrong-page-size-expected' '$work/dom.html'"
check "a screenshot was written" "[ -s '$work/reports/html-check/screenshot.png' ]"
# The pictures: each chart is an SVG with role=img and an aria-label, drawn with a non-zero size
# (charts.js writes the size the browser laid out into data-drawn-size).
drawn() { grep -oE '<svg[^>]*data-drawn-size="[1-9][0-9]*x[1-9][0-9]*"[^>]*>' "$work/dom.html" | grep 'role="img"' | grep -c 'aria-label="' || true; }
check "four pictures are drawn with a size (status bars, latency, pass % and duration trend)" '[ "$(drawn)" -ge 4 ]'
check "the status bars have a failed segment with its count on hover" "grep -qE '<title>[^<]*: [0-9]+ failed of [0-9]+</title>' '$work/dom.html' && grep -q 'data-status=\"fail\"' '$work/dom.html'"
check "the latency chart names p50, p95 and max" "grep -qE 'p50 [0-9]+ ms · p95 [0-9]+ ms · max [0-9]+ ms' '$work/dom.html'"
check "the trend shows both runs of the history" "grep -q 'The last 2 runs of the history file' '$work/dom.html' && grep -q '<title>html-check-0 (' '$work/dom.html'"
check "the malformed history line was skipped with a warning" "grep -q 'history.jsonl:1: skipped' '$work/run0.log' && [ \$(wc -l <'$history') -eq 3 ]"
# A stable report has no timings: the latency chart says so instead of drawing.
"$target_dir/debug/specgate" run --cases tests/html/failing.yaml --report-dir "$work/reports" --run-id html-stable \
    --stable-report >/dev/null 2>&1 || true
chromium "${flags[@]}" --virtual-time-budget=3000 --dump-dom "file://$work/reports/html-stable/report.html" \
    >"$work/stable-dom.html" 2>/dev/null
check "a stable report says it has no timings" "grep -q 'no timings (stable report)' '$work/stable-dom.html' && ! grep -q 'class=\"latency-row\"' '$work/stable-dom.html'"
mkdir -p target/html-check
cp "$work/reports/html-check/screenshot.png" "$report" target/html-check/ 2>/dev/null || true
echo "screenshot: $(pwd)/target/html-check/screenshot.png"
if [ "$failed" -ne 0 ]; then
    echo "--- console"; cat "$work/console.log" | tail -20
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
