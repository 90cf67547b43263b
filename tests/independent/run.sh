#!/usr/bin/env bash
# Runs the shipped suite against the independent implementation (tests/independent/server.py)
# and fails on any documented failure. See docs/independent.md.
#
# Run from anywhere: bash tests/independent/run.sh
# Builds specgate (debug), starts server.py on a free loopback port, writes a temporary target
# profile for both services (dummy credentials from variables set here: the server checks no
# signature), runs `specgate run --allow-mutations` and checks report.json with check.py.
# The last line is "N passed, M failed" (M = documented failures); the exit status is non-zero
# when M > 0. INDEPENDENT_ALLOW_FAILURES=N raises that bar, for development only: CI never sets it.
# INDEPENDENT_KEEP=DIR keeps the report in DIR.
set -euo pipefail
cd "$(dirname "$0")/../.."

target_dir="${CARGO_TARGET_DIR:-target}"
allowed="${INDEPENDENT_ALLOW_FAILURES:-0}"

cargo build --quiet --bin specgate

work="$(mktemp -d)"
log="$work/server.log"
pid=""
cleanup() {
    if [ -n "$pid" ]; then
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

region=cn-hangzhou
account=1234567890123456
huawei_region=cn-north-4
domain_id=3bab8e245e854f68af5967c00dd43127
project_id=0123456789abcdef0123456789abcdef

python3 tests/independent/server.py --alibaba-region "$region" --alibaba-account "$account" \
    --huawei-region "$huawei_region" --domain-id "$domain_id" --project-id "$project_id" \
    >"$log" 2>&1 &
pid=$!

url=""
for _ in $(seq 1 100); do
    url="$(sed -n 's/^listening on \(http:\/\/127\.0\.0\.1:[0-9]*\)$/\1/p' "$log" | head -n 1)"
    [ -n "$url" ] && break
    if ! kill -0 "$pid" 2>/dev/null; then
        cat "$log" >&2
        echo "0 passed, 1 failed"
        exit 1
    fi
    sleep 0.1
done
if [ -z "$url" ]; then
    echo "the independent server did not print its URL" >&2
    echo "0 passed, 1 failed"
    exit 1
fi

cat >"$work/target.yaml" <<EOF
name: independent
services:
  alibaba-kms:
    endpoint: $url
    auth: { kind: alibaba-v1, access_key_id: { env: SG_INDEPENDENT_ALI_ID }, access_key_secret: { env: SG_INDEPENDENT_ALI_SECRET } }
    vars: { region: $region, account: "$account" }
  huawei-kms:
    endpoint: $url
    auth: { kind: huawei-aksk, ak: { env: SG_INDEPENDENT_HW_AK }, sk: { env: SG_INDEPENDENT_HW_SK } }
    vars: { project_id: $project_id, huawei_region: $huawei_region, domain_id: $domain_id }
EOF

# Dummy credentials: the independent server accepts any signature.
export SG_INDEPENDENT_ALI_ID=independent-id SG_INDEPENDENT_ALI_SECRET=independent-secret
export SG_INDEPENDENT_HW_AK=independent-ak SG_INDEPENDENT_HW_SK=independent-sk

reports="$work/reports"
set +e
timeout 300 "$target_dir/debug/specgate" run --target "$work/target.yaml" --allow-mutations \
    --report-dir "$reports" --run-id independent >"$work/run.log" 2>&1
rc=$?
set -e
# specgate exits 1 when the gate fails (inferred cases may fail here); anything else is broken.
if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
    cat "$work/run.log" >&2
    echo "specgate run exited with $rc" >&2
    echo "0 passed, 1 failed"
    exit 1
fi
tail -n 30 "$work/run.log"
report="$(find "$reports" -name report.json | head -n 1)"
if [ -z "$report" ]; then
    echo "no report.json under $reports" >&2
    echo "0 passed, 1 failed"
    exit 1
fi
if [ -n "${INDEPENDENT_KEEP:-}" ]; then
    mkdir -p "$INDEPENDENT_KEEP"
    cp -r "$(dirname "$report")"/. "$INDEPENDENT_KEEP"/
fi
if ! python3 tests/independent/check.py "$report" "$allowed"; then
    echo "--- the independent server's log (last 40 lines) ---" >&2
    tail -n 40 "$log" >&2
    exit 1
fi
