#!/usr/bin/env python3
"""A lane's records posted to two centrals at once are held once each, and
its chain checks stay right (issue 14, item 4).  LANES real lanes each log
RECORDS transits; then, for every lane, SENDERS threads post all its records
at the same time, each in its own shuffled order and batch sizes, to either
of two greenlane-central processes on one PostgreSQL database.  Afterwards
every record is held exactly once, none was refused, every answer named each
record it was sent as held, and every record's chain state is "ok": no gap
left open, no false fork, no false break.

    events.py BUILD_DIR PG_BASE_URI      prints "events: N passed, M failed"
"""
import json
import os
import random
import sqlite3
import subprocess
import sys
import threading
import urllib.request

from centres import Centres, Tally, psql

LANES, RECORDS, SENDERS = 3, 30, 6

tally = Tally('events')
check = tally.check


def lane(cs, name, token):
    """A lane's home, synced once, with RECORDS transits logged; its records
    as (uuid-less) events: {"body", "hash"} in sequence order."""
    home = os.path.join(cs.tmp, name)
    env = dict(os.environ, GREENLANE_HOME=home, XDG_CONFIG_HOME=os.path.join(home, 'config'))
    os.makedirs(os.path.join(home, 'config', 'greenlane'))
    conf = os.path.join(home, 'config', 'greenlane', 'config.ini')
    with open(conf, 'w') as f:
        f.write('[lane]\ncheckpoint = PDS-01\nterminal = %s\n[server]\nurl = http://127.0.0.1:%d\ntoken = %s\n'
                % (name, cs.ports[0], token))
    os.chmod(conf, 0o600)
    g = os.path.join(cs.build, 'greenlane')
    check(subprocess.run([g, 'sync', '--once'], env=env, capture_output=True).returncode == 0, name + ': first sync')
    for i in range(RECORDS):
        log = [g, 'log', '--officer', '0417', '豫D%05d' % (10001 + i)]
        p = subprocess.run(log, env=env, capture_output=True, text=True)
        if p.returncode == 64:	# the verdict asks for a decision, or a tube
            p = subprocess.run(log[:2] + ['--decision', 'sample', '--tube', '%s-%04d' % (name, i)] + log[2:], env=env,
                               capture_output=True, text=True)
        check(p.returncode == 0, '%s: log record %d: %s' % (name, i, p.stderr))
    with sqlite3.connect(os.path.join(home, 'journal.db')) as j:
        return [{'body': b, 'hash': h} for b, h in j.execute('SELECT body, hash FROM record ORDER BY seq')]


def sender(cs, token, events, seed, answers):
    rnd = random.Random(seed)
    order = events[:]
    rnd.shuffle(order)
    while order:
        n = rnd.randint(1, 5)
        batch, order = order[:n], order[n:]
        port = rnd.choice(cs.ports)
        req = urllib.request.Request('http://127.0.0.1:%d/v1/events' % port,
                                     data=json.dumps({'events': batch}).encode('utf-8'),
                                     headers={'Authorization': 'Bearer ' + token,
                                              'Content-Type': 'application/json'})
        try:
            answers.append((len(batch), json.loads(urllib.request.urlopen(req, timeout=30).read())))
        except OSError as e:
            answers.append((len(batch), {'error': str(e)}))


def main():
    with Centres(sys.argv[1], sys.argv[2], 'events', 2) as cs:
        check(cs.admin('demo', '--size', '50').returncode == 0, 'the demo data')
        lanes = []
        for i in range(LANES):
            name = 'LANE-E%d' % i
            token = cs.admin('token', 'add', name).stdout.strip()
            lanes.append((name, token, lane(cs, name, token)))
        answers = []
        threads = [threading.Thread(target=sender, args=(cs, token, events, i * SENDERS + s, answers))
                   for i, (name, token, events) in enumerate(lanes) for s in range(SENDERS)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()

        bad = [a for n, a in answers if len(a.get('held', [])) != n or a.get('refused')]
        check(not bad, 'every answer holds each record it was sent, refusing none: %d did not, e.g. %s'
              % (len(bad), bad[:2]))
        for name, token, events in lanes:
            got = psql(cs.db, "SELECT count(*), count(DISTINCT uuid), count(*) FILTER (WHERE chain = 'ok'),"
                              " min(seq), max(seq) FROM event WHERE terminal = '%s'" % name).strip()
            want = '%d|%d|%d|1|%d' % (len(events), len(events), len(events), len(events))
            check(got == want, '%s: held %s (count|distinct|ok|min|max), want %s' % (name, got, want))
            rows = psql(cs.db, "SELECT hash FROM event WHERE terminal = '%s' ORDER BY seq" % name).split()
            check(rows == [e['hash'] for e in events], name + ': the very records the lane made, in its order')
        report = {t['terminal']: t for t in json.loads(cs.admin('report').stdout)}
        for name, token, events in lanes:
            t = report.get(name, {})
            got = [t.get(k) for k in ('events', 'last_seq', 'gaps', 'breaks', 'missing', 'forks')]
            check(got == [len(events), len(events), 0, 0, 0, 0],
                  '%s: the report says events, last_seq, gaps, breaks, missing, forks = %s' % (name, got))
    return tally.summary()


if __name__ == '__main__':
    sys.exit(main())
