#!/usr/bin/env python3
"""Failover without loss (issue 14, item 6).  A primary and a streaming
standby with synchronous replication (the documented set-up), two
greenlane-central processes given both hosts (target_session_attrs=
read-write), and LANES real lanes each running `greenlane sync` while
records are logged.  Mid-burst the primary is killed (kill -9) and the
standby promoted.  Afterwards, with no lane restarted, every lane's outbox
drains by itself, and the centre holds every record of every lane exactly
once, with its chain whole: a record a lane removed from its outbox (the
centre said it was held) survived the primary's death.

    failover.py BUILD_DIR      prints "failover: N passed, M failed"
"""
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

from centres import Tally, free_port, psql

LANES, BURST_S, AFTER_S, DRAIN_S = 4, 3.0, 3.0, 90

tally = Tally('failover')
check = tally.check
HERE = os.path.dirname(os.path.abspath(__file__))


def server(*args):
    return subprocess.run(['sh', os.path.join(HERE, 'server.sh')] + list(args), capture_output=True, text=True)


def outbox(home):
    with sqlite3.connect(os.path.join(home, 'journal.db'), timeout=30) as j:
        return j.execute('SELECT count(*) FROM outbox').fetchone()[0]


def journal(home):
    with sqlite3.connect(os.path.join(home, 'journal.db'), timeout=30) as j:
        return [(u, h) for u, h in j.execute('SELECT uuid, hash FROM record ORDER BY seq')]


