// The command centre's page: sign-in, then what every checkpoint and
// terminal is doing, refreshed every 3 s.  Everything shown that came from
// the centre's data is set as text (textContent), never as markup.
'use strict';

const T = {
  zh: {
    title: '绿色通道 · 指挥中心', signin: '登录', signout: '退出', name: '用户名', password: '密码',
    terminals: '检查站与终端', terminal: '终端', state: '状态', last_contact: '最后联络',
    backlog: '未上传', data_age: '数据时效', policy: '策略版本', records: '记录', gaps: '缺号', breaks: '断链',
    audit: '操作日志', when: '时间', who: '人员', from: '来源', action: '操作', detail: '内容',
    online: '在线', offline: '离线', never: '从未联络', revoked: '已吊销',
    wrong: '用户名或密码错误', locked: '尝试次数过多，请稍后再试', failed: '无法连接中心，请稍后再试',
    updated: '更新于', stale: '与中心的连接中断，数据可能已过时', ago_s: '秒前', ago_m: '分钟前', ago_h: '小时前',
    lang: 'English', signed_in_as: '已登录：',
    signin_action: '登录', 'signin-failed_action': '登录失败', signout_action: '退出',
    actions: '处置', test_result: '核酸结果', tube: '管号', positive: '阳性', negative: '阴性', record: '登记',
    meltdown: '企业熔断', enterprise_id: '企业编号', suspend: '熔断', restore: '恢复企业', restore_button: '恢复',
    pass_revoke: '吊销通行证', pass_no: '通行证编号', revoke: '吊销', risk_set: '设定风险地区', region: '地区',
    level: '等级', high: '高风险', medium: '中风险', set: '设定', intercepts: '在控拦截', target: '对象',
    reason: '原因', since: '起始', until: '截止', risk_areas: '风险地区', clear: '解除', confirm: '确认？',
    done: '已完成：', refused: '未执行：', 'test-result_action': '核酸结果', 'enterprise-suspend_action': '企业熔断',
    'enterprise-restore_action': '恢复企业', 'pass-revoke_action': '吊销通行证', 'intercept-clear_action': '解除拦截',
    'risk-set_action': '设定风险地区', 'risk-clear_action': '解除风险地区', id_no: '身份证', plate: '车牌',
    flow: '通行量（每小时，今日与昨日）', mix: '研判与处置', lane_time: '车道通行耗时（首次扫码至处置）',
    checkpoint: '检查站', hour: '时段', yesterday_p90: '昨日 p90', overrides: '人工改判', verdict: '研判',
    decision: '处置', held: '拦截与转运车辆', why: '依据', today: '今日', yesterday: '昨日', trucks: '辆',
    v_green: '绿色通道', v_pass: '正常通行', v_sample: '即采即走', v_check: '人工核查', v_hold: '拦截劝返',
    d_release: '放行', d_sample: '采样放行', d_hold: '拦截劝返', d_divert: '转运中转站', grown: '耗时增长',
    longer: '超过 30 分钟', none_yet: '暂无', meltdowns: '熔断企业', enterprise: '企业',
    open_tubes: '超时未出结果的样本', open_tubes_h: '采样超过 {h} 小时仍无结果的样本', daily_report: '日报告',
    overdue: '闭环异常：超时未到达', overdue_h: '闭环异常：超过预计到达 {h} 小时未到达',
    off_route: '闭环异常：偏离报备路线', trip: '行程', destination: '目的地', eta: '预计到达', last_seen: '最后出现',
    never_seen: '未在检查站出现',
  },
  en: {
    title: 'Green lane · Command centre', signin: 'Sign in', signout: 'Sign out', name: 'Name', password: 'Password',
    terminals: 'Checkpoints and terminals', terminal: 'Terminal', state: 'State', last_contact: 'Last contact',
    backlog: 'Unsent', data_age: 'Data age', policy: 'Policy', records: 'Records', gaps: 'Gaps', breaks: 'Breaks',
    audit: 'Audit log', when: 'When', who: 'Who', from: 'From', action: 'Action', detail: 'Detail',
    online: 'online', offline: 'offline', never: 'never heard from', revoked: 'revoked',
    wrong: 'Wrong name or password', locked: 'Too many attempts: wait, then try again',
    failed: 'Cannot reach the centre: try again shortly',
    updated: 'Updated', stale: 'The connection to the centre is lost: what is shown may be out of date',
    ago_s: 's ago', ago_m: 'min ago', ago_h: 'h ago', lang: '中文', signed_in_as: 'Signed in: ',
    signin_action: 'signed in', 'signin-failed_action': 'sign-in failed', signout_action: 'signed out',
    actions: 'Actions', test_result: 'Test result', tube: 'Tube', positive: 'positive', negative: 'negative',
    record: 'Record', meltdown: 'Meltdown', enterprise_id: 'Enterprise ID', suspend: 'Suspend',
    restore: 'Restore enterprise', restore_button: 'Restore', pass_revoke: 'Revoke a pass', pass_no: 'Pass number',
    revoke: 'Revoke', risk_set: 'Set a risk area', region: 'Region', level: 'Level', high: 'high', medium: 'medium',
    set: 'Set', intercepts: 'Intercepts in force', target: 'Target', reason: 'Reason', since: 'Since',
    until: 'Until', risk_areas: 'Risk areas', clear: 'Clear', confirm: 'Confirm?', done: 'Done: ',
    refused: 'Not done: ', 'test-result_action': 'test result', 'enterprise-suspend_action': 'meltdown',
    'enterprise-restore_action': 'enterprise restored', 'pass-revoke_action': 'pass revoked',
    'intercept-clear_action': 'intercept cleared', 'risk-set_action': 'risk area set',
    'risk-clear_action': 'risk area cleared', id_no: 'ID', plate: 'plate',
    flow: 'Trucks an hour, today and yesterday', mix: 'Verdicts and decisions',
    lane_time: 'Time at the lane (first scan to decision)', checkpoint: 'Checkpoint', hour: 'Hour',
    yesterday_p90: 'p90 yesterday', overrides: 'Overrides', verdict: 'Verdict', decision: 'Decision',
    held: 'Trucks held or diverted', why: 'Why', today: 'today', yesterday: 'yesterday', trucks: 'trucks',
    v_green: 'Green channel', v_pass: 'Pass', v_sample: 'Sample and go', v_check: 'Manual check', v_hold: 'Hold',
    d_release: 'release', d_sample: 'sample', d_hold: 'hold', d_divert: 'divert', grown: 'growing',
    longer: 'over 30 min', none_yet: 'none yet', meltdowns: 'Enterprises suspended', enterprise: 'Enterprise',
    open_tubes: 'Samples without a result', open_tubes_h: 'Samples with no result {h} h after sampling',
    daily_report: 'Daily report', overdue: 'Closed loop broken: overdue',
    overdue_h: 'Closed loop broken: no arrival {h} h after the eta', off_route: 'Closed loop broken: off the route',
    trip: 'Trip', destination: 'Destination', eta: 'ETA', last_seen: 'Last seen', never_seen: 'not seen at a checkpoint',
  },
};
// Every 3 s; the figures are at most 2 s old: what happens is on the
// screen within 5 s.
const REFRESH_MS = 3000;

