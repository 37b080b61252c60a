"""What the PostgreSQL tests written in Python share: a tally that prints the
runner's summary line, a fresh database, and greenlane-central processes
serving it on loopback ports."""
import os
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request


class Tally:
    """Checks counted under a name: "events", or "events-pgbouncer" when
    GL_PG_VIA says the database is reached through PgBouncer."""

    def __init__(self, name):
        via = os.environ.get('GL_PG_VIA')
        self.name, self.passed, self.failed = name + ('-' + via if via else ''), 0, 0

    def check(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print('FAIL %s: %s' % (self.name, what), flush=True)
        return ok

    def summary(self):
        print('%s: %d passed, %d failed' % (self.name, self.passed, self.failed), flush=True)
        return 1 if self.failed else 0


def free_port(lo, hi, salt=0):
    """A loopback port in [lo, hi) that nothing listens on now, starting from
    one this process's id picks (tests running at once start apart)."""
    span = hi - lo
    for i in range(span):
        port = lo + (os.getpid() + salt + i) % span
        with socket.socket() as s:
            try:
                s.bind(('127.0.0.1', port))
                return port
            except OSError:
                continue
    raise RuntimeError('no free port in %d-%d' % (lo, hi))


def psql(uri, sql):
    return subprocess.run(['psql', '-XAtq', uri, '-c', sql], capture_output=True, text=True, check=True).stdout


class Centres:
    """A database named after the test and this process, and `n`
    greenlane-central processes serving it; a context manager that stops
    them and drops the database."""

    def __init__(self, build, base, name, n):
        self.build, self.base, self.n = build, base, n
        self.central = os.path.join(build, 'greenlane-central')
        self.db_name = '%s_%d' % (name, os.getpid())
        self.db = base + '/' + self.db_name
        self.tmp = tempfile.mkdtemp(prefix='greenlane-%s.' % name)
        self.servers, self.ports = [], []

    def admin(self, *args):
        return subprocess.run([self.central, 'admin', '--db', self.db] + list(args), capture_output=True, text=True)

    def __enter__(self):
        psql(self.base + '/postgres', 'CREATE DATABASE ' + self.db_name)
        subprocess.run([self.central, 'admin', '--db', self.db, 'migrate'], capture_output=True, check=True)
        for i in range(self.n):
            port = 10000 + (os.getpid() + i * 997 // self.n) % 1000
            self.servers.append(subprocess.Popen([self.central, 'serve', '--listen', '127.0.0.1:%d' % port,
                                                  '--db', self.db, '--log', os.path.join(self.tmp, 'log%d' % port)]))
            self.ports.append(port)
        for port in self.ports:
            for _ in range(200):
                try:
                    urllib.request.urlopen('http://127.0.0.1:%d/v1/keys' % port, timeout=1)
                except urllib.error.HTTPError:
                    break	# it answers (401: no token)
                except OSError:
                    time.sleep(0.05)
        return self

    def __exit__(self, *exc):
        for s in self.servers:
            s.terminate()
            s.wait()
        subprocess.run(['psql', '-XAtq', self.base + '/postgres', '-c',
                        'DROP DATABASE IF EXISTS %s WITH (FORCE)' % self.db_name], capture_output=True)
        subprocess.run(['rm', '-rf', self.tmp])
        return False
