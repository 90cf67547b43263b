#!/usr/bin/env python3
"""An independent implementation of Alibaba Cloud KMS (RPC) and Huawei Cloud KMS (REST).

specgate ships its own emulator (src/emulator); this server is a second implementation, written
from the public evidence (the vendor pages, the SDK models, Huawei's Terraform provider), so that
a test can run the suite against something the suite was not tuned to. See docs/independent.md.

One process serves both clouds on one port:
  * Alibaba: POST or GET /?Action=X&Version=2016-01-20&... (parameters in the query or a form
    body), answered by alibaba.py;
  * Huawei: /v1.0/{project_id}/kms/..., answered by huawei.py.

It binds 127.0.0.1 on a free port and prints "listening on http://127.0.0.1:PORT". It checks no
signature and needs no credentials. Standard library only (Python 3.11).

Usage: python3 server.py [--alibaba-region R] [--alibaba-account A] [--huawei-region R]
                         [--domain-id D] [--project-id P] [--unknown-filter-key ignore|reject]
                         [--list-keys-max-page-size 100|101] [--alias-prefix required|optional]
                         [--alias-check before-key|after-key] [--page-out-of-range reject|default]
                         [--deviate keys-bare-array]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import alibaba  # noqa: E402
import huawei  # noqa: E402


class Handler(BaseHTTPRequestHandler):
    """Routes a request to the cloud its path belongs to."""

    protocol_version = "HTTP/1.1"
    alibaba: alibaba.AlibabaKms
    huawei: huawei.HuaweiKms
    verbose = False

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self.dispatch()

    def do_POST(self) -> None:  # noqa: N802
        self.dispatch()

    def do_DELETE(self) -> None:  # noqa: N802
        self.dispatch()

    def do_PUT(self) -> None:  # noqa: N802
        self.dispatch()

    def read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def dispatch(self) -> None:
        url = urlsplit(self.path)
        body = self.read_body()
        if url.path.startswith("/v1.0/"):
            status, payload = huawei.answer(self.huawei, self.command, url.path, url.query, body)
            data = b"" if payload is None else json.dumps(payload).encode()
            headers = {"X-Request-Id": uuid.uuid4().hex}
            self.reply(status, "application/json;charset=UTF-8", data, headers)
            return
        if url.path in ("", "/"):
            params = {k: v[0] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
            if "form-urlencoded" in (self.headers.get("Content-Type") or ""):
                form = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
                params.update({k: v[0] for k, v in form.items()})
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, ctype, data, extra = alibaba.answer(self.alibaba, params, headers)
            self.reply(status, ctype, data, extra)
            return
        self.reply(404, "text/plain", b"not found\n", {})

    def reply(self, status: int, ctype: str, data: bytes, headers: dict) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if status != 204:
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if status != 204:
            self.wfile.write(data)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (http.server's signature)
        if self.verbose:
            sys.stderr.write("%s %s\n" % (self.address_string(), format % args))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--alibaba-region", default="cn-hangzhou")
    parser.add_argument("--alibaba-account", default="1234567890123456")
    parser.add_argument("--huawei-region", default="cn-north-4")
    parser.add_argument("--domain-id", default="3bab8e245e854f68af5967c00dd43127")
    parser.add_argument("--project-id", default="0123456789abcdef0123456789abcdef")
    # The choices where the evidence is silent (docs/independent.md); the defaults are the
    # evidence-following implementation that issue 12 names, the others its alternative readings.
    parser.add_argument("--unknown-filter-key", choices=["ignore", "reject"], default="ignore")
    parser.add_argument("--list-keys-max-page-size", type=int, choices=[100, 101], default=100)
    parser.add_argument("--alias-prefix", choices=["required", "optional"], default="required")
    parser.add_argument("--alias-check", choices=["before-key", "after-key"], default="before-key")
    parser.add_argument("--page-out-of-range", choices=["reject", "default"], default="reject")
    # A deliberate deviation, to prove that parity with a recording of this server catches it
    # (run.sh, docs/independent.md): never used when the suite is judged.
    parser.add_argument("--deviate", choices=["keys-bare-array"], default=None,
                        help="answer wrongly on purpose: keys-bare-array (ListKeys Keys as a bare array)")
    parser.add_argument("--verbose", action="store_true", help="log every request on stderr")
    args = parser.parse_args()

    Handler.alibaba = alibaba.AlibabaKms(
        args.alibaba_region,
        args.alibaba_account,
        args.unknown_filter_key,
        args.list_keys_max_page_size,
        args.page_out_of_range,
        args.deviate,
    )
    Handler.huawei = huawei.HuaweiKms(
        args.huawei_region, args.domain_id, args.project_id, args.alias_prefix, args.alias_check
    )
    Handler.verbose = args.verbose
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(f"listening on http://127.0.0.1:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
