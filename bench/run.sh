#!/usr/bin/env bash
# specgate's own cost, measured against the physical limit (wrk) and against Hurl, in one run.
#
#   bash bench/run.sh            # ~12 minutes on a 2-core machine; prints a Markdown table
#   bash bench/run.sh --smoke    # seconds: one round, tiny repeat, debug builds, no installs;
#                                # a check that the bench still works (.ci/run), not a measurement
#
# Against ONE `specgate serve` instance (release build, port 0), side by side, the same requests:
#   1. wrk replaying exactly the requests the chosen cases send (the physical limit),
#   2. specgate running those cases with every check on (--no-report), with its default
#      threads (every core) and with --threads 1,
#   3. Hurl sending the same requests with equivalent assertions,
#   4. specgate's own HTTP client replaying the same requests with no checks at all
#      (benches/http_floor.rs: the most specgate's design could reach),
#   5. wrk on ListKeys alone (the emulator's own throughput).
# For each client: requests per second AND the CPU time (user + system, from /usr/bin/time, of
# the client process only, never the emulator's) it spent per request. On a machine of 4 cores
# or more the emulator is pinned (taskset) to the first half of the cores and every client to
# the other half, so that a client's requests per second are not the emulator's; on fewer cores
# they share, the output says so, and the CPU per request is the number to compare.
# Then start-up time (hyperfine), wall time and peak memory of the plain `specgate run` of the
# shipped suite (embedded emulator), peak memory of a 100,000-case run with reports on and with
# --no-report, and (callgrind) the user-space instructions per request of specgate and of its
# HTTP client alone: a count that does not move with the machine's load.
#
# The cases are a READ-ONLY subset (FILTER, default `alibaba-kms/ListKey`: every ListKeys and
# ListKeyVersions case). They run against a target profile, so a mutating case could not run
# anyway (it would be skipped without --allow-mutations); the script fails if any case does not
# pass. The requests for wrk and Hurl are taken from a one-repetition run's report.json
# (bench/gen.py), so all the tools send the same requests in the same proportions.
#
# Benchmarks are not tests: nothing timed runs in CI (--smoke runs there, timing nothing that
# can fail). The full run installs what is missing: wrk, hyperfine, valgrind (apt) and Hurl
# (cargo install, from the crate registry). --smoke installs nothing and skips, with a line
# each, wrk, Hurl, hyperfine and valgrind when they are absent. Knobs (environment):
#   ROUNDS=3         measurements per tool; the median is reported
#   RUN_SECONDS=20   minimum seconds of work per specgate / Hurl measurement
#   WRK_SECONDS=10   seconds per wrk (and HTTP floor) measurement
#   JOBS=8           concurrency of all the tools (specgate's default on 2 cores is 8)
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

SMOKE=0
for arg in "$@"; do
    case $arg in
    --smoke) SMOKE=1 ;;
    *) echo "usage: bash bench/run.sh [--smoke]" >&2; exit 2 ;;
    esac
done

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
if [ "$SMOKE" = 1 ]; then
    # One round of a second or so per tool; no waiting for a quiet machine.
    ROUNDS=1 WRK_SECONDS=1 MAX_LOAD=1000 CALLGRIND=0
fi

say() { printf '%s\n' "$*" >&2; }
has() { command -v "$1" >/dev/null; }

# --- tools (idempotent; none installed by --smoke) ------------------------------------------------

if [ "$SMOKE" = 0 ]; then
    need_apt=()
    has wrk || need_apt+=(wrk)
    has hyperfine || need_apt+=(hyperfine)
    has python3 || need_apt+=(python3)
    has curl || need_apt+=(curl)
    has taskset || need_apt+=(util-linux)
    [ -x /usr/bin/time ] || need_apt+=(time)
    [ "$CALLGRIND" = 0 ] || has valgrind || need_apt+=(valgrind)
    if ! has hurl || ! hurl --version | grep -q "^hurl $HURL_VERSION"; then
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
    if ! has hurl || ! hurl --version | grep -q "^hurl $HURL_VERSION"; then
        say "installing hurl $HURL_VERSION from the crate registry (a few minutes)"
        CARGO_TARGET_DIR=${HURL_TARGET_DIR:-$(mktemp -d)} \
            cargo install hurl --version "$HURL_VERSION" --locked --quiet >&2
    fi
