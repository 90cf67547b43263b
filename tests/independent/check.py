#!/usr/bin/env python3
"""Reads a specgate report.json of the suite against the independent implementation.

A documented case that fails against an implementation that follows the evidence is a wrong fact
in the suite (or a gap in the implementation): those are counted. So is a documented case that
was not judged (blocked by a failed set-up step, skipped because the seed lacks what it needs,
inconclusive): the whole documented suite must be judged here. A case that errors (a broken
exchange) is counted whatever its provenance: the implementation must never break an exchange.
Cases of an inference or of one reading may fail (they test what the evidence does not settle):
they are listed with their status, and the report's Readings table is printed.

A row of the report's Readings table that names no reading ("mixed", "untested") is counted
too: the implementation follows one reading of each open question, so the suite must name it.

Usage: check.py REPORT_JSON [ALLOWED_FAILURES]
The last line is "N passed, M failed" (M = documented failures, errors and unnamed readings); the
exit status is non-zero when M is more than ALLOWED_FAILURES (default 0).
"""

from __future__ import annotations

import json
import sys

# Statuses that count against a documented case: a failed check, a broken exchange, and every
# way of not being judged.
COUNTED = {"fail", "error", "blocked", "skipped", "inconclusive"}


def counted(outcome: dict) -> bool:
    status = outcome.get("status")
    if status == "error":
        return True
    return status in COUNTED and outcome.get("provenance") == "documented"


def describe(outcome: dict) -> str:
    lines = [f"  {outcome['id']} [{outcome.get('provenance')}] {outcome.get('status')}"]
    if outcome.get("reason"):
        lines.append(f"      reason: {outcome['reason']}")
    for finding in outcome.get("findings") or []:
        text = json.dumps(finding, ensure_ascii=False)
        lines.append(f"      {text[:600]}")
    return "\n".join(lines)


def unnamed_readings(rows) -> list[dict]:
    """Rows of the Readings table that name no reading ("mixed", "untested").

    This implementation follows one reading of every open question, so the suite must be able
    to say which: a note whose reading cases disagree (or that no case judged) is a suite bug.
    """
    return [r for r in rows or [] if isinstance(r, dict) and r.get("verdict") != "follows"]


def print_readings(rows) -> None:
    """The report's Readings table: per doc note, which reading the target follows."""
    if not rows:
        return
    print("\nreadings the implementation follows (the report's Readings table):")
    for row in rows:
        if not isinstance(row, dict):
            print(f"  {json.dumps(row, ensure_ascii=False)[:300]}")
            continue
        tallies = []
        for tally in row.get("readings") or []:
            counts = isinstance(tally, dict) and all(isinstance(tally.get(k), int) for k in ("passed", "failed"))
            if counts:
                tallies.append(f"{tally.get('id')}: {tally['passed']}/{tally['passed'] + tally['failed']} passed")
            elif isinstance(tally, dict):
                tallies.append(f"{tally.get('id')}: {json.dumps(tally, ensure_ascii=False)[:200]}")
        verdict = row.get("verdict")
        if row.get("follows"):
            verdict = f"{verdict} {row['follows']}"
        expected = f", expected {row['expected']} ({row.get('pinned_by')})" if row.get("expected") else ""
        print(f"  {row.get('operation')} {row.get('note')}: {verdict}{expected}; " + "; ".join(tallies))


def main() -> int:
    report = json.load(open(sys.argv[1], encoding="utf-8"))
    allowed = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    outcomes = report.get("outcomes", [])
    if not outcomes:
        print("the report has no outcomes")
        print("0 passed, 1 failed")
        return 1

    documented_failures = [o for o in outcomes if counted(o)]
    passed = [o for o in outcomes if o.get("status") == "pass"]
    inferred = [o for o in outcomes if o.get("provenance") != "documented" or o.get("reading")]
    others = [o for o in outcomes if o not in documented_failures and o not in inferred and o.get("status") != "pass"]

    counts = report.get("counts", {})
    print("report counts: " + ", ".join(f"{k} {v}" for k, v in counts.items()))

    print_readings(report.get("readings"))

    if inferred:
        print("\ncases of a reading or an inference (not counted): status per case")
        for o in inferred:
            reading = f" reading {o['reading']}" if o.get("reading") else ""
            print(f"  {o['id']} [{o.get('provenance')}{reading}] {o.get('status')}")
            if o.get("status") != "pass" and not counted(o):
                for finding in (o.get("findings") or [])[:2]:
                    print(f"      {finding.get('message', '')}"[:300])

    if others:
        print("\nother outcomes that are not a pass (not counted):")
        for o in others:
            print(describe(o))

    if documented_failures:
        print("\nDOCUMENTED FAILURES (counted):")
        for o in documented_failures:
            print(describe(o))

    unnamed = unnamed_readings(report.get("readings"))
    if unnamed:
        print("\nREADINGS THE SUITE CANNOT NAME (counted): the reading cases of a note disagree")
        for row in unnamed:
            print(f"  {row.get('operation')} {row.get('note')}: {row.get('verdict')}")

    failed = len(documented_failures) + len(unnamed)
    print(f"\n{len(passed)} passed, {failed} failed")
    if failed > allowed:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