let lang = localStorage.getItem('gl-lang') === 'en' ? 'en' : 'zh';
let csrf = null;
let timer = null;
const $ = (id) => document.getElementById(id);
const t = (k) => T[lang][k] ?? k;

function applyLang() {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.title = t('title');
  for (const el of document.querySelectorAll('[data-t]')) el.textContent = t(el.dataset.t);
  for (const el of document.querySelectorAll('[data-ph]')) el.placeholder = t(el.dataset.ph);
  $('lang').textContent = t('lang');
}

function ago(now, then) {
  const s = Math.max(0, now - then);
  if (s < 120) return s + ' ' + t('ago_s');
  if (s < 7200) return Math.floor(s / 60) + ' ' + t('ago_m');
  return Math.floor(s / 3600) + ' ' + t('ago_h');
}

const when = (epoch) => cstTime(epoch, true);

async function api(method, path, body) {
  const opt = { method, headers: {}, credentials: 'same-origin' };
  if (body !== undefined) {
    opt.headers['Content-Type'] = 'application/json';
    opt.body = JSON.stringify(body);
  }
  if (method !== 'GET' && csrf) opt.headers['X-CSRF-Token'] = csrf;
  const res = await fetch(path, opt);
  let data = null;
  try { data = await res.json(); } catch (e) { data = null; }
  return { status: res.status, data };
}

