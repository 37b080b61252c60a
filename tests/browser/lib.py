"""What every browser scenario shares: the real greenlane-central on a
loopback port with the demo data and a member of staff (alice), a lane
with its own terminal, and a tally that ends with "<name>: N passed, M
failed".  A scenario runs alone: python3 tests/browser/NN-name.py build/greenlane
Screenshots go to BUILD/browser/, kept as the run's artefacts."""
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

from cdp import Browser, chromium

STAFF, PASSWORD = 'alice', 'correct horse battery'


class Centre:
    def __init__(self, name, serve_args=()):
        self.name = name
        self.serve_args = list(serve_args)
        self.g = os.path.abspath(sys.argv[1])
        self.build = os.path.dirname(self.g)
        self.c = os.path.join(self.build, 'greenlane-central')
        self.passed = self.failed = 0
        self.shots = os.path.join(self.build, 'browser')
        os.makedirs(self.shots, exist_ok=True)

    def check(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print('FAIL %s: %s' % (self.name, what), flush=True)
        return ok

    def __enter__(self):
        self.tmp = tempfile.mkdtemp(prefix='greenlane-browser.')
        self.db = os.path.join(self.tmp, 'central.db')
        with socket.socket() as s:
            s.bind(('127.0.0.1', 0))
            self.port = s.getsockname()[1]
        self.url = 'http://127.0.0.1:%d' % self.port
        self.admin('demo', '--size', '50')
        self.admin('policy', 'publish', 'default')
        self.admin('staff', 'add', STAFF, stdin=PASSWORD + '\n')
        self.server = subprocess.Popen([self.c, 'serve', '--listen', '127.0.0.1:%d' % self.port, '--db', self.db,
                                        '--log', os.path.join(self.tmp, 'central.log')] + self.serve_args,
                                       stderr=open(os.path.join(self.tmp, 'serve.err'), 'w'))
        for _ in range(200):
            try:
                urllib.request.urlopen(self.url + '/', timeout=1)
                break
            except OSError:
                time.sleep(0.05)
        return self

    def __exit__(self, *exc):
        self.server.terminate()
        self.server.wait()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def admin(self, *args, stdin=None):
        p = subprocess.run([self.c, 'admin', '--db', self.db] + list(args), input=stdin, capture_output=True,
                           text=True)
        if p.returncode != 0:
            raise RuntimeError('admin %s: %s' % (' '.join(args), p.stderr))
        return p.stdout

    def sql(self, statement):
        with sqlite3.connect(self.db) as d:
            return d.execute(statement).fetchall()

    def get(self, path, headers=None):
        """A request without the browser: (status, body)."""
        req = urllib.request.Request(self.url + path, headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def lane(self, terminal, interval=None):
        """A lane's home with its own terminal (and its sync's interval, if
        given): a function that runs greenlane in it."""
        token = self.admin('token', 'add', terminal).strip()
        home = os.path.join(self.tmp, terminal)
        os.makedirs(os.path.join(home, 'config', 'greenlane'))
        conf = os.path.join(home, 'config', 'greenlane', 'config.ini')
        with open(conf, 'w') as f:
            f.write('[lane]\ncheckpoint = PDS-01\nterminal = %s\n[server]\nurl = %s\ntoken = %s\n'
                    % (terminal, self.url, token))
            if interval is not None:
                f.write('interval = %d\n' % interval)
        os.chmod(conf, 0o600)
        env = dict(os.environ, GREENLANE_HOME=home, XDG_CONFIG_HOME=os.path.join(home, 'config'), LANG='C.UTF-8')

        def run(*args):
            return subprocess.run([self.g] + list(args), env=env, capture_output=True, text=True)
        # run.start(*args): the same, running on (a subprocess.Popen).
        run.start = lambda *args: subprocess.Popen([self.g] + list(args), env=env, stdout=subprocess.DEVNULL,
                                                    stderr=subprocess.DEVNULL)
        return run

    def browser(self, width=1920, height=1080):
        return Browser(width, height)

    def sign_in(self, b, password=PASSWORD):
        b.go(self.url + '/')
        b.until('!document.getElementById("signin-view").hidden')
        b.type('#name', STAFF)
        b.type('#password', password)
        b.click('#signin button[type=submit]')

    def finish(self):
        print('%s: %d passed, %d failed' % (self.name, self.passed, self.failed), flush=True)
        sys.exit(0 if self.failed == 0 else 1)


def need_chromium(name):
    if chromium() is None:
        print('FAIL %s: Chromium is not installed (apt-get install chromium)' % name)
        print('%s: 0 passed, 1 failed' % name)
        sys.exit(1)


def json_of(text):
    try:
        return json.loads(text)
    except ValueError:
        return None
