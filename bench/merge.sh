#!/usr/bin/env bash
# Peak memory and wall time of `specgate merge` on many big shard reports.
#
#   bash bench/merge.sh          # SHARDS=100 reports of ~10,000 outcomes each (1,005,000 in all)
#
# The shard reports are made from one real run of the shipped suite against the embedded
# emulator: its header (suite digest, targets) and its outcomes, repeated as `--repeat`
# trials (`<case>#N`), shard k holding repetitions (k-1)*R+1 .. k*R of every case. Their
# exchanges are left out (EXCHANGES=1 keeps them: ~5 KB per outcome, so ~5 GB per million) so
# that a million outcomes fit on a small disk; the merge reads and writes each record as a
# stream either way, so what is measured, memory that does not grow with the outcomes, is the
# same. Not a test: nothing here runs in CI.
#
# Knobs: SHARDS=100, PER_SHARD=10000 (rounded up to whole repetitions of the suite),
# EXCHANGES=0, SPECGATE_BIN (default: a release build), KEEP=1 keeps the temporary folder.
set -euo pipefail
cd "$(dirname "$0")/.."

# GNU time measures the peak memory; Debian's `time` package brings it.
if [[ ! -x /usr/bin/time ]]; then
  SUDO=$([[ $(id -u) == 0 ]] && echo "" || echo sudo)
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq time >&2
fi

SHARDS=${SHARDS:-100}
PER_SHARD=${PER_SHARD:-10000}
EXCHANGES=${EXCHANGES:-0}
if [[ -z "${SPECGATE_BIN:-}" ]]; then
  cargo build --release --locked --quiet
  SPECGATE_BIN=target/release/specgate
fi
TMP=$(mktemp -d)
[[ "${KEEP:-0}" == 1 ]] || trap 'rm -rf "$TMP"' EXIT

"$SPECGATE_BIN" run -q --run-id seed --report-dir "$TMP/seed" >/dev/null || true
python3 - "$TMP/seed/seed/report.json" "$TMP/shards" "$SHARDS" "$PER_SHARD" "$EXCHANGES" <<'PY'
import json, math, os, sys
seed, out, shards, per_shard, exchanges = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5] == "1"
report = json.load(open(seed))
outcomes = report.pop("outcomes")
if not exchanges:
    for o in outcomes:
        o["exchanges"] = []
reps = max(1, math.ceil(per_shard / len(outcomes)))
for k in range(1, shards + 1):
    d = os.path.join(out, f"shard-{k}")
    os.makedirs(d)
    report["run"]["id"] = f"shard-{k}"
    report["run"]["shard"] = f"{k}/{shards}"
    head = json.dumps(report)[:-1]
    with open(os.path.join(d, "report.json"), "w") as f:
        f.write(head + ', "outcomes": [')
        first = True
        for r in range((k - 1) * reps + 1, k * reps + 1):
            for o in outcomes:
                o2 = dict(o)
                o2["id"] = f'{o["id"]}#{r}'
                f.write(("" if first else ",") + json.dumps(o2))
                first = False
        f.write("]}")
print(f"{shards} shard reports, {reps * len(outcomes)} outcomes each, {shards * reps * len(outcomes)} in all")
PY
du -sh "$TMP/shards" | sed 's/^/shard reports on disk: /'
rc=0
/usr/bin/time -f '%e %M' -o "$TMP/time" "$SPECGATE_BIN" merge "$TMP"/shards/shard-* \
  --report-dir "$TMP/merged" --run-id merged >"$TMP/merge.out" 2>&1 || rc=$?
read -r wall rss < <(tail -n 1 "$TMP/time")
if [[ $rc -gt 1 ]]; then
  cat "$TMP/merge.out" >&2
  echo "the merge failed (exit $rc)" >&2
  exit 1
fi
grep '^gate:' "$TMP/merge.out" || true
du -sh "$TMP/merged/merged" | sed 's/^/merged report on disk: /'
echo "merge: ${wall} s wall, peak $((rss / 1024)) MiB"