fi
HAVE_WRK=1 HAVE_HURL=1 HAVE_TIME=1
HURL_NAME="Hurl (absent)"
has wrk || { HAVE_WRK=0; say "wrk is not installed: no wrk measurement (bash bench/run.sh installs it)"; }
has hurl || { HAVE_HURL=0; say "hurl is not installed: no Hurl measurement (bash bench/run.sh installs it)"; }
[ "$HAVE_HURL" = 0 ] || HURL_NAME=$(hurl --version | head -1 | awk '{ print "Hurl", $2 }')
if [ "$SMOKE" = 1 ]; then
    has hyperfine || say "hyperfine is not installed: --smoke measures no start-up time anyway"
    has valgrind || say "valgrind is not installed: --smoke counts no instructions anyway"
fi
# The CPU time of a client: /usr/bin/time where it is, else bash's `times` of a subshell
# (children's user and system time; as exact, but no peak memory).
[ -x /usr/bin/time ] || { HAVE_TIME=0; say "/usr/bin/time is absent: CPU times from bash's times, no peak memory"; }

# --- specgate and its HTTP floor ---------------------------------------------------------------------

TARGET_DIR=${CARGO_TARGET_DIR:-target}
if [ -n "${SPECGATE_BIN:-}" ]; then
    BIN=$SPECGATE_BIN
elif [ "$SMOKE" = 1 ]; then
    say "building specgate (debug: --smoke measures nothing)"
    cargo build --locked --quiet --bin specgate >&2
    BIN=$TARGET_DIR/debug/specgate
else
    say "building specgate (release)"
    cargo build --release --locked --quiet >&2
    BIN=$TARGET_DIR/release/specgate
