#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""collector.py: a loopback HTTP(S) collector for --transmit tests.

Usage: collector.py DIR [CERT KEY]. Listens on 127.0.0.1 on a free port, writes the port to
DIR/port, stores each POST body as DIR/post-N.json (N from 1) with its headers in
DIR/post-N.headers, and answers 204, or 500 for paths under /fail.
"""
import http.server
import os
import ssl
import sys

DIR = sys.argv[1]


class Handler(http.server.BaseHTTPRequestHandler):
    count = 0

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        Handler.count += 1
        base = os.path.join(DIR, f"post-{Handler.count}")
        with open(base + ".headers", "w") as f:
            f.write(f"{self.path}\n{self.headers}")
        with open(base + ".json", "wb") as f:
            f.write(body)
        self.send_response(500 if self.path.startswith("/fail") else 204)
        self.end_headers()

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
if len(sys.argv) == 4:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(sys.argv[2], sys.argv[3])
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
with open(os.path.join(DIR, "port.tmp"), "w") as f:
    f.write(str(server.server_address[1]))
os.rename(os.path.join(DIR, "port.tmp"), os.path.join(DIR, "port"))
server.serve_forever()