function show(signedIn, name) {
  $('signin-view').hidden = signedIn;
  $('centre-view').hidden = !signedIn;
  $('signout').hidden = !signedIn;
  $('who').hidden = !signedIn;
  $('report').hidden = !signedIn;
  $('who').textContent = signedIn ? t('signed_in_as') + name : '';
  clearInterval(timer);
  timer = null;
  if (signedIn) {
    refresh();
    timer = setInterval(refresh, REFRESH_MS);
  } else {
    csrf = null;
    $('password').value = '';
    $('name').focus();
  }
}

function renderTerminals(d) {
  const body = $('terminals').tBodies[0];
  const rows = d.terminals.map((x) => {
    const state = x.revoked ? t('revoked') : x.seen_at === 0 ? t('never')
      : d.now - x.seen_at <= d.offline_after_s ? t('online') : t('offline');
    const cls = x.revoked || x.seen_at === 0 || d.now - x.seen_at > d.offline_after_s ? 'off' : 'on';
    return row([
      x.terminal, state, x.seen_at ? ago(d.now, x.seen_at) : '—',
      x.backlog === null ? '—' : String(x.backlog),
      x.data_as_of === null ? '—' : ago(d.now, x.data_as_of),
      x.policy === null ? '—' : x.policy,
      String(x.events), String(x.gaps + x.missing), String(x.breaks),
    ], cls);
  });
  body.replaceChildren(...rows);
}

// A button that does something only when pressed twice: the first press
// asks to confirm, for 5 s.  Which buttons are waiting for their second
// press is kept by key, so a refresh that draws the list again keeps it.
const CONFIRM_MS = 5000;
const waiting = new Map();	// key -> until when (ms)
function armed(key, label, run) {
  const button = document.createElement('button');
  const set = (on) => {
    if (on) button.dataset.armed = '1'; else delete button.dataset.armed;
    button.textContent = on ? t('confirm') : label;
  };
  set((waiting.get(key) ?? 0) > Date.now());
  button.addEventListener('click', () => {
    if ((waiting.get(key) ?? 0) > Date.now()) {
      waiting.delete(key);
      set(false);
      run();
      return;
    }
    waiting.set(key, Date.now() + CONFIRM_MS);
    set(true);
    setTimeout(() => { if (button.isConnected && !((waiting.get(key) ?? 0) > Date.now())) set(false); }, CONFIRM_MS);
  });
  return button;
}

function cellRow(cells, button) {
  const tr = row(cells);
  const td = document.createElement('td');
  if (button) td.appendChild(button);
  tr.appendChild(td);
  return tr;
}

// An RFC 3339 time as the page shows times: to the minute, in its own zone.
const minute = (s) => (s ? s.slice(0, 16).replace('T', ' ') : '—');

function renderInForce(d) {
  $('intercepts').tBodies[0].replaceChildren(...d.intercept.map((x) => cellRow(
    [t(x.target) + ' ' + x.value, x.reason, minute(x.since)],
    armed('intercept ' + x.id, t('clear'), () => action('intercept-clear', { id: x.id })))));
  $('meltdowns').tBodies[0].replaceChildren(...d.meltdowns.map((x) => cellRow(
    [x.id, x.name, x.region ?? ''],
    armed('meltdown ' + x.id, t('restore_button'), () => action('enterprise-restore', { id: x.id })))));
  $('open-tubes-title').textContent = t('open_tubes_h').replace('{h}', d.open_tube_hours);
  $('open-tubes').tBodies[0].replaceChildren(...d.open_tubes.map((x) =>
    row([x.tube, when(x.at), x.checkpoint, x.plate])));
  $('risk-areas').tBodies[0].replaceChildren(...d.risk_area.map((x) => cellRow(
    [x.region, t(x.level), minute(x.since), minute(x.until)],
    armed('risk ' + x.region, t('clear'), () => action('risk-clear', { region: x.region })))));
}