fi
say "building benches/http_floor.rs"
# The floor's executable, run directly: under `cargo bench` cargo's own CPU time would count.
floor_build() {
    if [ "$SMOKE" = 1 ]; then
        cargo build --locked --bench http_floor --message-format=json "$@"
    else
        cargo bench --locked --bench http_floor --no-run --message-format=json "$@"
    fi
}
floor_build --quiet >/dev/null 2>&1 || floor_build >/dev/null
FLOOR_BIN=$(floor_build --quiet 2>/dev/null | python3 -c 'import json, sys
for l in sys.stdin:
    m = json.loads(l)
    if m.get("executable") and m.get("target", {}).get("name") == "http_floor": print(m["executable"])')
[ -x "$FLOOR_BIN" ] || { say "cannot find the http_floor executable"; exit 1; }
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD 2>/dev/null || COMMIT="$COMMIT+dirty"

# --- cores: the emulator on its own where there are enough ---------------------------------------

CORES=$(nproc)
if [ "$CORES" -ge 4 ] && has taskset; then
    HALF=$((CORES / 2))
    EMU_CPUS="0-$((HALF - 1))"
    CLIENT_CPUS="$HALF-$((CORES - 1))"
    EMU_PIN=(taskset -c "$EMU_CPUS")
    CLIENT_PIN=(taskset -c "$CLIENT_CPUS")
    EMU_THREADS=$HALF
    PINNING="emulator pinned to cores $EMU_CPUS ($HALF threads), every client to cores $CLIENT_CPUS"
else
    EMU_PIN=()
    CLIENT_PIN=()
    EMU_THREADS=$(((CORES / 2) > 0 ? CORES / 2 : 1))
    PINNING="$CORES cores: too few to pin (4 needed), the emulator ($EMU_THREADS thread) and each client share them, so a client's requests/s is bounded by what the emulator gets; compare the CPU per request"
fi
say "$PINNING"

TMP=$(mktemp -d)
SERVE_PID=""
cleanup() {
    # The emulator ends by our SIGTERM (status 143): not the script's failure.
    if [ -n "$SERVE_PID" ]; then
        kill "$SERVE_PID" 2>/dev/null || true
        wait "$SERVE_PID" 2>/dev/null || true
    fi
    rm -rf "$TMP"
}
trap cleanup EXIT

: >"$TMP/serve.out" # there before the emulator writes it: the loop below reads it at once
"${EMU_PIN[@]}" "$BIN" serve --port 0 --threads "$EMU_THREADS" >"$TMP/serve.out" 2>&1 &
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

# Runs a client (pinned to the client cores where there are enough) with stdout to $TMP/$1.out
# and stderr to $TMP/$1.err; writes "<user+system s> <wall s> <max RSS KiB>" of that process
# (its threads and children included; the emulator is neither) to $TMP/$1.cpu. Fails as the
# client fails.
client() {
    local name=$1; shift
    if [ "$HAVE_TIME" = 1 ]; then
        /usr/bin/time -f '%U %S %e %M' -o "$TMP/$name.time" "${CLIENT_PIN[@]}" "$@" \
            >"$TMP/$name.out" 2>"$TMP/$name.err" || return 1
        tail -n 1 "$TMP/$name.time" | awk '{ printf "%.3f %s %s\n", $1 + $2, $3, $4 }' >"$TMP/$name.cpu"
    else
        local start end
        start=$(date +%s.%N)
        (
            "${CLIENT_PIN[@]}" "$@" >"$TMP/$name.out" 2>"$TMP/$name.err" || exit 1
            times >"$TMP/$name.times" # not in a pipe: a pipe's subshell has no children
        ) || return 1
        end=$(date +%s.%N)
        # The second line is the children's "0m1.234s 0m0.567s" (user, system).
        tr 'ms' '  ' <"$TMP/$name.times" | awk -v s="$start" -v e="$end" \
            'NR == 2 { printf "%.3f %.2f 0\n", $1 * 60 + $2 + $3 * 60 + $4, e - s }' >"$TMP/$name.cpu"
    fi
}
# Microseconds of client CPU per request: cpu_us CPU_SECONDS REQUESTS
cpu_us() { awk -v c="$1" -v n="$2" 'BEGIN { if (n > 0) printf "%.1f", c * 1e6 / n; else print "nan" }'; }

# `specgate run` of the subset; prints "<requests/s> <wall s> <max RSS KiB> <cases> <requests> <CPU s>"
specgate_run() {
    local repeat=$1; shift
    client sg "$BIN" run "$FILTER" "${SKIP[@]}" --target "$TMP/target.yaml" --jobs "$JOBS" --repeat "$repeat" -q "$@" ||
        { tail -n 20 "$TMP/sg.out" "$TMP/sg.err" >&2; exit 1; }
    local line
    line=$(grep '^specgate: ' "$TMP/sg.out")
    echo "$line" | grep -q ' 0 failed, 0 known deviations, 0 errors, 0 skipped, 0 inconclusive' ||
        { say "not every case passed: $line"; exit 1; }
    local rps cases reqs cpu wall rss
    rps=$(echo "$line" | sed -E 's/.*, ([0-9]+) requests\/s\).*/\1/')
    cases=$(echo "$line" | sed -E 's/^specgate: ([0-9]+) cases.*/\1/')
    reqs=$(echo "$line" | sed -E 's/.* ([0-9]+) requests in .*/\1/')
    read -r cpu wall rss <"$TMP/sg.cpu"
    echo "$rps $wall $rss $cases $reqs $cpu"
}

# specgate's HTTP client alone (benches/http_floor.rs); prints "<requests/s> <requests> <CPU s>"
floor_run() {
    client floor "$FLOOR_BIN" "$TMP/rec/latest/report.json" "$WRK_SECONDS" "$JOBS" "$@" ||
        { cat "$TMP/floor.err" >&2; exit 1; }
    local n rps cpu
    n=$(sed -E -n 's/.*: ([0-9]+) requests in .*/\1/p' "$TMP/floor.out")
    rps=$(sed -E -n 's/.*\(([0-9]+) requests\/s.*/\1/p' "$TMP/floor.out")
    [ "${n:-0}" -gt 0 ] || { say "the HTTP floor sent nothing: $(cat "$TMP/floor.out")"; exit 1; }
    read -r cpu _ _ <"$TMP/floor.cpu"
    echo "$rps $n $cpu"
}

# wrk with a Lua script; prints "<requests/s> <requests> <CPU s>"
wrk_run() {
    local script=$1 conns=$2
    client wrk wrk -t2 -c"$conns" -d"${WRK_SECONDS}s" -s "$script" "$URL" || { cat "$TMP/wrk.err" >&2; exit 1; }
    local rps n cpu
    rps=$(awk '/^Requests\/sec:/ { print $2 }' "$TMP/wrk.out")
    n=$(awk '/ requests in / { print $1 }' "$TMP/wrk.out")
    read -r cpu _ _ <"$TMP/wrk.cpu"
    echo "$rps $n $cpu"
}

# Hurl on the generated file; prints "<requests/s> <wall s> <requests> <CPU s>"
hurl_run() {
    local repeat=$1
    client hurl hurl --test --jobs "$JOBS" --repeat "$repeat" --variable "base=$URL" "$TMP/gen/suite.hurl" ||
        { tail -n 30 "$TMP/hurl.out" "$TMP/hurl.err" >&2; exit 1; }
    local n cpu wall
    n=$(cat "$TMP/hurl.out" "$TMP/hurl.err" | sed -n 's/^Executed requests: *\([0-9]*\).*/\1/p' | head -1)
    read -r cpu wall _ <"$TMP/hurl.cpu"
    awk -v n="$n" -v w="$wall" -v c="$cpu" 'BEGIN { printf "%.0f %.2f %d %s\n", n / w, w, n, c }'
}

# --- the requests of the subset ------------------------------------------------------------------

# The cases of a reading the emulator does not follow (gen.py lists them) are left out of every
# run: they pass the gate without passing, and send requests no other tool would check.
SKIP=()
record() {
    say "recording the requests of $FILTER${SKIP[*]:+ (${SKIP[*]})}"
    rm -rf "$TMP/rec" "$TMP/gen"
    "$BIN" run "$FILTER" "${SKIP[@]}" --target "$TMP/target.yaml" -q --report-dir "$TMP/rec" >"$TMP/rec.out" 2>&1 ||
        { cat "$TMP/rec.out" >&2; exit 1; }
    mkdir -p "$TMP/gen"
    python3 bench/gen.py "$TMP/rec/latest/report.json" "$TMP/gen" >&2
}
record
if [ -s "$TMP/gen/skip.txt" ]; then
    while read -r id; do SKIP+=(--skip "$id"); done <"$TMP/gen/skip.txt"
    record
    [ ! -s "$TMP/gen/skip.txt" ] || { say "still cases of another reading: $(cat "$TMP/gen/skip.txt")"; exit 1; }
fi
CASES=$(sed -n 's/^specgate: \([0-9]*\) cases.*/\1/p' "$TMP/rec.out")
PER_CASE_REQS=$(sed -n 's/.* \([0-9]*\) requests in .*/\1/p' "$TMP/rec.out")
cat >"$TMP/listkeys.lua" <<'EOF'
wrk.method = "POST"
wrk.path = "/?Action=ListKeys&Version=2016-01-20&Format=JSON&PageNumber=1&PageSize=10"
wrk.headers["accept"] = "application/json"
EOF

# Repetitions for >= RUN_SECONDS of work, from a short calibration run of each tool.
if [ "$SMOKE" = 1 ]; then
    SG_REPEAT=3 HURL_REPEAT=1
else
    wait_quiet
    specgate_run 100 --no-report >"$TMP/result"
    read -r cal_rps _ <"$TMP/result"
    SG_REPEAT=$(awk -v r="$cal_rps" -v s="$RUN_SECONDS" -v n="$PER_CASE_REQS" \
        'BEGIN { x = int(r * s * 1.25 / n) + 1; print (x < 20 ? 20 : x) }')
    HURL_REPEAT=3
    if [ "$HAVE_HURL" = 1 ]; then
        hurl_run 10 >"$TMP/result"
        read -r cal_hurl _ <"$TMP/result"
        HURL_REPEAT=$(awk -v r="$cal_hurl" -v s="$RUN_SECONDS" -v n="$PER_CASE_REQS" \
            'BEGIN { x = int(r * s * 1.25 / n) + 1; print (x < 3 ? 3 : x) }')
    fi
fi
BIG_REPEAT=$(( (BIG_CASES + CASES - 1) / CASES ))
say "subset: $CASES cases, $PER_CASE_REQS requests per repetition; specgate --repeat $SG_REPEAT, hurl --repeat $HURL_REPEAT"

# --- side by side, ROUNDS times --------------------------------------------------------------------

# One line per measurement in $TMP/<what>: "<requests/s> <client CPU µs per request>".
for round in $(seq 1 "$ROUNDS"); do
    wait_quiet
    LOADS+=("$(load_now)")
    say "round $round/$ROUNDS (load $(load_now))"
    if [ "$HAVE_WRK" = 1 ]; then
        wrk_run "$TMP/gen/requests.lua" "$JOBS" >"$TMP/result"
        read -r rps n cpu <"$TMP/result"
        echo "$rps $(cpu_us "$cpu" "$n")" >>"$TMP/wrk_mix"
    fi
    floor_run parse >"$TMP/result"
    read -r rps n cpu <"$TMP/result"
    echo "$rps $(cpu_us "$cpu" "$n")" >>"$TMP/floor"
    floor_run parse threads=1 >"$TMP/result"
    read -r rps n cpu <"$TMP/result"
    echo "$rps $(cpu_us "$cpu" "$n")" >>"$TMP/floor1"
    specgate_run "$SG_REPEAT" --no-report >"$TMP/result"
    read -r rps wall _ _ reqs cpu <"$TMP/result"
    echo "$rps $(cpu_us "$cpu" "$reqs")" >>"$TMP/sg"
    awk -v n="$reqs" -v w="$wall" 'BEGIN { printf "%.0f\n", n / w }' >>"$TMP/sg_e2e"
    echo "$wall" >>"$TMP/sg_wall"
    specgate_run "$SG_REPEAT" --no-report --threads 1 >"$TMP/result"
    read -r rps _ _ _ reqs cpu <"$TMP/result"
    echo "$rps $(cpu_us "$cpu" "$reqs")" >>"$TMP/sg1"
    if [ "$HAVE_HURL" = 1 ]; then
        hurl_run "$HURL_REPEAT" >"$TMP/result"
        read -r rps _ n cpu <"$TMP/result"
        echo "$rps $(cpu_us "$cpu" "$n")" >>"$TMP/hurl"
    fi
    if [ "$HAVE_WRK" = 1 ] && [ "$SMOKE" = 0 ]; then
        wrk_run "$TMP/listkeys.lua" "$JOBS" >"$TMP/result"
        read -r rps _ _ <"$TMP/result"
        echo "$rps" >>"$TMP/wrk_lk"
        wrk_run "$TMP/listkeys.lua" 64 >"$TMP/result"
        read -r rps _ _ <"$TMP/result"
        echo "$rps" >>"$TMP/wrk_lk64"
    fi
    for f in wrk_mix floor floor1 sg sg1 hurl; do
        [ -f "$TMP/$f" ] && say "  $f: $(tail -n 1 "$TMP/$f") (req/s, client CPU µs/request)"
    done
done

# The medians of each column.
col() { [ -f "$TMP/$1" ] && awk -v c="$2" '{ print $c }' "$TMP/$1" | median || echo nan; }
WRK=$(col wrk_mix 1) WRK_CPU=$(col wrk_mix 2)
FLOOR=$(col floor 1) FLOOR_CPU=$(col floor 2)
FLOOR1=$(col floor1 1) FLOOR1_CPU=$(col floor1 2)
SG=$(col sg 1) SG_CPU=$(col sg 2)
SG1=$(col sg1 1) SG1_CPU=$(col sg1 2)
HURL=$(col hurl 1) HURL_CPU=$(col hurl 2)
SGE=$(median <"$TMP/sg_e2e")
SGW=$(median <"$TMP/sg_wall")

fmt() { awk -v x="$1" 'BEGIN { if (x == "nan" || x == "n/a") print x; else printf "%\047.0f", x }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "nan" || b == "nan" || b + 0 == 0) print "n/a"; else printf "%.2f×", a / b }'; }
cpu_row() { # name rps cpu
    printf '| %s | %s | %s | %s |\n' "$1" "$(fmt "$2")" "$3" "$(ratio "$3" "$WRK_CPU")"
}
client_table() {
    cat <<EOF
Cores: $PINNING. Load (1-minute average) at the start of each round: ${LOADS[*]}.

| client, same requests (concurrency $JOBS) | req/s | client CPU (user + system) µs per request | CPU ÷ wrk's |
| --- | --- | --- | --- |
$(cpu_row "wrk (2 threads): the physical limit" "$WRK" "$WRK_CPU")
$(cpu_row "$HURL_NAME, status/JSONPath/regex asserts" "$HURL" "$HURL_CPU")
$(cpu_row "specgate's HTTP client alone + JSON parse (the floor), every core" "$FLOOR" "$FLOOR_CPU")
$(cpu_row "the floor, \`threads=1\`" "$FLOOR1" "$FLOOR1_CPU")
$(cpu_row "**specgate, every check on**, default threads (every core)" "$SG" "$SG_CPU")
$(cpu_row "specgate, every check on, \`--threads 1\`" "$SG1" "$SG1_CPU")

Goal: specgate's CPU per request ≤ 1.5× wrk's with every check on: $(awk -v a="$SG1_CPU" -v b="$WRK_CPU" 'BEGIN { if (a == "nan" || b == "nan") print "not measured (no wrk)"; else printf "%s (%.2f× with --threads 1)", (a <= 1.5 * b ? "met" : "not met"), a / b }').
EOF
}

if [ "$SMOKE" = 1 ]; then
    # Every number must be there (a broken parser or measurement shows as nan or n/a).
    for v in "$FLOOR" "$FLOOR_CPU" "$FLOOR1_CPU" "$SG" "$SG_CPU" "$SG1_CPU"; do
        awk -v x="$v" 'BEGIN { exit !(x + 0 > 0) }' || { say "smoke: a measurement is missing: $v"; client_table >&2; exit 1; }
    done
    echo "### bench/run.sh --smoke — specgate $COMMIT (debug build: the numbers mean nothing)"
    echo
    client_table
    exit 0
fi

# --- start-up, the shipped suite, memory ---------------------------------------------------------

LK=$(median <"$TMP/wrk_lk")
LK64=$(median <"$TMP/wrk_lk64")

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
        { tail -n 20 "$TMP/suite.out" >&2; exit 1; }
    read -r w m <"$TMP/time"
    echo "$w" >>"$TMP/suite_wall"
    echo "$m" >>"$TMP/suite_rss"
done
SUITE_LINE=$(grep '^specgate: ' "$TMP/suite.out")

wait_quiet
say "peak memory: $((BIG_REPEAT * CASES)) cases, reports on"
specgate_run "$BIG_REPEAT" --report-dir "$TMP/reports" >"$TMP/result"
read -r rep_rps rep_wall rep_rss rep_cases rep_reqs _ <"$TMP/result"
rep_size=$(du -sm "$TMP/reports/latest" | cut -f1)
rep_json=$(du -sm "$TMP/reports/latest/report.json" | cut -f1)
rep_html=$(du -sk "$TMP/reports/latest/report.html" | cut -f1)
rm -rf "$TMP/reports"
wait_quiet
say "peak memory: $((BIG_REPEAT * CASES)) cases, --no-report"
specgate_run "$BIG_REPEAT" --no-report >"$TMP/result"
read -r big_rps big_wall big_rss big_cases _ _ <"$TMP/result"

# --- instructions per request (callgrind: the same count on a busy or a quiet machine) -------

# The marginal user-space instructions of one more request: the difference between two run
# lengths, so that start-up (loading the suite, building the client) cancels out. Both with one
# runtime thread, the cheapest per request.
IR_SG=n/a
IR_FLOOR=n/a
if [ "$CALLGRIND" != 0 ]; then
    say "instructions per request (callgrind)"
    ir_total() { grep -E '^(summary|totals):' "$1" | head -1 | awk '{ print $2 }'; }
    for r in 5 25; do
        valgrind --tool=callgrind --callgrind-out-file="$TMP/cg.$r" \
            "$BIN" run "$FILTER" "${SKIP[@]}" --target "$TMP/target.yaml" --jobs "$JOBS" --repeat "$r" -q --no-report --threads 1 \
            >"$TMP/cg.out" 2>/dev/null
    done
    IR_SG=$(awk -v a="$(ir_total "$TMP/cg.25")" -v b="$(ir_total "$TMP/cg.5")" -v n=$((20 * PER_CASE_REQS)) \
        'BEGIN { printf "%.0f", (a - b) / n }')
    for s in 2 6; do
        valgrind --tool=callgrind --callgrind-out-file="$TMP/fl.$s" \
            "$FLOOR_BIN" "$TMP/rec/latest/report.json" "$s" "$JOBS" parse threads=1 >"$TMP/fl.$s.out" 2>/dev/null
    done
    fl_n() { sed -E -n 's/.*: ([0-9]+) requests in .*/\1/p' "$1"; }
    IR_FLOOR=$(awk -v a="$(ir_total "$TMP/fl.6")" -v b="$(ir_total "$TMP/fl.2")" \
        -v n="$(( $(fl_n "$TMP/fl.6.out") - $(fl_n "$TMP/fl.2.out") ))" 'BEGIN { printf "%.0f", (a - b) / n }')
fi

# --- the table ---------------------------------------------------------------------------------

SUITE_WALL=$(median <"$TMP/suite_wall")
SUITE_RSS=$(median <"$TMP/suite_rss")
pct() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "nan" || b == "nan") print "n/a"; else printf "%.0f %%", 100 * a / b }'; }
times() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "nan" || b == "nan") print "n/a"; else printf "%.1f×", a / b }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.0f MiB", k / 1024 }'; }
yes_no() { awk -v a="$1" -v b="$2" 'BEGIN { print (a >= b ? "met" : "not met") }'; }

