#!/usr/bin/env python3
"""Lists the places where a `specgate run --reference` report differs from its recording.

Reads report.json and prints one line per distinct place: the case file's operation, the pointer
(array indices written `*`, `-` for the answer as a whole) and what differs (`extra`, `missing`,
`value`, `type`, `count`, `order`, `status`, `error-code`, `content-type`, `request-id-header`,
`exchanges`, `no-answer`, `no-case`), sorted. run.sh compares it with parity-expected.txt; each
line is explained in docs/independent.md.

Usage: parity.py REPORT_JSON
"""

from __future__ import annotations

import json
import re
import sys

# A parity finding's message, by what it says differs (src/record/parity.rs writes them).
WHAT = [
    ("is extra (the recording does not have it)", "extra"),
    ("is missing (the recording has it)", "missing"),
    ("masked value ", "value"),
    ("items where the recording has", "count"),
    ("in another order than the recording", "order"),
    ("error code differs", "error-code"),
    ("content type differs", "content-type"),
    ("request-id header differs", "request-id-header"),
    ("exchanges for this case", "exchanges"),
    ("one side has no answer", "no-answer"),
    ("has no case", "no-case"),
    ("status ", "status"),
    (" where the recording has ", "type"),
]


def what(message: str) -> str:
    for text, name in WHAT:
        if text in message:
            return name
    return "other: " + message


def main() -> None:
    report = json.load(open(sys.argv[1], encoding="utf-8"))
    places = set()
    for outcome in report["outcomes"]:
        for f in outcome["findings"]:
            if f["kind"] != "parity":
                continue
            pointer = re.sub(r"/\d+(?=/|$)", "/*", f.get("pointer") or "") or "-"
            places.add(f"{outcome['operation']} {pointer} {what(f['message'])}")
    for line in sorted(places):
        print(line)


if __name__ == "__main__":
    main()
