#!/usr/bin/env python3
"""In a real browser: the daily report (日报告) of the day's transits, per
checkpoint beside the day before, the verdict mix, time at the lane, the
overrides with their reasons; its CSV downloads; printed, the page's
controls are not on the paper.  Without a session it says to sign in.
Screenshots on screen and as printed."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import Centre, need_chromium  # noqa: E402

NAME = '03-report'
need_chromium(NAME)
with Centre(NAME) as c:
    check = c.check
    lane = c.lane('PDS-01-A')
    check(lane('sync', '--once').returncode == 0, "the lane's first sync")
    for plate in ('豫D10002', '豫D10002'):
        check(lane('log', '--officer', '0417', plate).returncode == 0, 'a truck logged: ' + plate)
    p = lane('log', '--officer', '0417', '--decision', 'sample', '--tube', 'TB-R-1', '--reason', '抽检 <i>x</i>',
             '豫D10001')
    check(p.returncode == 0, 'an override logged: %s' % p.stderr)
    check(lane('sync', '--once').returncode == 0, 'they reach the centre')

    with c.browser(1280, 900) as b:
        b.go(c.url + '/centre/report.html')
        check(b.until('document.getElementById("status").textContent === "请先登录指挥中心"'),
              'without a session it says to sign in: %r' % b.text('#status'))
        c.sign_in(b)
        check(b.until('!document.getElementById("report").hidden'), 'the page links to the daily report')
        b.click('#report')
        check(b.until('location.pathname === "/centre/report.html"'), 'the report opens')
        check(b.until('document.querySelector("#totals tbody").textContent.includes("PDS-01")'),
              'the day by checkpoint')
        cells = b.eval('[...document.querySelectorAll("#totals tbody td")].map(td => td.textContent)')
        check(cells[:3] == ['PDS-01', '3', '0'], 'three trucks that day, none the day before: %r' % cells)
        check(b.text('#title').startswith('绿色通道通行日报告 '), 'its title and day: %r' % b.text('#title'))
        check(b.until('document.querySelector("#overrides tbody").textContent.includes("抽检 <i>x</i>")'),
              'the override with its reason, as text')
        check(b.eval('document.querySelector("#overrides i") === null'), 'no element made of the reason')
        # Times in China Standard Time whatever the browser's zone (this one's is UTC).
        b.call('Emulation.setTimezoneOverride', timezoneId='UTC')
        b.eval('load()')
        peak = b.eval('document.querySelector("#totals tbody td:nth-child(5)").textContent')
        at = b.eval('document.querySelector("#overrides tbody td").textContent')
        check(peak[:2] == at[11:13], 'the override at %r within the busiest hour %r: one clock' % (at, peak))
        check('绿色通道' in b.text('#mix tbody'), 'the verdicts in Chinese: %r' % b.text('#mix tbody'))
        href = b.eval('document.getElementById("csv").getAttribute("href")')
        check(href.startswith('/v1/centre/report.csv?day='), 'a CSV of the same day: %r' % href)
        got = b.eval('fetch(%r).then(r => r.status + " " + r.headers.get("Content-Type"))' % href)
        check(got == '200 text/csv; charset=utf-8', 'the CSV downloads: %r' % got)
        b.shot(os.path.join(c.shots, 'report-screen.png'))

        # Printed: the controls are not on the paper.
        b.call('Emulation.setEmulatedMedia', media='print')
        check(b.eval('getComputedStyle(document.querySelector("header")).display') == 'none',
              'the controls are not printed')
        check(b.eval('getComputedStyle(document.getElementById("title")).display') != 'none', 'the title is')
        b.call('Emulation.setDeviceMetricsOverride', width=794, height=1123, deviceScaleFactor=1, mobile=False)
        b.shot(os.path.join(c.shots, 'report-print-a4.png'))
        b.call('Emulation.setEmulatedMedia', media='')

        # The day before: nothing that day.
        b.eval('(() => { const d = document.getElementById("day"); d.value = "2022-05-09";'
               ' d.dispatchEvent(new Event("change")); })()')
        check(b.until('location.search === "?day=2022-05-09" && document.querySelector("#totals tbody").textContent === "无"'),
              'another day, with nothing: %r' % b.text('#totals tbody'))
        unexpected = [e for e in b.errors if 'v1/centre/figures' not in e or '401' not in e]
        check(unexpected == [], 'no console errors but the 401 before signing in: %r' % b.errors)
    c.finish()
