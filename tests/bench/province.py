#!/usr/bin/env python3
"""A simulated province (issue 14): LANES lanes, each its own terminal with
its own token and journal chain, for SECONDS seconds.  Each polls
/v1/changes every 60 s (the first poll at a random moment of the first
minute, then every 60 s ± 5 s) and logs about 20 transits an hour, posting
each at once as one record.  Each lane keeps one keep-alive connection, to
one of the centrals given (round robin).  Prints p50 and p99 of the polls
and of the posts, the errors (any answer but 200, a record not held, a
connection lost), and the CPU the centrals and PostgreSQL used.  Loopback
only; bounded in time.

    province.py LANES SECONDS TOKENS PORT[,PORT…] PID[,PID…] CURSOR [POSTMASTER]
TOKENS is a file of "TERMINAL TOKEN" lines, one a lane; CURSOR the feed's
cursor now; POSTMASTER the PostgreSQL server's process, if any.
"""
import asyncio
import glob
import hashlib
import json
import os
import random
import sys
import time
import uuid

lanes, seconds = int(sys.argv[1]), float(sys.argv[2])
with open(sys.argv[3]) as f:
    terminals = [line.split() for line in f if line.strip()][:lanes]
ports = [int(p) for p in sys.argv[4].split(',')]
pids = [int(p) for p in sys.argv[5].split(',')]
cursor0 = int(sys.argv[6])
postmaster = int(sys.argv[7]) if len(sys.argv) > 7 else 0
polls, posts = [], []
errors = {}
rnd = random.Random(7)
GENESIS = '0' * 64
CREW = '410402196501010003'


def err(what):
    errors[what] = errors.get(what, 0) + 1


def cpu_of(pid):
    try:
        with open('/proc/%d/stat' % pid) as f:
            v = f.read().rsplit(')', 1)[1].split()
        return (int(v[11]) + int(v[12])) / os.sysconf('SC_CLK_TCK')
    except OSError:
        return 0.0


def postgres_cpu():
    """The PostgreSQL server's CPU: the postmaster's, its live children's,
    and its ended children's (in its cutime and cstime)."""
    if postmaster == 0:
        return 0.0
    total = 0.0
    for stat in glob.glob('/proc/[0-9]*/stat'):
        try:
            with open(stat) as f:
                v = f.read().rsplit(')', 1)[1].split()
        except OSError:
            continue
        pid = int(stat.split('/')[2])
        if pid == postmaster:
            total += sum(int(x) for x in v[11:15]) / os.sysconf('SC_CLK_TCK')
        elif int(v[1]) == postmaster:
            total += (int(v[11]) + int(v[12])) / os.sysconf('SC_CLK_TCK')
    return total


async def request_on(conn, method, path, token, body=None):
    reader, writer = conn
    head = '%s %s HTTP/1.1\r\nHost: c\r\nAuthorization: Bearer %s\r\n' % (method, path, token)
    data = b''
    if body is not None:
        data = body.encode('utf-8')
        head += 'Content-Type: application/json\r\nContent-Length: %d\r\n' % len(data)
    writer.write(head.encode() + b'\r\n' + data)
    h = await reader.readuntil(b'\r\n\r\n')
    length = 0
    for line in h.split(b'\r\n'):
        if line.lower().startswith(b'content-length:'):
            length = int(line.split(b':')[1])
    return h.split(b' ', 2)[1], await reader.readexactly(length)


async def request(lane_conn, port, method, path, token, body=None):
    """A request on the lane's keep-alive connection.  The centre closes a
    connection idle 30 s, and a lane polls once a minute: as curl does, a
    request that finds its reused connection closed is sent once more on a
    new one (a poll changes nothing; a record is held once by its UUID).
    Only a failure on a new connection counts as an error."""
    fresh = lane_conn[0] is None
    for attempt in (0, 1):
        if lane_conn[0] is None:
            lane_conn[0] = await asyncio.open_connection('127.0.0.1', port)
            fresh = True
        try:
            return await request_on(lane_conn[0], method, path, token, body)
        except (OSError, asyncio.IncompleteReadError):
            lane_conn[0] = None
            if fresh or attempt == 1:
                raise


