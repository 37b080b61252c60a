#!/usr/bin/env python3
"""The change feed never skips a record, with several centrals and writers at
once (issue 14, item 3): WRITERS admin processes publish and delete records
in overlapping transactions, two greenlane-central processes serve one
PostgreSQL database, and READERS lanes follow /v1/changes from either central
as fast as they can, or (every other reader) waiting on the feed
(wait=2), as a lane does.  When the writers are done, every reader's replay of the
feed (puts and tombstones applied in order) must equal the final table, and
every sequence number a reader saw must be above the one before.

    feed.py BUILD_DIR PG_BASE_URI      prints "feed: N passed, M failed"
"""
import json
import os
import random
import sys
import threading
import time
import urllib.request

from centres import Centres, Tally, psql

WRITERS, ROUNDS, READERS, KEYS = 4, 6, 6, 60

tally = Tally('feed')
check = tally.check


def main():
    with Centres(sys.argv[1], sys.argv[2], 'feed', 2) as cs:
        run(cs)
    return tally.summary()


def run(cs):
    admin, db, ports, tmp = cs.admin, cs.db, cs.ports, cs.tmp
    check(admin('demo', '--size', '20').returncode == 0, 'the demo data')
    token = admin('token', 'add', 'FEED-1').stdout.strip()
    start = int(psql(db, 'SELECT max(seq) FROM record').strip() or 0)

    # Writers: rounds of puts and deletes of intercepts over one key
    # space, each round one transaction of its own that takes a while.
    def writer(w):
        rnd = random.Random(w)
        for r in range(ROUNDS):
            lines = []
            for _ in range(rnd.randint(5, 40)):
                k = 'FEED-%03d' % rnd.randrange(KEYS)
                if rnd.random() < 0.25:
                    lines.append(json.dumps({'kind': 'intercept', 'op': 'del', 'key': k}))
                else:
                    lines.append(json.dumps({'kind': 'intercept', 'op': 'put', 'key': k, 'data': {
                        'id': k, 'target': 'plate', 'value': '豫D%05d' % (10001 + rnd.randrange(900)),
                        'reason': 'w%d r%d' % (w, r), 'cleared': False}}, ensure_ascii=False))
            path = os.path.join(tmp, 'w%d-%d.ndjson' % (w, r))
            with open(path, 'w', encoding='utf-8') as f:
                f.write('\n'.join(lines) + '\n')
            rc = admin('import', path).returncode
            check(rc == 0, 'writer %d round %d: import exit %d' % (w, r, rc))

    # Readers: follow the feed from `start`, as lanes do, alternating
    # between the two centrals.
    done = threading.Event()
    replays = [dict() for _ in range(READERS)]
    orders = [True] * READERS

    def reader(i):
        since, last, state = start, start, replays[i]
        while True:
            finished = done.is_set()
            port = ports[(i + since) % 2]
            wait = '&wait=2' if i % 2 and not finished else ''
            req = urllib.request.Request('http://127.0.0.1:%d/v1/changes?since=%d&limit=%d%s' % (port, since, 7 + i,
                                                                                            wait),
                                         headers={'Authorization': 'Bearer ' + token})
            try:
                body = urllib.request.urlopen(req, timeout=10).read().decode('utf-8')
            except OSError as e:
                print('feed: reader %d: %s' % (i, e), flush=True)
                time.sleep(0.05)
                continue
            lines = [json.loads(l) for l in body.splitlines() if l]
            more = lines[-1].get('more', False)
            for rec in lines[:-1]:
                if rec['seq'] <= last:
                    orders[i] = False
                last = rec['seq']
                if rec['kind'] != 'intercept':
                    continue
                if rec['op'] == 'put':
                    state[rec['key']] = rec['data']
                else:
                    state.pop(rec['key'], None)
            since = lines[-1]['cursor']
            if finished and not more:
                return
            if not more and not wait:
                time.sleep(0.005)

    ws = [threading.Thread(target=writer, args=(w,)) for w in range(WRITERS)]
    rs = [threading.Thread(target=reader, args=(i,)) for i in range(READERS)]
    for t in rs + ws:
        t.start()
    for t in ws:
        t.join()
    done.set()
    for t in rs:
        t.join()

    final = {}
    out = psql(db, "SELECT key, data::text FROM record WHERE kind = 'intercept' AND data IS NOT NULL"
               " AND key LIKE 'FEED-%'")
    for line in out.splitlines():
        key, data = line.split('|', 1)
        final[key] = json.loads(data)
    check(len(final) > 0, 'the writers left records')
    for i in range(READERS):
        check(replays[i] == final, 'reader %d replayed %d records, the table has %d%s' % (
            i, len(replays[i]), len(final), '' if replays[i] == final else
            ': differing keys %s' % sorted(k for k in set(replays[i]) | set(final)
                                           if replays[i].get(k) != final.get(k))[:5]))
        check(orders[i], 'reader %d saw every sequence number above the one before' % i)


if __name__ == '__main__':
    sys.exit(main())