async function action(name, args) {
  const out = $('action-result');
  try {
    const r = await api('POST', '/v1/centre/actions/' + name, args);
    if (r.status === 401) return show(false);
    if (r.status === 200) {
      out.textContent = t('done') + t(name + '_action') + ' ' + r.data.detail;
      out.className = 'result ok';
    } else {
      out.textContent = t('refused') + (r.data ? (lang === 'zh' ? r.data.message_zh ?? r.data.message : r.data.message) : r.status);
      out.className = 'result bad';
    }
  } catch (e) {
    out.textContent = t('refused') + t('failed');
    out.className = 'result bad';
  }
  refresh();
}

const SVG = 'http://www.w3.org/2000/svg';
function svg(name, attrs, parent) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (parent) parent.appendChild(e);
  return e;
}

// One small chart a checkpoint: today's trucks an hour as bars, yesterday's
// as a line over them.
function hourChart(h, now, day0) {
  const W = 480, H = 130, top = 22, bottom = 18, left = 30;
  const max = Math.max(1, ...h.today, ...h.yesterday);
  const bw = (W - left) / 24;
  const y = (v) => top + (H - top - bottom) * (1 - v / max);
  const s = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img' });
  const sum = (a) => a.reduce((x, v) => x + v, 0);
  svg('title', {}, s).textContent = `${h.checkpoint}: ${t('today')} ${sum(h.today)}, ${t('yesterday')} ${sum(h.yesterday)}`;
  const label = svg('text', { x: left, y: 12, class: 'label' }, s);
  label.textContent = `${h.checkpoint} · ${t('today')} ${sum(h.today)} ${t('trucks')} · ${t('yesterday')} ${sum(h.yesterday)}`;
  svg('text', { x: 0, y: y(max) + 4, class: 'axis' }, s).textContent = String(max);
  svg('line', { x1: left, x2: W, y1: H - bottom, y2: H - bottom, class: 'base' }, s);
  const nowHour = Math.floor((now - day0) / 3600);
  h.today.forEach((v, i) => {
    if (i > nowHour) return;
    const r = svg('rect', { x: left + i * bw + 1, y: y(v), width: bw - 2, height: H - bottom - y(v), class: 'today' }, s);
    svg('title', {}, r).textContent = `${i}:00 ${t('today')} ${v}, ${t('yesterday')} ${h.yesterday[i]}`;
  });
  svg('polyline', { points: h.yesterday.map((v, i) => `${left + i * bw + bw / 2},${y(v)}`).join(' '), class: 'yesterday' }, s);
  for (const i of [0, 6, 12, 18]) svg('text', { x: left + i * bw, y: H - 2, class: 'axis' }, s).textContent = `${i}:00`;
  return s;
}

const VERDICTS = ['green', 'pass', 'sample', 'check', 'hold'];
function renderMix(mix) {
  const total = mix.reduce((x, m) => x + m.n, 0);
  const box = $('mix');
  if (total === 0) { box.textContent = t('none_yet'); return; }
  const W = 480, H = 26;
  const s = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart mixbar', role: 'img' });
  let x = 0;
  const rows = [];
  for (const v of VERDICTS) {
    const n = mix.filter((m) => m.verdict === v).reduce((a, m) => a + m.n, 0);
    if (n === 0) continue;
    const w = W * n / total;
    svg('title', {}, svg('rect', { x, y: 0, width: w, height: H, class: 'v-' + v }, s)).textContent = `${t('v_' + v)} ${n}`;
    x += w;
  }
  for (const m of mix) rows.push(row([t('v_' + m.verdict), t('d_' + m.decision), String(m.n)]));
  const table = document.createElement('table');
  const body = document.createElement('tbody');
  body.replaceChildren(...rows);
  table.appendChild(body);
  box.replaceChildren(s, table);
}