async def lane(i, end):
    name, token = terminals[i]
    port = ports[i % len(ports)]
    since, seq, prev = cursor0, 0, GENESIS
    conn = [None]
    now = time.monotonic()
    next_poll = now + rnd.uniform(0, 60)
    next_post = now + rnd.expovariate(20 / 3600)
    while True:
        t = min(next_poll, next_post)
        if t >= end:
            return
        await asyncio.sleep(max(0, t - time.monotonic()))
        try:
            t0 = time.monotonic()
            if t == next_poll:
                next_poll += 60 + rnd.uniform(-5, 5)
                status, body = await request(conn, port, 'GET', '/v1/changes?since=%d&limit=1000' % since, token)
                if status != b'200':
                    err('poll HTTP %s' % status.decode())
                    continue
                polls.append(time.monotonic() - t0)
                last = body.rstrip(b'\n').rsplit(b'\n', 1)[-1]
                since = int(last.split(b'"cursor":')[1].split(b',')[0].split(b'}')[0])
            else:
                next_post += rnd.expovariate(20 / 3600)
                at = time.strftime('%Y-%m-%dT%H:%M:%S+08:00', time.gmtime(time.time() + 8 * 3600))
                u = str(uuid.uuid4())
                rec = {'uuid': u, 'terminal': name, 'seq': seq + 1, 'kind': 'transit', 'at': at,
                       'checkpoint': 'PDS-01', 'direction': 'in', 'officer': '0417', 'first_scan_at': at,
                       'query': [{'kind': 'plate', 'value': '豫D10001'}], 'plate': '豫D10001', 'crew': [CREW],
                       'verdict': 'green', 'reasons': [], 'decision': 'release', 'override': False,
                       'policy': {'id': 'pds-default', 'version': '2022.5.2'}, 'cache_age_s': 0,
                       'prev_hash': prev}
                b = json.dumps(rec, separators=(',', ':'), ensure_ascii=False)
                h = hashlib.sha256(b.encode('utf-8')).hexdigest()
                status, answer = await request(conn, port, 'POST', '/v1/events', token,
                                               json.dumps({'events': [{'body': b, 'hash': h}]}, ensure_ascii=False))
                if status != b'200' or u not in json.loads(answer).get('held', []):
                    err('post HTTP %s %s' % (status.decode(), answer[:80]))
                    continue
                posts.append(time.monotonic() - t0)
                seq, prev = seq + 1, h
        except (OSError, asyncio.IncompleteReadError, ValueError, IndexError) as e:
            err(type(e).__name__)
            conn[0] = None


def q(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(len(v) * p))] * 1000 if v else float('nan')


async def main():
    c0, p0, t0 = sum(cpu_of(p) for p in pids), postgres_cpu(), time.monotonic()
    end = t0 + seconds
    await asyncio.gather(*(lane(i, end) for i in range(len(terminals))))
    wall = time.monotonic() - t0
    c1, p1 = sum(cpu_of(p) for p in pids), postgres_cpu()
    print('%d lanes for %.0f s: %d polls, p50 %.1f ms, p99 %.1f ms; %d posts, p50 %.1f ms, p99 %.1f ms; '
          'errors %d%s; CPU: centrals %.1f s (%.1f%% of one core), PostgreSQL %.1f s'
          % (len(terminals), wall, len(polls), q(polls, 0.5), q(polls, 0.99), len(posts), q(posts, 0.5),
             q(posts, 0.99), sum(errors.values()), (' ' + json.dumps(errors)) if errors else '', c1 - c0,
             100 * (c1 - c0) / wall, p1 - p0) + ('' if postmaster else ' (none)'))

asyncio.run(main())