cat <<EOF
### $(date -u +%Y-%m-%d) — specgate $COMMIT

Machine: $CORES cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(free -g | awk '/^Mem:/ { print $2 }') GiB RAM.
Tools: $(has wrk && wrk -v 2>&1 | head -1 | awk '{ print $1, $2 }'), $(has hurl && hurl --version | head -1 | awk '{ print $1, $2 }'), $(hyperfine --version), rustc $(rustc --version | awk '{ print $2 }').
Subset: \`$FILTER\`${SKIP[*]:+ \`${SKIP[*]}\`} ($CASES read-only cases, $PER_CASE_REQS requests per repetition), concurrency $JOBS for every tool,
specgate \`--repeat $SG_REPEAT\` ($((SG_REPEAT * CASES)) cases), Hurl \`--repeat $HURL_REPEAT\`, wrk and the floor ${WRK_SECONDS} s; median of $ROUNDS rounds.

$(client_table)

| what | result | goal |
| --- | --- | --- |
| specgate (default threads) ÷ wrk, requests/s | $(pct "$SG" "$WRK") ($(fmt "$SGE") req/s end to end: $SGW s wall for $(fmt "$((SG_REPEAT * PER_CASE_REQS))") requests) | |
| specgate ÷ its HTTP client alone, requests/s | $(pct "$SG" "$FLOOR") | |
| specgate ÷ Hurl, requests/s | $(times "$SG" "$HURL") | ≥ 2×: $(awk -v a="$SG" -v b="$HURL" 'BEGIN { if (b == "nan") print "n/a"; else print (a >= 2 * b ? "met" : "not met") }') |
| user-space instructions per request (callgrind, one thread): specgate, every check on | $(fmt "$IR_SG") ($(awk -v a="$IR_SG" -v b="$IR_FLOOR" 'BEGIN { if (b + 0 > 0) printf "%.2f×", a / b; else print "n/a" }') its HTTP client alone: $(fmt "$IR_FLOOR")) | |
| emulator ListKeys, wrk, $JOBS connections | $(fmt "$LK") req/s | ≥ 50,000: $(yes_no "$LK" 50000) |
| emulator ListKeys, wrk, 64 connections | $(fmt "$LK64") req/s | |
| start-up: \`specgate run --list\` | $hf_list ms (median) | |
| start-up: one case against the embedded emulator | $hf_one ms (median) | |
| \`specgate run\` of the shipped suite (embedded emulator, reports on) | $SUITE_WALL s wall, peak $(mib "$SUITE_RSS") | < 1 s: $(awk -v w="$SUITE_WALL" 'BEGIN { print (w < 1 ? "met" : "not met") }') |
| peak memory, $(fmt "$rep_cases") cases, reports on (streamed) | $(mib "$rep_rss") ($rep_wall s wall for $(fmt "$rep_reqs") requests, $(fmt "$rep_rps") req/s during the run; reports ${rep_size} MB: report.json ${rep_json} MB, report.html ${rep_html} KB) | < 64 MiB: $(awk -v k="$rep_rss" 'BEGIN { print (k < 65536 ? "met" : "not met") }') |
| peak memory, $(fmt "$big_cases") cases, \`--no-report\` | $(mib "$big_rss") ($big_wall s, $(fmt "$big_rps") req/s) | < 64 MiB: $(awk -v k="$big_rss" 'BEGIN { print (k < 65536 ? "met" : "not met") }') |

Shipped suite: \`$SUITE_LINE\`
EOF