const secs = (v) => upTo(v, t('longer'));
function renderFigures(f, now) {
  $('hours').replaceChildren(...f.hours.map((h) => hourChart(h, now, f.day0)));
  renderMix(f.mix);
  $('lane-time').tBodies[0].replaceChildren(...f.lane_time.slice().reverse().slice(0, 48).map((x) =>
    row([x.checkpoint, `${x.hour}:00`, secs(x.p50), secs(x.p90) + (x.grown ? ' ▲ ' + t('grown') : ''),
      secs(x.p90_yesterday)], x.grown ? 'grown' : '')));
  $('overrides').tBodies[0].replaceChildren(...f.overrides.map((x) =>
    row([when(x.at), x.checkpoint, x.plate, t('v_' + x.verdict), t('d_' + x.decision), x.reason])));
  $('held').tBodies[0].replaceChildren(...f.held.map((x) =>
    row([when(x.at), x.checkpoint, x.plate, t('d_' + x.decision), x.why.join(' ')])));
  $('overdue-title').textContent = t('overdue_h').replace('{h}', f.overdue_margin_s / 3600);
  $('overdue').tBodies[0].replaceChildren(...f.overdue.map((x) =>
    row([x.trip, x.plate, `${x.destination?.region ?? ''} ${x.destination?.reception_point ?? ''}`, when(x.eta),
      x.seen_at === null ? t('never_seen') : `${x.seen_checkpoint} ${when(x.seen_at)}`])));
  $('off-route').tBodies[0].replaceChildren(...f.off_route.map((x) =>
    row([when(x.at), x.checkpoint, x.plate, x.terminal])));
}

function renderAudit(list) {
  $('audit').tBodies[0].replaceChildren(...list.map((e) =>
    row([when(e.at), e.name, e.addr, t(e.action + '_action'), e.detail])));
}

async function refresh() {
  try {
    const [tm, au, inf, fig] = await Promise.all([api('GET', '/v1/centre/terminals'), api('GET', '/v1/centre/audit'),
      api('GET', '/v1/centre/in-force'), api('GET', '/v1/centre/figures')]);
    const all = [tm, au, inf, fig];
    if (all.some((x) => x.status === 401)) return show(false);
    if (all.some((x) => x.status !== 200)) throw new Error('status');
    renderTerminals(tm.data);
    renderAudit(au.data);
    renderInForce(inf.data);
    renderFigures(fig.data, tm.data.now);
    $('status').textContent = t('updated') + ' ' + when(tm.data.now);
    $('status').className = 'status';
  } catch (e) {
    $('status').textContent = t('stale');
    $('status').className = 'status stale';
  }
}

async function signIn(ev) {
  ev.preventDefault();
  $('signin-error').textContent = '';
  try {
    const r = await api('POST', '/v1/centre/session', { name: $('name').value, password: $('password').value });
    if (r.status === 200) {
      csrf = r.data.csrf;
      return show(true, r.data.name);
    }
    $('signin-error').textContent = r.status === 401 ? t('wrong') : r.status === 429 ? t('locked') : t('failed');
  } catch (e) {
    $('signin-error').textContent = t('failed');
  }
  $('password').value = '';
}

async function signOut() {
  try { await api('DELETE', '/v1/centre/session'); } catch (e) { /* signed out here either way */ }
  show(false);
}

async function start() {
  applyLang();
  $('signin').addEventListener('submit', signIn);
  $('signout').addEventListener('click', signOut);
  for (const form of document.querySelectorAll('form.action')) {
    const button = form.querySelector('button');
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      if (!button.dataset.armed) {
        button.dataset.armed = '1';
        button.textContent = t('confirm');
        setTimeout(() => { delete button.dataset.armed; button.textContent = t(button.dataset.t); }, 5000);
        return;
      }
      delete button.dataset.armed;
      button.textContent = t(button.dataset.t);
      const args = Object.fromEntries(new FormData(form).entries());
      action(form.dataset.action, args);
    });
  }
  $('lang').addEventListener('click', () => {
    lang = lang === 'zh' ? 'en' : 'zh';
    localStorage.setItem('gl-lang', lang);
    applyLang();
    if (csrf) refresh();
  });
  try {
    const me = await api('GET', '/v1/centre/me');
    if (me.status === 200 && me.data.name) {
      csrf = me.data.csrf;
      return show(true, me.data.name);
    }
  } catch (e) { /* not reachable: the sign-in form says so when used */ }
  show(false);
}

document.addEventListener('DOMContentLoaded', start);
