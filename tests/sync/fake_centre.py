#!/usr/bin/env python3
"""A misbehaving centre for the lane's sync tests: it serves a real
snapshot (a file the real greenlane-central wrote), change pages and event
replies, and misbehaves as its scenario says.  Every request is logged, one
line each, to the log file, so that a test can count them.

    fake_centre.py PORT SNAPSHOT_FILE SCENARIO LOG [ARG]

Scenarios:
  ok             behaves
  same-cursor    /v1/changes: more:true with the cursor it was given
  held-unknown   /v1/events: says it holds a record that was not sent
  refuse-one     /v1/events: refuses the records about 豫D10002, holds the rest
  html           everything: 200, text/html, a login page
  pull-500       /v1/snapshot and /v1/changes: 500; /v1/events behaves
  drop           /v1/snapshot: the connection closes before any byte
  hang           /v1/snapshot: headers, a line, then nothing for an hour
  endless        /v1/snapshot: records without end (ARG bytes each second: unlimited)
  resume         /v1/snapshot: the first part is cut after ARG lines; the
                 rest, and /v1/changes, come from a later state in which
                 ARG2 lines (a JSON file of changed records) were changed
  resume-nohead  as resume, without X-Snapshot-Cursor
"""
import json, sys, time, urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT, SNAP, SCENARIO, LOG = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
ARGS = sys.argv[5:]
LINES = [l for l in open(SNAP, encoding="utf-8").read().split("\n") if l]
TRAILER = json.loads(LINES[-1])
RECORDS = LINES[:-1]
CURSOR = int(TRAILER["cursor"])
AS_OF = TRAILER["as_of"]
held = set()

def key_of(line):
    r = json.loads(line)
    return "%s/%s" % (r["kind"], r["key"])

def log(line):
    with open(LOG, "a") as f:
        f.write(line + "\n")

class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def send(self, status, body, ctype="application/json", headers=()):
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        u = urllib.parse.urlparse(self.path)
        q = urllib.parse.parse_qs(u.query)
        log("GET " + self.path)
        if SCENARIO == "html":
            return self.send(200, "<html><body>Please log in to the airport Wi-Fi</body></html>", "text/html")
        if u.path == "/v1/snapshot":
            return self.snapshot(q)
        if u.path == "/v1/changes":
            return self.changes(q)
        return self.send(404, '{"error":"not_found","message":"no such path"}')

    def snapshot(self, q):
        if SCENARIO == "pull-500":
            return self.send(500, '{"error":"internal","message":"broken"}')
        if SCENARIO == "drop":
            self.close_connection = True
            self.wfile.flush()
            self.connection.shutdown(2)
            return
        if SCENARIO == "hang":
            self.send_response(200)
            self.send_header("Content-Type", "application/x-ndjson")
            self.end_headers()
            self.wfile.write((RECORDS[0] + "\n").encode())
            self.wfile.flush()
            time.sleep(3600)
            return
        if SCENARIO == "endless":
            self.send_response(200)
            self.send_header("Content-Type", "application/x-ndjson")
            self.send_header("X-Snapshot-Cursor", str(CURSOR))
            self.end_headers()
            pad = "x" * 4000
            i = 0
            try:
                while True:
                    line = '{"seq":%d,"kind":"enterprise","op":"put","key":"Z%09d","data":{"id":"Z%09d","name":"%s","sector":"transport","region":"410402","whitelisted":true,"status":"active"}}\n' % (i, i, i, pad)
                    self.wfile.write(line.encode())
                    i += 1
            except (BrokenPipeError, ConnectionResetError):
                return
        if SCENARIO in ("resume", "resume-nohead"):
            return self.resume(q)
        body = "\n".join(LINES) + "\n"
        return self.send(200, body, "application/x-ndjson", [("X-Snapshot-Cursor", str(CURSOR))])

    def resume(self, q):
        cut = int(ARGS[0])
        changed = [json.dumps(c, ensure_ascii=False, separators=(",", ":")) for c in json.load(open(ARGS[1], encoding="utf-8"))]
        later = {key_of(c): c for c in changed}
        head = [] if SCENARIO == "resume-nohead" else [("X-Snapshot-Cursor", str(CURSOR if "after" not in q else CURSOR + len(changed)))]
        if "after" not in q:
            # The first part, at CURSOR, cut after `cut` lines mid-record.
            body = "\n".join(RECORDS[:cut]) + "\n" + RECORDS[cut][:10]
            self.send_response(200)
            self.send_header("Content-Type", "application/x-ndjson")
            for k, v in head:
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body.encode()) + 1000))
            self.end_headers()
            self.wfile.write(body.encode())
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(2)
            return
        after = q["after"][0]
        keys = [key_of(l) for l in RECORDS]
        i = keys.index(after) + 1
        rest = [later.get(key_of(l), l) for l in RECORDS[i:]]
        trailer = json.dumps({"cursor": CURSOR + len(changed), "as_of": AS_OF})
        return self.send(200, "\n".join(rest + [trailer]) + "\n", "application/x-ndjson", head)

    def changes(self, q):
        if SCENARIO == "pull-500":
            return self.send(500, '{"error":"internal","message":"broken"}')
        since = int(q["since"][0])
        if SCENARIO == "same-cursor":
            return self.send(200, RECORDS[0] + "\n" + json.dumps({"cursor": since, "more": True, "as_of": AS_OF}) + "\n",
                             "application/x-ndjson")
        if SCENARIO in ("resume", "resume-nohead"):
            changed = [json.dumps(c, ensure_ascii=False, separators=(",", ":")) for c in json.load(open(ARGS[1], encoding="utf-8"))]
            top = CURSOR + len(changed)
            pending = changed[max(0, since - CURSOR):] if since >= CURSOR else changed
            return self.send(200, "\n".join(pending + [json.dumps({"cursor": top, "more": False, "as_of": AS_OF})]) + "\n",
                             "application/x-ndjson")
        return self.send(200, json.dumps({"cursor": max(since, CURSOR), "more": False, "as_of": AS_OF}) + "\n",
                         "application/x-ndjson")

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(n)
        log("POST " + self.path)
        if SCENARIO == "html":
            return self.send(200, "<html><body>Please log in</body></html>", "text/html")
        if self.path != "/v1/events":
            return self.send(404, '{"error":"not_found","message":"no such path"}')
        events = json.loads(body)["events"]
        uuids = [json.loads(e["body"])["uuid"] for e in events]
        if SCENARIO == "held-unknown":
            return self.send(200, json.dumps({"held": ["01234567-89ab-7def-8123-456789abcdef"], "refused": []}))
        refused = []
        if SCENARIO == "refuse-one":
            refused = [json.loads(e["body"])["uuid"] for e in events if '"plate":"豫D10002"' in e["body"]]
        for u in uuids:
            if u in refused:
                log("REFUSED " + u)
                continue
            held.add(u)
            log("HELD " + u)
        return self.send(200, json.dumps({"held": [u for u in uuids if u not in refused],
                                          "refused": [{"uuid": u, "error": "test"} for u in refused]}))

ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer(("127.0.0.1", PORT), H).serve_forever()
