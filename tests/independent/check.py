#!/usr/bin/env python3
"""Reads a specgate report.json of the suite against the independent implementation.

A documented case that fails against an implementation that follows the evidence is a wrong fact
in the suite (or a gap in the implementation): those are counted. Inferred cases may fail (they
test a reading the evidence does not settle) and are only listed, as are the readings the report
names. A case that errors (a broken exchange) is counted too: the implementation must never break
an exchange.

Usage: check.py REPORT_JSON [ALLOWED_FAILURES]
The last line is "N passed, M failed" (M = documented failures and errors); the exit status is
non-zero when M is more than ALLOWED_FAILURES (default 0).
"""

from __future__ import annotations

import json
import sys

# Statuses that count against a documented case: a failed check, a broken exchange, or a case
# blocked because a set-up step it depends on failed.
COUNTED = {"fail", "error", "blocked"}


def describe(outcome: dict) -> str:
    lines = [f"  {outcome['id']} [{outcome.get('provenance')}] {outcome.get('status')}"]
    if outcome.get("reason"):
        lines.append(f"      reason: {outcome['reason']}")
    for finding in outcome.get("findings") or []:
        text = json.dumps(finding, ensure_ascii=False)
        lines.append(f"      {text[:600]}")
    return "\n".join(lines)


def main() -> int:
    report = json.load(open(sys.argv[1], encoding="utf-8"))
    allowed = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    outcomes = report.get("outcomes", [])
    if not outcomes:
        print("the report has no outcomes")
        print("0 passed, 1 failed")
        return 1

    documented_failures = [
        o for o in outcomes if o.get("status") in COUNTED and (o.get("provenance") == "documented" or o.get("status") == "error")
    ]
    passed = [o for o in outcomes if o.get("status") == "pass"]
    others = [o for o in outcomes if o not in documented_failures and o.get("status") != "pass"]

    counts = report.get("counts", {})
    print("report counts: " + ", ".join(f"{k} {v}" for k, v in counts.items()))

    readings = report.get("readings")
    if readings:
        print("\nreadings the implementation follows (from the report):")
        print(json.dumps(readings, indent=1, ensure_ascii=False)[:4000])

    inferred = [o for o in outcomes if o.get("provenance") != "documented"]
    if inferred:
        print("\nnot-documented cases (readings, inferred): status per case")
        for o in inferred:
            print(f"  {o['id']} [{o.get('provenance')}] {o.get('status')}")

    if others:
        print("\nother outcomes that are not a pass (not counted):")
        for o in others:
            print(describe(o))

    if documented_failures:
        print("\nDOCUMENTED FAILURES (counted):")
        for o in documented_failures:
            print(describe(o))

    failed = len(documented_failures)
    print(f"\n{len(passed)} passed, {failed} failed")
    if failed > allowed:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
