#!/usr/bin/env bash
# Opens a real report.html (with failures and a diff) in headless Chromium: the page must render
# without console errors, the matrix and a diff must be in the rendered page, and a screenshot is
# written next to the report. Installs Debian's chromium when it is missing.
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
set +e
"$target_dir/debug/specgate" run --cases tests/html/failing.yaml --report-dir "$work/reports" --run-id html-check >"$work/run.log" 2>&1
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
mkdir -p target/html-check
cp "$work/reports/html-check/screenshot.png" "$report" target/html-check/ 2>/dev/null || true
if [ "$failed" -ne 0 ]; then
    echo "--- console"; cat "$work/console.log" | tail -20
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
