#!/usr/bin/env python3
"""In a real browser: a member of staff signs in (a wrong password is
refused in words), sees a lane's terminal online once it syncs, with what
it has left to send, the age of its data and its policy; sees it turn
offline once it falls silent; switches to English and back; signs out.
Without a session the page's JSON refuses.  No console errors; screenshots
at 1920x1080 and 1366x768."""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import Centre, json_of, need_chromium  # noqa: E402

NAME = '01-terminals'
need_chromium(NAME)
# A terminal silent 4 s is offline here (120 s in service), so that a lane's
# sync can really stop and the page be seen to notice.
with Centre(NAME, ['--offline-after', '4']) as c:
    check = c.check
    lane = c.lane('PDS-01-A', interval=2)   # it waits on the feed 2 s at a time
    check(c.get('/v1/centre/terminals')[0] == 401, 'the terminals without a session: 401')
    check(c.get('/v1/centre/audit')[0] == 401, 'the audit log without a session: 401')

    with c.browser(1920, 1080) as b:
        b.go(c.url + '/')
        check(b.until('!document.getElementById("signin-view").hidden'), 'the sign-in form first')
        check(b.text('h1') == '绿色通道 · 指挥中心', 'in Chinese by default: %r' % b.text('h1'))
        c.sign_in(b, 'not the password')
        check(b.until('document.getElementById("signin-error").textContent === "用户名或密码错误"'),
              'a wrong password is refused in words: %r' % b.text('#signin-error'))
        check(b.eval('document.getElementById("centre-view").hidden'), 'and shows nothing of the centre')
        c.sign_in(b)
        check(b.until('!document.getElementById("centre-view").hidden'), 'signed in, the centre is shown')
        check(b.text('#who') == '已登录：alice', 'who is signed in: %r' % b.text('#who'))
        check(b.until('document.querySelector("#terminals tbody tr") !== null'), 'the terminals listed')
        check(b.text('#terminals tbody tr td:nth-child(2)') == '从未联络', 'a terminal never heard from says so: %r'
              % b.text('#terminals tbody tr td:nth-child(2)'))

        # The lane syncs, waiting on the feed as it does in service: online,
        # with its backlog, data age and policy.
        check(lane('sync', '--once').returncode == 0, "the lane's first sync")
        check(lane('log', '--officer', '0417', '豫D10001').returncode == 0, 'a truck logged')
        check(lane('sync', '--once').returncode == 0, "the lane's sync")
        sync = lane.start('sync')
        online = 'document.querySelector("#terminals tbody tr td:nth-child(2)").textContent === "在线"'
        check(b.until(online, 8), 'the terminal turns online within a refresh: %r'
              % b.text('#terminals tbody tr td:nth-child(2)'))
        cells = b.eval('[...document.querySelectorAll("#terminals tbody tr td")].map(td => td.textContent)')
        check(cells[0] == 'PDS-01-A', 'its name: %r' % cells)
        check(cells[3] == '0', 'nothing left to send: %r' % cells[3])
        check(cells[4].endswith('秒前'), 'its data seconds old: %r' % cells[4])
        check(cells[5] == '2022.5.2', 'its policy: %r' % cells[5])
        check(cells[6] == '1', 'one record held: %r' % cells[6])
        b.shot(os.path.join(c.shots, 'terminals-1920x1080.png'))

        time.sleep(6)
        check(b.eval(online), 'still online while its sync waits on the feed: %r'
              % b.text('#terminals tbody tr td:nth-child(2)'))
        # Its sync stopped: offline.
        sync.terminate()
        sync.wait()
        check(b.until('document.querySelector("#terminals tbody tr td:nth-child(2)").textContent === "离线"', 15),
              'the terminal turns offline: %r' % b.text('#terminals tbody tr td:nth-child(2)'))
        check(b.eval('document.querySelector("#terminals tbody tr").className') == 'off', 'marked as such')

        b.click('#lang')
        check(b.until('document.querySelector("h1").textContent === "Green lane · Command centre"'), 'English')
        check(b.until('document.querySelector("#terminals tbody tr td:nth-child(2)").textContent === "offline"'),
              'the states in English too')
        b.click('#lang')
        check(b.until('document.querySelector("h1").textContent === "绿色通道 · 指挥中心"'), 'and back to Chinese')

        # The audit log shows the sign-ins, the failed one too.
        check(b.until('document.querySelector("#audit tbody").textContent.includes("登录失败")'),
              'the audit log shows the failed sign-in')
        b.click('#signout')
        check(b.until('!document.getElementById("signin-view").hidden'), 'signed out: the sign-in form again')
        check(b.eval('fetch("/v1/centre/me").then(r => r.json()).then(j => j.name)') is None,
              'and the session is over')
        # The one failed request is the wrong password's own 401.
        check(len(b.errors) == 1 and 'v1/centre/session' in b.errors[0] and '401' in b.errors[0],
              'no console errors but the wrong password\'s 401: %r' % b.errors)

    with c.browser(1366, 768) as b:
        c.sign_in(b)
        check(b.until('document.querySelector("#terminals tbody tr") !== null'), 'on a 1366x768 laptop')
        check(b.eval('document.documentElement.scrollWidth <= 1366'), 'no sideways scrolling at 1366 px')
        b.shot(os.path.join(c.shots, 'terminals-1366x768.png'))
        check(b.errors == [], 'no console errors: %r' % b.errors)
    c.finish()
