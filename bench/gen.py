#!/usr/bin/env python3
"""Turns the exchanges of one specgate run (report.json) into the same requests for wrk and Hurl.

    gen.py REPORT_JSON OUT_DIR

Writes OUT_DIR/skip.txt (the cases of a reading the emulator does not follow, one a line: they
pass the gate without passing; bench/run.sh leaves them out), OUT_DIR/requests.lua (wrk: every recorded request, in order, rotated through) and
OUT_DIR/suite.hurl (Hurl: the same requests in the same order, each with assertions equivalent
to what specgate checks and Hurl can express: status, Content-Type, JSON paths, counts and regexes;
Hurl has no JSON Schema and no sample diff, so it does less work per request than specgate).
Part of bench/run.sh; not a test.
"""
import json
import re
import sys
from urllib.parse import urlsplit

REQUEST_ID = r"^[0-9A-Za-z-]+$"
PATTERNS = {
    "KeyId": r"^[0-9A-Za-z-]+$",
    "KeyVersionId": r"^[0-9A-Za-z-]+$",
    "KeyArn": r"^acs:kms:[a-z0-9-]+:\d+:key/.+$",
    "Arn": r"^acs:kms:[a-z0-9-]+:\d+:key/.+$",
    "AliasArn": r"^acs:kms:[a-z0-9-]+:\d+:alias/.+$",
    "AliasName": r"^alias/.+$",
    "CreationDate": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$",
}


def hurl_regex(p):
    return "/" + p.replace("/", "\\/") + "/"


def hurl_value(v):
    return json.dumps(v)


def list_member(body):
    """('Keys', 'Key', [...]) for an Alibaba list answer, else None."""
    for outer, inner in body.items():
        if isinstance(inner, dict) and len(inner) == 1:
            (name, items), = inner.items()
            if isinstance(items, list):
                return outer, name, items
    return None


def asserts(status, body, content_type):
    # The media type the answer was recorded with (`format: xml` cases ask for XML).
    media = (content_type or "application/json").split(";")[0].strip()
    out = [f'header "Content-Type" contains {hurl_value(media)}']
    if not isinstance(body, dict):
        return out
    if "RequestId" in body:
        out.append(f'jsonpath "$.RequestId" matches {hurl_regex(REQUEST_ID)}')
    if status >= 400:
        out.append(f'jsonpath "$.Code" == {hurl_value(body.get("Code"))}')
        out.append('jsonpath "$.Message" isString')
        out.append('jsonpath "$.HostId" isString')
        return out
    for name in ("PageNumber", "PageSize"):
        if name in body:
            out.append(f'jsonpath "$.{name}" == {hurl_value(body[name])}')
    if "TotalCount" in body:
        out.append('jsonpath "$.TotalCount" isInteger')
    lm = list_member(body)
    if lm:
        outer, inner, items = lm
        path = f"$.{outer}.{inner}"
        if "PageSize" in body:
            out.append(f'jsonpath "{path}" count <= {body["PageSize"]}')
        else:
            out.append(f'jsonpath "{path}" isCollection')
        if items and isinstance(items[0], dict):
            for field, value in items[0].items():
                if field in PATTERNS and isinstance(value, str):
                    out.append(f'jsonpath "{path}[0].{field}" matches {hurl_regex(PATTERNS[field])}')
    for outer, inner in body.items():
        if isinstance(inner, dict) and not lm:
            for field, value in inner.items():
                if field in PATTERNS and isinstance(value, str):
                    out.append(f'jsonpath "$.{outer}.{field}" matches {hurl_regex(PATTERNS[field])}')
    return out


def lua_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    report, out_dir = sys.argv[1], sys.argv[2]
    with open(report) as f:
        r = json.load(f)
    hurl, lua, other_reading = [], [], []
    for o in r["outcomes"]:
        if o.get("status") == "other-reading":
            # A case of a reading the emulator does not follow: it passes the gate without
            # passing; bench/run.sh records again without it (OUT_DIR/skip.txt).
            other_reading.append(o["id"])
            continue
        if o["verdict"] != "pass":
            sys.exit(f"gen.py: {o['id']} did not pass ({o['verdict']}); the bench needs a passing subset")
        for e in o["exchanges"]:
            req, resp = e["request"], e["response"]
            u = urlsplit(req["url"])
            path = u.path + ("?" + u.query if u.query else "")
            headers = [(k, v) for k, v in req["headers"] if k.lower() not in ("host", "user-agent")]
            hurl.append(f"# {o['id']} {e['step']}".rstrip())
            hurl.append(f"{req['method']} {{{{base}}}}{path}")
            hurl.extend(f"{k}: {v}" for k, v in headers)
            if req["body"]:
                hurl.append("```\n" + req["body"] + "\n```")
            try:
                body = json.loads(resp["body"])
            except ValueError:
                body = None
            hurl.append(f"HTTP {resp['status']}")
            hurl.append("[Asserts]")
            content_type = next((v for k, v in resp["headers"] if k.lower() == "content-type"), None)
            hurl.extend(asserts(resp["status"], body, content_type))
            hurl.append("")
            hdrs = ", ".join(f"[{lua_string(k)}] = {lua_string(v)}" for k, v in headers)
            lua.append(f"  wrk.format({lua_string(req['method'])}, {lua_string(path)}, {{{hdrs}}}, "
                       f"{lua_string(req['body']) if req['body'] else 'nil'}),")
    with open(f"{out_dir}/suite.hurl", "w") as f:
        f.write("\n".join(hurl))
    with open(f"{out_dir}/requests.lua", "w") as f:
        f.write("-- generated by bench/gen.py: the requests of one specgate run, rotated through\n")
        f.write("local requests = {\n" + "\n".join(lua) + "\n}\n")
        f.write("local i = 0\n")
        f.write("request = function()\n  i = i % #requests + 1\n  return requests[i]\nend\n")
    with open(f"{out_dir}/skip.txt", "w") as f:
        f.write("".join(f"{i}\n" for i in other_reading))
    print(f"{len(lua)} requests" + (f"; left out, another reading: {', '.join(other_reading)}" if other_reading else ""))


if __name__ == "__main__":
    main()
