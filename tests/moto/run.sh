#!/usr/bin/env bash
# Runs the AWS KMS suite against moto (`moto_server`, an AWS emulator written by others) and
# holds moto to its committed record: the known deviations `targets/moto-known.yaml` and the
# compatibility page `docs/compat/moto-kms.md`. See docs/compat/README.md.
#
#   bash tests/moto/run.sh            # run and check (CI): fails when a deviation is new, or gone
#   bash tests/moto/run.sh --check    # the same
#   bash tests/moto/run.sh --write    # run and rewrite both files (after a moto upgrade, a suite change)
#
# Steps: builds specgate (debug); installs moto[server] (pinned below) into a virtual environment
# under the cargo target dir, once; starts `moto_server -H 127.0.0.1 -p 0` (it picks a free
# port); runs `specgate run --target targets/moto.yaml --var endpoint=...` on the aws-kms cases
# (--jobs 1 --stable-report, so the report is the same from run to run) with the committed
# baseline, writing the baseline the run calls for (`--write-baseline`); stops moto; renders the
# page with `specgate compat`. --check then compares both with the committed files (a new
# deviation adds an entry with a TODO reason, a fixed one drops its entry: either is a diff)
# and refuses a committed entry whose reason is still a TODO. The run's own report is left in
# <target dir>/moto/reports/moto/ (report.md, report.html, junit.xml, report.json).
#
# Development only: MOTO_SPECS=DIR and MOTO_CASES=PATH run other specs and cases (e.g. a draft
# import); MOTO_VENV=DIR uses another virtual environment holding moto_server.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PYTHONDONTWRITEBYTECODE=1

moto_version="5.1.22"
mode="${1:---check}"
case "$mode" in
--check | --write) ;;
*)
    echo "usage: bash tests/moto/run.sh [--check | --write]" >&2
    exit 2
    ;;
esac

target_dir="${CARGO_TARGET_DIR:-target}"
venv="${MOTO_VENV:-$target_dir/moto-venv}"
specs="${MOTO_SPECS:-specs}"
cases="${MOTO_CASES:-cases/aws-kms}"
known="targets/moto-known.yaml"
page="docs/compat/moto-kms.md"
regenerate="bash tests/moto/run.sh --write"
work="$target_dir/moto"

cargo build --quiet --bin specgate
specgate="$target_dir/debug/specgate"

# moto, pinned; our environment is reused while it holds that version (one given with
# MOTO_VENV is used as it is, never replaced).
if [ -z "${MOTO_VENV:-}" ] && [ ! -f "$venv/.moto-$moto_version" ]; then
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "moto[server]==$moto_version"
    touch "$venv/.moto-$moto_version"
fi

rm -rf "$work"
mkdir -p "$work"
pid=""
stop_moto() {
    if [ -n "$pid" ]; then
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
        pid=""
    fi
}
trap stop_moto EXIT

"$venv/bin/moto_server" -H 127.0.0.1 -p 0 >"$work/moto.log" 2>&1 &
pid=$!
url=""
for _ in $(seq 1 200); do
    url="$(grep -o 'http://127\.0\.0\.1:[0-9][0-9]*' "$work/moto.log" | head -n 1 || true)"
    [ -n "$url" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
done
if [ -z "$url" ]; then
    cat "$work/moto.log" >&2
    echo "moto_server did not print its URL" >&2
    exit 1
fi
echo "moto $moto_version at $url"

baseline=()
if [ -f "$known" ]; then
    baseline=(--baseline "$known")
fi
rc=0
"$specgate" run --target targets/moto.yaml --var "endpoint=$url" \
    --specs "$specs" --cases "$cases" "${baseline[@]}" \
    --jobs 1 --stable-report --run-id moto --report-dir "$work/reports" \
    --write-baseline "$work/moto-known.yaml" --force --quiet >"$work/run.log" 2>&1 || rc=$?
stop_moto
# The gate fails (exit 1) on moto's errors (a 500 page is never a known deviation); the page
# lists them, and the page is checked below. Any other exit is a broken run.
if { [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; } || [ ! -f "$work/reports/moto/report.json" ]; then
    tail -n 40 "$work/run.log" >&2
    echo "specgate run exited with $rc" >&2
    exit 1
fi
grep -E '^(specgate:|gate:)' "$work/run.log" || true

# render PAGE BASELINE [--out FILE | --check FILE]: the page, with the reasons of BASELINE.
render() {
    "$specgate" compat "$work/reports/moto/report.json" --specs "$specs" --cases "$cases" \
        --baseline "$1" --title "moto $moto_version against the AWS KMS model" \
        --command "$regenerate" "${@:2}"
}

if [ "$mode" = "--write" ]; then
    mkdir -p "$(dirname "$page")"
    cp "$work/moto-known.yaml" "$known"
    render "$known" --out "$page"
    echo "wrote $known and $page"
    if grep -q 'reason: "TODO' "$known"; then
        echo "review: $(grep -c 'reason: "TODO' "$known") entries of $known still have a TODO reason; say why each deviation is real, then run --write again"
    fi
    exit 0
fi

failed=0
if [ ! -f "$known" ] || ! diff -u "$known" "$work/moto-known.yaml"; then
    echo "error: $known is not what moto $moto_version does now (a deviation is new, or gone: diff above)" >&2
    failed=1
fi
if grep -n 'reason: "TODO' "$known" 2>/dev/null; then
    echo "error: $known has entries whose reason is still a TODO (above): say why each deviation is real" >&2
    failed=1
fi
render "$work/moto-known.yaml" --out "$work/moto-kms.md"
if [ ! -f "$known" ] || ! render "$known" --check "$page"; then
    failed=1
fi
if [ "$failed" -ne 0 ]; then
    echo "regenerate both with: $regenerate (then review every TODO reason in $known)" >&2
    exit 1
fi
echo "moto $moto_version: deviations exactly as in $known; $page is current"
