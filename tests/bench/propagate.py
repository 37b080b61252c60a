#!/usr/bin/env python3
"""Propagation: from `admin pass revoke` to the change held by each of N
simulated lanes that wait on the change feed (/v1/changes?since=C&wait=55),
as greenlane sync does.  Each lane keeps one keep-alive connection, to one
of the centrals given (round robin).  Prints p50, p99 and max over every
lane and every revocation, the lanes' errors, and the centrals' CPU while
the lanes only waited.  Loopback only; bounded in time.

    propagate.py LANES REVOCATIONS CENTRAL DB TOKEN PORT[,PORT…] PID[,PID…] CURSOR PASSES
CENTRAL is the greenlane-central binary, CURSOR the feed's cursor now, and
PASSES a shell command that prints REVOCATIONS pass numbers to revoke.
"""
import asyncio
import os
import subprocess
import sys
import time

lanes, revocations = int(sys.argv[1]), int(sys.argv[2])
admin, db, token = sys.argv[3], sys.argv[4], sys.argv[5]
ports = [int(p) for p in sys.argv[6].split(',')]
pids = [int(p) for p in sys.argv[7].split(',')]
arrived = {}        # seq -> [time each lane first held a cursor >= seq]
errors = 0
cursor0 = None


def cpu(pid):
    with open('/proc/%d/stat' % pid) as f:
        v = f.read().rsplit(')', 1)[1].split()
    return (int(v[11]) + int(v[12])) / os.sysconf('SC_CLK_TCK')


async def lane(i, ready):
    global errors
    since = cursor0
    port = ports[i % len(ports)]
    reader = writer = None
    first = True
    while True:
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection('127.0.0.1', port)
            writer.write(('GET /v1/changes?since=%d&limit=1000&wait=55 HTTP/1.1\r\nHost: c\r\n'
                          'Authorization: Bearer %s\r\n\r\n' % (since, token)).encode())
            if first:
                ready.release()
                first = False
            head = await reader.readuntil(b'\r\n\r\n')
            length = 0
            for line in head.split(b'\r\n'):
                if line.lower().startswith(b'content-length:'):
                    length = int(line.split(b':')[1])
            body = await reader.readexactly(length)
            now = time.time()
            if not head.startswith(b'HTTP/1.1 200'):
                errors += 1
                await asyncio.sleep(1)
                continue
            last = body.rstrip(b'\n').rsplit(b'\n', 1)[-1]
            cur = int(last.split(b'"cursor":')[1].split(b',')[0])
            for seq in range(since + 1, cur + 1):
                arrived.setdefault(seq, []).append(now)
            since = cur
        except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
            errors += 1
            writer = None
            await asyncio.sleep(1)


async def main():
    global cursor0
    cursor0 = int(sys.argv[8])
    ready = asyncio.Semaphore(0)
    tasks = [asyncio.create_task(lane(i, ready)) for i in range(lanes)]
    for _ in range(lanes):
        await ready.acquire()
    await asyncio.sleep(3)          # every lane's request read its empty page and waits
    c0 = [cpu(p) for p in pids]
    await asyncio.sleep(10)         # only waiting
    idle = sum(cpu(p) for p in pids) - sum(c0)
    sent = []
    passes = subprocess.run(['sh', '-c', sys.argv[9]], capture_output=True, text=True).stdout.split()
    for n in range(revocations):
        t0 = time.time()
        subprocess.run([admin, 'admin', '--db', db, 'pass', 'revoke', passes[n]], capture_output=True, check=True)
        sent.append(t0)
        await asyncio.sleep(3)
    for t in tasks:
        t.cancel()
    # Each revocation's sequence number: the n-th new one.
    seqs = sorted(s for s in arrived if s > cursor0)
    lat = []
    for n, t0 in enumerate(sent):
        if n < len(seqs):
            lat += [t - t0 for t in arrived[seqs[n]]]
    missing = lanes * revocations - len(lat)
    lat.sort()
    q = lambda p: lat[min(len(lat) - 1, int(len(lat) * p))] if lat else float('nan')
    print('propagation over %d lanes x %d revocations: p50 %.2f s, p99 %.2f s, max %.2f s; %d not arrived, '
          '%d lane errors; the centrals\' CPU while %d lanes waited 10 s: %.2f s'
          % (lanes, revocations, q(0.5), q(0.99), lat[-1] if lat else float('nan'), missing, errors, lanes, idle))

asyncio.run(main())
