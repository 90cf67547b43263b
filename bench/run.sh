#!/usr/bin/env bash
# specgate's own cost, measured against the physical limit (wrk) and against Hurl, in one run.
#
#   bash bench/run.sh            # ~9 minutes on a 2-core machine; prints a Markdown table
#
# Against ONE `specgate serve` instance (release build, port 0), side by side:
#   1. wrk replaying exactly the requests the chosen cases send (the physical limit),
#   2. specgate running those cases with every check on (--no-report),
#   3. Hurl sending the same requests with equivalent assertions,
#   4. specgate's own HTTP client replaying the same requests with no checks at all
#      (benches/http_floor.rs: the most specgate's design could reach),
#   5. wrk on ListKeys alone (the emulator's own throughput),
# then start-up time (hyperfine), wall time and peak memory of the plain `specgate run` of the
# shipped suite (embedded emulator), peak memory of a 100,000-case run with reports on and with
# --no-report, and (callgrind) the user-space instructions per request of specgate and of its
# HTTP client alone: a count that does not move with the machine's load.
#
# The cases are a READ-ONLY subset (FILTER, default `alibaba-kms/ListKey`: every ListKeys and
# ListKeyVersions case). They run against a target profile, so a mutating case could not run
# anyway (it would be skipped without --allow-mutations); the script fails if any case does not
# pass. The requests for wrk and Hurl are taken from a one-repetition run's report.json
# (bench/gen.py), so all three tools send the same requests in the same proportions.
#
# Benchmarks are not tests: nothing here runs in CI. Knobs (environment):
#   ROUNDS=3         measurements per tool; the median is reported
#   RUN_SECONDS=20   minimum seconds of work per specgate / Hurl measurement
#   WRK_SECONDS=10   seconds per wrk measurement
#   JOBS=8           concurrency of all three tools (specgate's default on 2 cores is 8)
#   FILTER=alibaba-kms/ListKey
#   BIG_CASES=100000 cases of the peak-memory runs (with reports, then --no-report); the
#                    reports take ~7 KB of disk per case, and a same-sized file of records
#                    while the run goes on
#   CALLGRIND=1      also count instructions per request with valgrind (deterministic, ~1 min)
#   MAX_LOAD=1.0     wait (up to LOAD_WAIT=600 s) until the 1-minute load is below this
#   SPECGATE_BIN=... measure this binary instead of building one (before/after comparisons)
#   CARGO_TARGET_DIR honoured for the build; HURL_TARGET_DIR for building Hurl (default: a temp dir)
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
RUN_SECONDS=${RUN_SECONDS:-20}
WRK_SECONDS=${WRK_SECONDS:-10}
JOBS=${JOBS:-8}
FILTER=${FILTER:-alibaba-kms/ListKey}
BIG_CASES=${BIG_CASES:-100000}
CALLGRIND=${CALLGRIND:-1}
MAX_LOAD=${MAX_LOAD:-1.0}
LOAD_WAIT=${LOAD_WAIT:-600}
HURL_VERSION=8.0.1 # the newest Hurl that builds with rustc 1.95 (8.1 needs a newer compiler)

say() { printf '%s\n' "$*" >&2; }

# --- tools (idempotent) -------------------------------------------------------------------------

need_apt=()
command -v wrk >/dev/null || need_apt+=(wrk)
command -v hyperfine >/dev/null || need_apt+=(hyperfine)
command -v python3 >/dev/null || need_apt+=(python3)
command -v curl >/dev/null || need_apt+=(curl)
[ -x /usr/bin/time ] || need_apt+=(time)
[ "$CALLGRIND" = 0 ] || command -v valgrind >/dev/null || need_apt+=(valgrind)
if ! command -v hurl >/dev/null || ! hurl --version | grep -q "^hurl $HURL_VERSION"; then
    # Hurl links libcurl and libxml2; its libxml binding is generated with bindgen (libclang).
    for p in libcurl4-openssl-dev libxml2-dev pkg-config libclang-dev; do
        dpkg -s "$p" >/dev/null 2>&1 || need_apt+=("$p")
    done
