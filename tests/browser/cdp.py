"""A headless Chromium (Debian's) driven over the DevTools protocol, with
the standard library only: a WebSocket client of our own (RFC 6455, text
frames, client side) and the few protocol methods the page's tests use.

    with Browser(width, height) as b:
        b.go(url); b.eval("document.title"); b.shot(path)
Every console error and uncaught exception the page raises is kept in
b.errors, so a test can say there were none."""
import base64
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import tempfile
import time
import urllib.request


def chromium():
    for name in ('chromium', 'chromium-browser', 'google-chrome'):
        path = shutil.which(name)
        if path:
            return path
    return None


class Socket:
    """One WebSocket connection: send and receive text messages."""

    def __init__(self, url):
        m = re.match(r'ws://([^/:]+):(\d+)(/.*)', url)
        self.s = socket.create_connection((m.group(1), int(m.group(2))), timeout=30)
        key = base64.b64encode(os.urandom(16)).decode()
        self.s.sendall(('GET %s HTTP/1.1\r\nHost: %s:%s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n'
                        'Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n'
                        % (m.group(3), m.group(1), m.group(2), key)).encode())
        head = b''
        while b'\r\n\r\n' not in head:
            chunk = self.s.recv(1)
            if not chunk:
                raise ConnectionError('the browser closed the connection')
            head += chunk
        if b' 101 ' not in head.split(b'\r\n')[0]:
            raise ConnectionError('no WebSocket: ' + head.decode(errors='replace'))

    def send(self, text):
        data = text.encode()
        mask = os.urandom(4)
        n = len(data)
        head = bytes([0x81]) + (bytes([0x80 | n]) if n < 126 else
                                bytes([0x80 | 126]) + struct.pack('>H', n) if n < 65536 else
                                bytes([0x80 | 127]) + struct.pack('>Q', n))
        self.s.sendall(head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def _exact(self, n):
        out = b''
        while len(out) < n:
            chunk = self.s.recv(n - len(out))
            if not chunk:
                raise ConnectionError('the browser closed the connection')
            out += chunk
        return out

    def recv(self):
        message = b''
        while True:
            b0, b1 = self._exact(2)
            n = b1 & 0x7f
            if n == 126:
                n = struct.unpack('>H', self._exact(2))[0]
            elif n == 127:
                n = struct.unpack('>Q', self._exact(8))[0]
            payload = self._exact(n)
            op = b0 & 0x0f
            if op == 0x8:
                raise ConnectionError('the browser closed the connection')
            if op in (0x9, 0xa):    # ping, pong: not ours to answer here
                continue
            message += payload
            if b0 & 0x80:
                return message.decode()

    def close(self):
        self.s.close()


class Browser:
    def __init__(self, width=1920, height=1080):
        self.width, self.height = width, height
        self.errors = []
        self.next_id = 0

    def __enter__(self):
        self.profile = tempfile.mkdtemp(prefix='greenlane-chromium.')
        args = [chromium(), '--headless=new', '--disable-gpu', '--no-first-run', '--no-default-browser-check',
                '--disable-extensions', '--disable-background-networking', '--disable-sync',
                '--remote-debugging-port=0', '--user-data-dir=' + self.profile,
                '--window-size=%d,%d' % (self.width, self.height), 'about:blank']
        if os.geteuid() == 0:
            args.insert(1, '--no-sandbox')     # Chromium's sandbox refuses root
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        url = None
        deadline = time.time() + 30
        while url is None and time.time() < deadline:
            line = self.proc.stderr.readline()
            if not line and self.proc.poll() is not None:
                break
            m = re.search(r'DevTools listening on (ws://\S+)', line)
            if m:
                url = m.group(1)
        if url is None:
            self.__exit__(None, None, None)
            raise RuntimeError('Chromium did not start')
        port = re.match(r'ws://[^:]+:(\d+)/', url).group(1)
        # The page Chromium opened with, by the list of targets.
        with urllib.request.urlopen('http://127.0.0.1:%s/json/list' % port, timeout=10) as r:
            targets = json.loads(r.read())
        page = [t for t in targets if t.get('type') == 'page'][0]
        self.ws = Socket(page['webSocketDebuggerUrl'])
        for method in ('Page.enable', 'Runtime.enable', 'Log.enable'):
            self.call(method)
        self.call('Emulation.setDeviceMetricsOverride', width=self.width, height=self.height,
                  deviceScaleFactor=1, mobile=False)
        return self

    def __exit__(self, *exc):
        try:
            if getattr(self, 'ws', None):
                self.ws.close()
        finally:
            if self.proc.poll() is None:
                self.proc.terminate()
                try:
                    self.proc.wait(10)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait()
            shutil.rmtree(self.profile, ignore_errors=True)

    def _event(self, m):
        method, p = m.get('method'), m.get('params', {})
        if method == 'Runtime.exceptionThrown':
            d = p.get('exceptionDetails', {})
            self.errors.append('exception: ' + d.get('exception', {}).get('description', d.get('text', '?')))
        elif method == 'Runtime.consoleAPICalled' and p.get('type') in ('error', 'assert'):
            self.errors.append('console: ' + ' '.join(str(a.get('value', a.get('description', ''))) for a in p.get('args', [])))
        elif method == 'Log.entryAdded' and p.get('entry', {}).get('level') == 'error':
            e = p['entry']
            self.errors.append('log: %s %s' % (e.get('text', ''), e.get('url', '')))

    def call(self, method, **params):
        self.next_id += 1
        me = self.next_id
        self.ws.send(json.dumps({'id': me, 'method': method, 'params': params}))
        while True:
            m = json.loads(self.ws.recv())
            if m.get('id') == me:
                if 'error' in m:
                    raise RuntimeError('%s: %s' % (method, m['error']))
                return m.get('result', {})
            self._event(m)

    def eval(self, expr):
        """The value of a JavaScript expression (a promise is awaited)."""
        r = self.call('Runtime.evaluate', expression=expr, awaitPromise=True, returnByValue=True)
        if 'exceptionDetails' in r:
            raise RuntimeError('%s: %s' % (expr, r['exceptionDetails'].get('exception', {}).get('description')))
        return r.get('result', {}).get('value')

    def go(self, url):
        self.call('Page.navigate', url=url)
        self.until('document.readyState === "complete"')

    def until(self, expr, timeout=10):
        """Waits for a JavaScript expression to be true: True, or False after timeout."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                if self.eval(expr):
                    return True
            except RuntimeError:
                pass
            time.sleep(0.1)
        return False

    def type(self, selector, text):
        self.eval('(() => { const e = document.querySelector(%s); e.focus(); e.value = %s; })()'
                  % (json.dumps(selector), json.dumps(text)))

    def click(self, selector):
        self.eval('document.querySelector(%s).click()' % json.dumps(selector))

    def text(self, selector):
        return self.eval('(document.querySelector(%s) || {}).textContent' % json.dumps(selector))

    def shot(self, path):
        data = self.call('Page.captureScreenshot', format='png')['data']
        with open(path, 'wb') as f:
            f.write(base64.b64decode(data))
