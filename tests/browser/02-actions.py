#!/usr/bin/env python3
"""In a real browser: a member of staff records a positive result for a
tube a lane sampled, and the lane's next check of that truck says
INTERCEPT; the intercepts are listed and one is cleared; a risk area is set
and cleared; a refused action says why in the page's language.  Each action
asks for a second press, goes to the audit log with who did it, and is on
the change feed at once.  Names and reasons imported with markup in them
show as text and run nothing.  A request with a forged CSRF token is
refused.  No console errors."""
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import Centre, need_chromium  # noqa: E402

NAME = '02-actions'
TUBE = 'TB-00001'
need_chromium(NAME)
with Centre(NAME) as c:
    check = c.check
    lane = c.lane('PDS-01-A')
    check(lane('sync', '--once').returncode == 0, "the lane's first sync")
    p = lane('log', '--officer', '0417', '--decision', 'sample', '--tube', TUBE, '--reason', 'spot check',
             '豫D10001')
    check(p.returncode == 0, 'the lane samples 豫D10001: %s' % p.stderr)
    check(lane('sync', '--once').returncode == 0, 'the sample reaches the centre')
    check(lane('verify', '豫D10001').returncode == 0, 'before the result the truck is green')
    # An intercept whose reason carries markup, as a careless import might.
    hostile = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>'
    rec = {'kind': 'intercept', 'op': 'put', 'key': 'X-1',
           'data': {'id': 'X-1', 'target': 'plate', 'value': '豫D10099', 'reason': hostile,
                    'since': '2022-05-10T08:00:00+08:00', 'cleared': False}}
    # A trip three hours past its eta, its truck never seen at a checkpoint.
    cst = lambda s: time.strftime('%Y-%m-%dT%H:%M:%S+08:00', time.gmtime(time.time() + 8 * 3600 - s))
    late = {'kind': 'trip', 'op': 'put', 'key': 'T-LATE-1',
            'data': {'id': 'T-LATE-1', 'plate': '豫D18888', 'crew': [], 'origin': {'region': '410102', 'place': '郑州'},
                     'destination': {'region': '410402', 'enterprise_id': 'E000001', 'reception_point': '2号卸货区'},
                     'via': [], 'route': ['PDS-01'], 'depart_at': cst(6 * 3600), 'eta': cst(3 * 3600),
                     'status': 'en_route', 'registered': True}}
    path = os.path.join(c.tmp, 'hostile.ndjson')
    with open(path, 'w') as f:
        f.write(json.dumps(rec, ensure_ascii=False) + '\n')
        f.write(json.dumps(late, ensure_ascii=False) + '\n')
        # An enterprise whose name is markup, suspended: on the page's list of meltdowns.
        f.write(json.dumps({'kind': 'enterprise', 'op': 'put', 'key': 'E900001',
                            'data': {'id': 'E900001', 'name': '<script>window.pwned=3</script>物流',
                                     'sector': 'transport', 'region': '410402', 'whitelisted': True,
                                     'status': 'suspended'}}, ensure_ascii=False) + '\n')
    c.admin('import', path)

    with c.browser(1920, 1080) as b:
        c.sign_in(b)
        check(b.until('!document.getElementById("centre-view").hidden'), 'signed in')
        check(b.until('document.querySelector("#intercepts tbody").textContent.includes("豫D10099")'),
              'the intercepts in force are listed')
        check(hostile in b.text('#intercepts tbody'), 'a reason with markup shows as text')
        # Today's figures: the lane's sample is an override, with its reason.
        check(b.until('document.querySelector("#hours svg") !== null'), "today's trucks an hour drawn")
        check('PDS-01' in b.eval('document.querySelector("#hours svg title").textContent'), 'for the checkpoint')
        check(b.until('document.querySelector("#overrides tbody").textContent.includes("spot check")'),
              'the override and its reason listed')
        check(b.until('document.querySelector("#lane-time tbody tr") !== null'), 'time at the lane listed')
        check(b.until('[...document.querySelectorAll("#overdue tbody tr")].some(tr =>'
                      ' tr.textContent.includes("T-LATE-1") && tr.textContent.includes("未在检查站出现"))'),
              'a truck past its eta, never seen, is a closed-loop break')
        check(b.eval('window.pwned === undefined'), 'and runs nothing')
        check(b.eval('document.querySelector("#intercepts img") === null'), 'no element made of it')
        check(b.until('document.querySelector("#meltdowns tbody").textContent.includes('
                      '"<script>window.pwned=3</script>物流")'), "an enterprise's name with markup shows as text")
        check(b.eval('window.pwned === undefined && document.querySelector("#meltdowns script") === null'),
              'and runs nothing')

        # The tube's result: the first press asks, the second does it.
        form = 'form[data-action="test-result"]'
        b.type(form + ' input[name=tube]', TUBE)
        b.eval('document.querySelector(%s).value = "positive"' % json.dumps(form + ' select'))
        b.click(form + ' button')
        check(b.text(form + ' button') == '确认？', 'the first press asks to confirm: %r' % b.text(form + ' button'))
        check(lane('verify', '豫D10001').returncode == 0, 'nothing done yet')
        b.click(form + ' button')
        check(b.until('document.getElementById("action-result").textContent.startsWith("已完成")'),
              'done: %r' % b.text('#action-result'))
        check('2 intercept' in b.text('#action-result'), 'the crew member and the truck: %r' % b.text('#action-result'))
        check(b.until('document.querySelector("#intercepts tbody").textContent.includes("豫D10001")'),
              'the truck is among the intercepts')

        # The lane's next check of that truck.
        check(lane('sync', '--once').returncode == 0, "the lane's next sync")
        v = lane('verify', '豫D10001')
        check(v.returncode == 4 and 'INTERCEPT' in v.stdout, "the lane's check says INTERCEPT: %d %s"
              % (v.returncode, v.stdout[:200]))

        # Cleared from the page: the truck's intercept leaves the list.
        clear = ('[...document.querySelectorAll("#intercepts tbody tr")].find(tr => tr.textContent.includes("豫D10001"))'
                 '.querySelector("button")')
        b.eval(clear + '.click()')
        b.eval(clear + '.click()')
        check(b.until('!document.querySelector("#intercepts tbody").textContent.includes("车牌 豫D10001")'),
              'the cleared intercept leaves the list')
        check(lane('sync', '--once').returncode == 0, 'the lane syncs again')
        v = lane('verify', '--json', '豫D10001')
        check('"code":\t"INTERCEPT"' not in v.stdout or 'plate' not in v.stdout.split('INTERCEPT')[1][:200],
              "the truck's own intercept is gone at the lane")

        # A risk area set and cleared; a refused one says why, in Chinese.
        form = 'form[data-action="risk-set"]'
        b.type(form + ' input[name=region]', '410302')
        b.click(form + ' button')
        b.click(form + ' button')
        check(b.until('document.querySelector("#risk-areas tbody").textContent.includes("410302")'),
              'the risk area is listed')
        # Cleared, with the list drawn again between the two presses (as
        # the page's refresh every 3 s may): the second press still counts.
        clear = ('[...document.querySelectorAll("#risk-areas tbody tr")].find(tr => tr.textContent.includes("410302"))'
                 '.querySelector("button")')
        b.eval(clear + '.click()')
        b.eval('refresh()')
        check(b.eval(clear + '.textContent') == '确认？', 'a refresh keeps the button waiting for its second press')
        b.eval(clear + '.click()')
        check(b.until('!document.querySelector("#risk-areas tbody").textContent.includes("410302")'),
              'the risk area is cleared')
        b.type(form + ' input[name=region]', '郑州')
        b.click(form + ' button')
        b.click(form + ' button')
        check(b.until('document.getElementById("action-result").textContent.startsWith("未执行")'),
              'a region that is not a code is refused: %r' % b.text('#action-result'))
        form = 'form[data-action="pass-revoke"]'
        b.type(form + ' input[name=pass_no]', '410402999999')
        b.click(form + ' button')
        b.click(form + ' button')
        check(b.until('document.getElementById("action-result").textContent.includes("没有 pass 410402999999")'),
              'a pass that does not exist: said in Chinese: %r' % b.text('#action-result'))

        # The audit log: who did what.
        check(b.until('document.querySelector("#audit tbody").textContent.includes("' + TUBE + ' positive")'),
              'the test result is in the audit log')
        rows = b.eval('[...document.querySelectorAll("#audit tbody tr")].map(tr => tr.textContent)')
        check(any('核酸结果' in r and 'alice' in r for r in rows), 'with who recorded it')
        check(any('解除拦截' in r for r in rows), 'the intercept cleared too')

        # A forged CSRF token from the page's own origin.
        status = b.eval('fetch("/v1/centre/actions/risk-clear", {method: "POST", headers: {"X-CSRF-Token": "0".repeat(64),'
                        ' "Content-Type": "application/json"}, body: JSON.stringify({region: "420102"})}).then(r => r.status)')
        check(status == 403, 'a forged CSRF token is refused: %r' % status)
        b.eval('refresh()')
        check(b.until('document.querySelector("#risk-areas tbody").textContent.includes("420102")'),
              'and the risk area stays')
        b.shot(os.path.join(c.shots, 'actions-1920x1080.png'))
        # The failed requests are the ones asked for: the refused actions and the forged token.
        unexpected = [e for e in b.errors if not ('actions/' in e and ('422' in e or '404' in e or '403' in e))]
        check(unexpected == [], 'no other console errors: %r' % unexpected)
    c.finish()