fi
if [ ${#need_apt[@]} -gt 0 ]; then
    say "installing: ${need_apt[*]}"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >&2
fi
if ! command -v hurl >/dev/null || ! hurl --version | grep -q "^hurl $HURL_VERSION"; then
    say "installing hurl $HURL_VERSION from crates.io (a few minutes)"
    CARGO_TARGET_DIR=${HURL_TARGET_DIR:-$(mktemp -d)} \
        cargo install hurl --version "$HURL_VERSION" --locked --quiet >&2
fi

# --- specgate ----------------------------------------------------------------------------------

if [ -n "${SPECGATE_BIN:-}" ]; then
    BIN=$SPECGATE_BIN
else
    say "building specgate (release)"
    cargo build --release --locked --quiet >&2
    BIN=${CARGO_TARGET_DIR:-target}/release/specgate
fi
say "building benches/http_floor.rs"
cargo bench --locked --quiet --bench http_floor --no-run >&2 2>/dev/null ||
    cargo bench --locked --bench http_floor --no-run >&2
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD 2>/dev/null || COMMIT="$COMMIT+dirty"

TMP=$(mktemp -d)
SERVE_PID=""
cleanup() {
    [ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2>/dev/null && wait "$SERVE_PID" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT

"$BIN" serve --port 0 >"$TMP/serve.out" 2>&1 &
SERVE_PID=$!
URL=""
for _ in $(seq 1 100); do
    URL=$(sed -n 's/^specgate emulator listening on //p' "$TMP/serve.out")
    [ -n "$URL" ] && break
    sleep 0.05
done
[ -n "$URL" ] || { cat "$TMP/serve.out" >&2; say "the emulator did not start"; exit 1; }
say "emulator: $URL (pid $SERVE_PID)"

# The values are the emulator's identity (src/emulator/identity.rs).
cat >"$TMP/target.yaml" <<EOF
name: bench-emulator
services:
  alibaba-kms:
    endpoint: $URL
    auth: { kind: none }
    vars: { region: cn-hangzhou, account: "1234567890123456" }
EOF

# --- helpers -----------------------------------------------------------------------------------

wait_quiet() {
    local waited=0
    while awk -v max="$MAX_LOAD" '{ exit !($1 >= max) }' /proc/loadavg; do
        if [ "$waited" -ge "$LOAD_WAIT" ]; then
            say "load still $(cut -d' ' -f1 /proc/loadavg) after ${LOAD_WAIT}s; measuring anyway"
            return
        fi
        sleep 10
        waited=$((waited + 10))
    done
}
load_now() { cut -d' ' -f1 /proc/loadavg; }
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
LOADS=()

# `specgate run` of the subset; prints "<requests/s> <wall seconds> <max RSS KiB> <cases> <requests>"
specgate_run() {
    local repeat=$1; shift
    /usr/bin/time -f '%e %M' -o "$TMP/time" \
        "$BIN" run "$FILTER" --target "$TMP/target.yaml" --jobs "$JOBS" --repeat "$repeat" -q "$@" \
        >"$TMP/run.out" 2>"$TMP/run.err" || { tail -20 "$TMP/run.out" "$TMP/run.err" >&2; exit 1; }
    local line
    line=$(grep '^specgate: ' "$TMP/run.out")
    echo "$line" | grep -q ' 0 failed, 0 known deviations, 0 errors, 0 skipped, 0 inconclusive' ||
        { say "not every case passed: $line"; exit 1; }
    local rps cases reqs
    rps=$(echo "$line" | sed -E 's/.*, ([0-9]+) requests\/s\).*/\1/')
    cases=$(echo "$line" | sed -E 's/^specgate: ([0-9]+) cases.*/\1/')
    reqs=$(echo "$line" | sed -E 's/.* ([0-9]+) requests in .*/\1/')
    read -r wall rss <"$TMP/time"
    echo "$rps $wall $rss $cases $reqs"
}

# specgate's HTTP client alone (benches/http_floor.rs); prints requests/s
floor_run() {
    cargo bench --locked -q --bench http_floor -- "$TMP/rec/latest/report.json" "$WRK_SECONDS" "$JOBS" "$@" \
        2>"$TMP/floor.err" | sed -E -n 's/.*\(([0-9]+) requests\/s.*/\1/p'
}

# wrk with a Lua script; prints requests/s
wrk_run() {
    local script=$1 conns=$2
    wrk -t2 -c"$conns" -d"${WRK_SECONDS}s" -s "$script" "$URL" >"$TMP/wrk.out"
    awk '/^Requests\/sec:/ { print $2 }' "$TMP/wrk.out"
}

# Hurl on the generated file; prints "<requests/s> <wall seconds>"
hurl_run() {
    local repeat=$1
    local start end
    start=$(date +%s.%N)
    hurl --test --jobs "$JOBS" --repeat "$repeat" --variable "base=$URL" "$TMP/gen/suite.hurl" \
        >"$TMP/hurl.out" 2>&1 || { tail -30 "$TMP/hurl.out" >&2; exit 1; }
    end=$(date +%s.%N)
    local n
    n=$(sed -n 's/^Executed requests: *\([0-9]*\).*/\1/p' "$TMP/hurl.out")
    awk -v n="$n" -v s="$start" -v e="$end" 'BEGIN { printf "%.0f %.2f\n", n / (e - s), e - s }'
}

# --- the requests of the subset ------------------------------------------------------------------

say "recording the requests of $FILTER"
"$BIN" run "$FILTER" --target "$TMP/target.yaml" -q --report-dir "$TMP/rec" >"$TMP/rec.out" 2>&1 ||
    { cat "$TMP/rec.out" >&2; exit 1; }
mkdir -p "$TMP/gen"
python3 bench/gen.py "$TMP/rec/latest/report.json" "$TMP/gen" >&2
CASES=$(sed -n 's/^specgate: \([0-9]*\) cases.*/\1/p' "$TMP/rec.out")
PER_CASE_REQS=$(sed -n 's/.* \([0-9]*\) requests in .*/\1/p' "$TMP/rec.out")
cat >"$TMP/listkeys.lua" <<'EOF'
wrk.method = "POST"
wrk.path = "/?Action=ListKeys&Version=2016-01-20&Format=JSON&PageNumber=1&PageSize=10"
wrk.headers["accept"] = "application/json"
EOF

# Repetitions for >= RUN_SECONDS of work, from a short calibration run of each tool.
wait_quiet
read -r cal_rps _ _ _ _ < <(specgate_run 100 --no-report)
SG_REPEAT=$(awk -v r="$cal_rps" -v s="$RUN_SECONDS" -v n="$PER_CASE_REQS" \
    'BEGIN { x = int(r * s * 1.25 / n) + 1; print (x < 20 ? 20 : x) }')
read -r cal_hurl _ < <(hurl_run 10)
HURL_REPEAT=$(awk -v r="$cal_hurl" -v s="$RUN_SECONDS" -v n="$PER_CASE_REQS" \
    'BEGIN { x = int(r * s * 1.25 / n) + 1; print (x < 3 ? 3 : x) }')
BIG_REPEAT=$(( (BIG_CASES + CASES - 1) / CASES ))
say "subset: $CASES cases, $PER_CASE_REQS requests per repetition; specgate --repeat $SG_REPEAT, hurl --repeat $HURL_REPEAT"

# --- side by side, ROUNDS times --------------------------------------------------------------------

for round in $(seq 1 "$ROUNDS"); do
    wait_quiet
    LOADS+=("$(load_now)")
    say "round $round/$ROUNDS (load $(load_now))"
    wrk_run "$TMP/gen/requests.lua" "$JOBS" >>"$TMP/wrk_mix"
    floor_run parse >>"$TMP/floor"
    read -r rps wall _ _ reqs < <(specgate_run "$SG_REPEAT" --no-report)
    echo "$rps" >>"$TMP/sg_rps"
    awk -v n="$reqs" -v w="$wall" 'BEGIN { printf "%.0f\n", n / w }' >>"$TMP/sg_e2e"
    read -r rps _ < <(hurl_run "$HURL_REPEAT")
    echo "$rps" >>"$TMP/hurl_rps"
    wrk_run "$TMP/listkeys.lua" "$JOBS" >>"$TMP/wrk_lk"
    wrk_run "$TMP/listkeys.lua" 64 >>"$TMP/wrk_lk64"
    echo "$wall" >>"$TMP/sg_wall"
    say "  wrk $(tail -1 "$TMP/wrk_mix")  floor $(tail -1 "$TMP/floor")  specgate $(tail -1 "$TMP/sg_rps") (${wall} s)  hurl $(tail -1 "$TMP/hurl_rps")  ListKeys $(tail -1 "$TMP/wrk_lk")"
done

# --- start-up, the shipped suite, memory ---------------------------------------------------------

wait_quiet
say "start-up (hyperfine)"
hyperfine -N --warmup 3 --runs 30 --export-json "$TMP/hf.json" \
    "$BIN run --list" \
    "$BIN run alibaba-kms/ListKeys::page-size-1 --exact --no-report -q" >/dev/null 2>&1
read -r hf_list hf_one < <(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))["results"]
print(" ".join("%.1f" % (x["median"] * 1000) for x in r))' "$TMP/hf.json")

say "the shipped suite against the embedded emulator (5 runs)"
for _ in 1 2 3 4 5; do
    /usr/bin/time -f '%e %M' -o "$TMP/time" "$BIN" run -q --report-dir "$TMP/suite" >"$TMP/suite.out" 2>&1 ||
        { tail -20 "$TMP/suite.out" >&2; exit 1; }
    read -r w m <"$TMP/time"
    echo "$w" >>"$TMP/suite_wall"
    echo "$m" >>"$TMP/suite_rss"
done
SUITE_LINE=$(grep '^specgate: ' "$TMP/suite.out")

wait_quiet
say "peak memory: $((BIG_REPEAT * CASES)) cases, reports on"
read -r rep_rps rep_wall rep_rss rep_cases rep_reqs < <(specgate_run "$BIG_REPEAT" --report-dir "$TMP/reports")
rep_size=$(du -sm "$TMP/reports/latest" | cut -f1)
rep_json=$(du -sm "$TMP/reports/latest/report.json" | cut -f1)
rep_html=$(du -sk "$TMP/reports/latest/report.html" | cut -f1)
rm -rf "$TMP/reports"
wait_quiet
say "peak memory: $((BIG_REPEAT * CASES)) cases, --no-report"
read -r big_rps big_wall big_rss big_cases _ < <(specgate_run "$BIG_REPEAT" --no-report)

# --- instructions per request (callgrind: the same count on a busy or a quiet machine) -------

# The marginal user-space instructions of one more request: the difference between two run
# lengths, so that start-up (loading the suite, building the client) cancels out.
IR_SG=n/a
IR_FLOOR=n/a
if [ "$CALLGRIND" != 0 ]; then
    say "instructions per request (callgrind)"
    ir_total() { grep -E '^(summary|totals):' "$1" | head -1 | awk '{ print $2 }'; }
    for r in 5 25; do
        valgrind --tool=callgrind --callgrind-out-file="$TMP/cg.$r" \
            "$BIN" run "$FILTER" --target "$TMP/target.yaml" --jobs "$JOBS" --repeat "$r" -q --no-report \
            >"$TMP/cg.out" 2>/dev/null
    done
    IR_SG=$(awk -v a="$(ir_total "$TMP/cg.25")" -v b="$(ir_total "$TMP/cg.5")" -v n=$((20 * PER_CASE_REQS)) \
        'BEGIN { printf "%.0f", (a - b) / n }')
    FLOOR_BIN=$(cargo bench --locked --bench http_floor --no-run --message-format=json 2>/dev/null |
        python3 -c 'import json,sys
for l in sys.stdin:
    m = json.loads(l)
    if m.get("executable") and m.get("target", {}).get("name") == "http_floor": print(m["executable"])')
    for s in 2 6; do
        valgrind --tool=callgrind --callgrind-out-file="$TMP/fl.$s" \
            "$FLOOR_BIN" "$TMP/rec/latest/report.json" "$s" "$JOBS" parse >"$TMP/fl.$s.out" 2>/dev/null
    done
    fl_n() { sed -E -n 's/.*: ([0-9]+) requests in .*/\1/p' "$1"; }
    IR_FLOOR=$(awk -v a="$(ir_total "$TMP/fl.6")" -v b="$(ir_total "$TMP/fl.2")" \
        -v n="$(( $(fl_n "$TMP/fl.6.out") - $(fl_n "$TMP/fl.2.out") ))" 'BEGIN { printf "%.0f", (a - b) / n }')
fi

# --- the table ---------------------------------------------------------------------------------

WRK=$(median <"$TMP/wrk_mix")
FLOOR=$(median <"$TMP/floor")
SG=$(median <"$TMP/sg_rps")
SGE=$(median <"$TMP/sg_e2e")
SGW=$(median <"$TMP/sg_wall")
HURL=$(median <"$TMP/hurl_rps")
LK=$(median <"$TMP/wrk_lk")
LK64=$(median <"$TMP/wrk_lk64")
SUITE_WALL=$(median <"$TMP/suite_wall")
SUITE_RSS=$(median <"$TMP/suite_rss")
pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f %%", 100 * a / b }'; }
times() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f×", a / b }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.0f MiB", k / 1024 }'; }
fmt() { awk -v x="$1" 'BEGIN { printf "%\047.0f", x }'; }
yes_no() { awk -v a="$1" -v b="$2" 'BEGIN { print (a >= b ? "met" : "not met") }'; }

cat <<EOF
### $(date -u +%Y-%m-%d) — specgate $COMMIT

Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(free -g | awk '/^Mem:/ { print $2 }') GiB RAM; load at the start of each round: ${LOADS[*]}.
Tools: $(wrk -v 2>&1 | head -1 | awk '{ print $1, $2 }'), $(hurl --version | head -1 | awk '{ print $1, $2 }'), $(hyperfine --version), rustc $(rustc --version | awk '{ print $2 }').
Subset: \`$FILTER\` ($CASES read-only cases, $PER_CASE_REQS requests per repetition), concurrency $JOBS for every tool,
specgate \`--repeat $SG_REPEAT\` ($((SG_REPEAT * CASES)) cases), Hurl \`--repeat $HURL_REPEAT\`, wrk ${WRK_SECONDS} s; median of $ROUNDS rounds.

| what | result | goal |
| --- | --- | --- |
| wrk, the subset's requests (physical limit) | $(fmt "$WRK") req/s | |
| specgate's HTTP client alone, no checks (+ JSON parse) | $(fmt "$FLOOR") req/s ($(pct "$FLOOR" "$WRK") of wrk): the most checks that cost nothing could reach | |
| specgate, every check on, \`--no-report\` | $(fmt "$SG") req/s during the run ($(fmt "$SGE") req/s end to end: $SGW s wall for $(fmt "$((SG_REPEAT * PER_CASE_REQS))") requests) | |
| specgate ÷ wrk | $(pct "$SG" "$WRK") (end to end $(pct "$SGE" "$WRK")) | ≥ 60 %: $(awk -v a="$SG" -v b="$WRK" 'BEGIN { print (a >= 0.6 * b ? "met" : "not met") }') |
| specgate ÷ its HTTP client alone | $(pct "$SG" "$FLOOR") | |
| Hurl $HURL_VERSION, same requests, status/JSONPath/regex asserts | $(fmt "$HURL") req/s | |
| specgate ÷ Hurl | $(times "$SG" "$HURL") | ≥ 2×: $(awk -v a="$SG" -v b="$HURL" 'BEGIN { print (a >= 2 * b ? "met" : "not met") }') |
| user-space instructions per request (callgrind): specgate, every check on | $(fmt "$IR_SG") ($(awk -v a="$IR_SG" -v b="$IR_FLOOR" 'BEGIN { if (b + 0 > 0) printf "%.2f×", a / b; else print "n/a" }') its HTTP client alone: $(fmt "$IR_FLOOR")) | |
| emulator ListKeys, wrk, $JOBS connections | $(fmt "$LK") req/s | ≥ 50,000: $(yes_no "$LK" 50000) |
| emulator ListKeys, wrk, 64 connections | $(fmt "$LK64") req/s | |
| start-up: \`specgate run --list\` | $hf_list ms (median) | |
| start-up: one case against the embedded emulator | $hf_one ms (median) | |
| \`specgate run\` of the shipped suite (embedded emulator, reports on) | $SUITE_WALL s wall, peak $(mib "$SUITE_RSS") | < 1 s: $(awk -v w="$SUITE_WALL" 'BEGIN { print (w < 1 ? "met" : "not met") }') |
| peak memory, $(fmt "$rep_cases") cases, reports on (streamed) | $(mib "$rep_rss") ($rep_wall s wall for $(fmt "$rep_reqs") requests, $(fmt "$rep_rps") req/s during the run; reports ${rep_size} MB: report.json ${rep_json} MB, report.html ${rep_html} KB) | < 64 MiB: $(awk -v k="$rep_rss" 'BEGIN { print (k < 65536 ? "met" : "not met") }') |
| peak memory, $(fmt "$big_cases") cases, \`--no-report\` | $(mib "$big_rss") ($big_wall s, $(fmt "$big_rps") req/s) | < 64 MiB: $(awk -v k="$big_rss" 'BEGIN { print (k < 65536 ? "met" : "not met") }') |

Shipped suite: \`$SUITE_LINE\`
EOF