def main():
    build = sys.argv[1]
    central, lane = os.path.join(build, 'greenlane-central'), os.path.join(build, 'greenlane')
    tmp = tempfile.mkdtemp(prefix='greenlane-failover.')
    os.chmod(tmp, 0o755)	# the clusters' owner (as root: postgres) works in it
    p1, p2 = free_port(11000, 12000, 100), free_port(11000, 12000, 600)
    c_ports = [free_port(22000, 23000, 100), free_port(22000, 23000, 600)]
    primary, standby = os.path.join(tmp, 'primary'), os.path.join(tmp, 'standby')
    procs, homes = [], []
    try:
        r = server('start', primary, str(p1))
        if not check(r.returncode == 0, 'the primary starts: ' + r.stderr):
            return tally.summary()
        base1 = r.stdout.strip()
        r = server('standby', standby, str(p1), str(p2))
        if not check(r.returncode == 0, 'the standby starts: ' + r.stderr):
            return tally.summary()
        # Synchronous replication: a commit is acknowledged only once the
        # standby has it on disk.
        psql(base1 + '/postgres', "ALTER SYSTEM SET synchronous_standby_names = 'standby1'")
        psql(base1 + '/postgres', 'SELECT pg_reload_conf()')
        for _ in range(100):
            if psql(base1 + '/postgres', 'SELECT sync_state FROM pg_stat_replication').strip() == 'sync':
                break
            time.sleep(0.1)
        check(psql(base1 + '/postgres', 'SELECT sync_state FROM pg_stat_replication').strip() == 'sync',
              'the standby replicates synchronously')
        psql(base1 + '/postgres', 'CREATE DATABASE gl')
        db = 'postgresql://greenlane@127.0.0.1:%d,127.0.0.1:%d/gl?target_session_attrs=read-write&connect_timeout=2' % (
            p1, p2)
        admin = lambda *a: subprocess.run([central, 'admin', '--db', db] + list(a), capture_output=True, text=True)
        check(admin('migrate').returncode == 0, 'admin migrate')
        check(admin('demo', '--size', '50').returncode == 0, 'the demo data')
        for port in c_ports:
            procs.append(subprocess.Popen([central, 'serve', '--listen', '127.0.0.1:%d' % port, '--db', db,
                                           '--log', os.path.join(tmp, 'central-%d.log' % port)]))

        # The lanes: each its own home, half on either central, syncing
        # every second as a lane does (a failed round comes back sooner).
        envs = []
        for i in range(LANES):
            name = 'LANE-F%d' % i
            token = admin('token', 'add', name).stdout.strip()
            home = os.path.join(tmp, name)
            os.makedirs(os.path.join(home, 'config', 'greenlane'))
            conf = os.path.join(home, 'config', 'greenlane', 'config.ini')
            with open(conf, 'w') as f:
                f.write('[lane]\ncheckpoint = PDS-01\nterminal = %s\n[server]\nurl = http://127.0.0.1:%d\n'
                        'token = %s\ninterval = 1\n' % (name, c_ports[i % 2], token))
            os.chmod(conf, 0o600)
            env = dict(os.environ, GREENLANE_HOME=home, XDG_CONFIG_HOME=os.path.join(home, 'config'))
            check(subprocess.run([lane, 'sync', '--once'], env=env, capture_output=True).returncode == 0,
                  name + ': first sync')
            homes.append(home)
            envs.append(env)
        for env in envs:
            procs.append(subprocess.Popen([lane, 'sync'], env=env, stdout=subprocess.DEVNULL,
                                          stderr=open(os.path.join(env['GREENLANE_HOME'], 'sync.err'), 'w')))

        # Officers log transits all along, before and after the primary dies.
        stop = threading.Event()
        logged = [0] * LANES

        def officer(i):
            while not stop.is_set():
                r = subprocess.run([lane, 'log', '--officer', '0417', '豫D10001'], env=envs[i], capture_output=True)
                if r.returncode == 0:
                    logged[i] += 1
                else:
                    print('failover: LANE-F%d: log: %s' % (i, r.stderr.decode()[:200]), flush=True)
                time.sleep(0.02)
        officers = [threading.Thread(target=officer, args=(i,)) for i in range(LANES)]
        for t in officers:
            t.start()
        time.sleep(BURST_S)
        held_before = int(psql(base1 + '/gl', 'SELECT count(*) FROM event').strip())
        check(held_before > 0, 'records reached the centre before the failover')
        r = server('kill', primary)
        check(r.returncode == 0, 'kill -9 the primary: ' + r.stderr)
        time.sleep(1)
        r = server('promote', standby)
        check(r.returncode == 0, 'promote the standby: ' + r.stderr)
        time.sleep(AFTER_S)
        stop.set()
        for t in officers:
            t.join()

        # No lane is touched: each drains its outbox by itself.
        deadline = time.time() + DRAIN_S
        while time.time() < deadline and any(outbox(h) for h in homes):
            time.sleep(0.5)
        for i, h in enumerate(homes):
            check(outbox(h) == 0, 'LANE-F%d: its outbox drained by itself (%d left)' % (i, outbox(h)))
        base2 = 'postgresql://greenlane@127.0.0.1:%d' % p2
        for i, h in enumerate(homes):
            name = 'LANE-F%d' % i
            mine = journal(h)
            rows = psql(base2 + '/gl', "SELECT uuid, hash FROM event WHERE terminal = '%s' ORDER BY seq" % name)
            held = [tuple(l.split('|')) for l in rows.splitlines()]
            check(len(mine) == logged[i] and len(mine) > 0, '%s: logged %d, the journal holds %d' % (
                name, logged[i], len(mine)))
            check(held == mine, '%s: the centre holds its %d records exactly, once each, in order (holds %d)' % (
                name, len(mine), len(held)))
            bad = psql(base2 + '/gl', "SELECT count(*) FROM event WHERE terminal = '%s' AND chain <> 'ok'" % name)
            check(bad.strip() == '0', '%s: every chain link whole (%s not)' % (name, bad.strip()))
        total = int(psql(base2 + '/gl', 'SELECT count(*) FROM event').strip())
        check(total > held_before, 'records kept arriving after the failover (%d before, %d after)' % (
            held_before, total))
        for p in procs[:2]:
            check(p.poll() is None, 'a central outlived the failover')
        # The lanes felt it: some requests were turned away meanwhile.
        turned = 0
        for port in c_ports:
            with open(os.path.join(tmp, 'central-%d.log' % port), encoding='utf-8', errors='replace') as f:
                turned += sum(1 for line in f if ' 503 ' in line)
        check(turned > 0, 'the centrals answered 503 while there was no primary')
        print('failover figures: %d records from %d lanes, %d held when the primary was killed, %d requests'
              ' answered 503 meanwhile' % (total, LANES, held_before, turned), flush=True)
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
        server('stop', primary)
        server('stop', standby)
        subprocess.run(['rm', '-rf', tmp])
    return tally.summary()


if __name__ == '__main__':
    sys.exit(main())
