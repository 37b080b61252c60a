// The daily report (日报告): the figures of one day, to read, print or
// download as CSV.  Everything from the centre's data is set as text.
'use strict';

const T = {
  zh: {
    title: '绿色通道 · 日报告', back: '← 指挥中心', day: '日期', csv: '下载 CSV', print: '打印', lang: 'English',
    report: '绿色通道通行日报告', made: '生成于', by_checkpoint: '各检查站通行量', checkpoint: '检查站',
    today: '当日', yesterday: '前一日', change: '变化', busiest: '高峰时段', mix: '研判与处置', verdict: '研判',
    decision: '处置', count: '数量', lane_time: '车道通行耗时（首次扫码至处置）', hour: '时段',
    yesterday_p90: '前一日 p90', overrides: '人工改判', when: '时间', plate: '车牌', reason: '原因',
    held: '拦截与转运车辆', why: '依据', signin: '请先登录指挥中心', failed: '无法读取报告，请稍后再试',
    v_green: '绿色通道', v_pass: '正常通行', v_sample: '即采即走', v_check: '人工核查', v_hold: '拦截劝返',
    d_release: '放行', d_sample: '采样放行', d_hold: '拦截劝返', d_divert: '转运中转站', longer: '超过 30 分钟',
    grown: '耗时增长', none: '无', overdue: '闭环异常：超时未到达', off_route: '闭环异常：偏离报备路线', trip: '行程',
    destination: '目的地', eta: '预计到达', last_seen: '最后出现', never_seen: '未在检查站出现', terminal: '终端',
  },
  en: {
    title: 'Green lane · Daily report', back: '← Command centre', day: 'Day', csv: 'Download CSV', print: 'Print',
    lang: '中文', report: 'Green lane daily report', made: 'Made', by_checkpoint: 'Trucks by checkpoint',
    checkpoint: 'Checkpoint', today: 'The day', yesterday: 'The day before', change: 'Change', busiest: 'Busiest hour',
    mix: 'Verdicts and decisions', verdict: 'Verdict', decision: 'Decision', count: 'Count',
    lane_time: 'Time at the lane (first scan to decision)', hour: 'Hour', yesterday_p90: 'p90 the day before',
    overrides: 'Overrides', when: 'When', plate: 'Plate', reason: 'Reason', held: 'Trucks held or diverted',
    why: 'Why', signin: 'Sign in to the command centre first', failed: 'The report cannot be read: try again shortly',
    v_green: 'Green channel', v_pass: 'Pass', v_sample: 'Sample and go', v_check: 'Manual check', v_hold: 'Hold',
    d_release: 'release', d_sample: 'sample', d_hold: 'hold', d_divert: 'divert', longer: 'over 30 min',
    grown: 'growing', none: 'none', overdue: 'Closed loop broken: overdue', off_route: 'Closed loop broken: off the route',
    trip: 'Trip', destination: 'Destination', eta: 'ETA', last_seen: 'Last seen', never_seen: 'not seen at a checkpoint',
    terminal: 'Terminal',
  },
};

let lang = localStorage.getItem('gl-lang') === 'en' ? 'en' : 'zh';
const $ = (id) => document.getElementById(id);
const t = (k) => T[lang][k] ?? k;

const when = (epoch) => cstTime(epoch, false);

function fill(id, rows) {
  if (rows.length === 0) {
    const none = row([t('none')]);
    none.firstChild.colSpan = $(id).tHead.rows[0].cells.length;
    rows = [none];
  }
  $(id).tBodies[0].replaceChildren(...rows);
}

const secs = (v) => upTo(v, t('longer'));
const sum = (a) => a.reduce((x, v) => x + v, 0);

function today() {
  // The day in China Standard Time, as the centre counts days.
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

async function load() {
  const day = $('day').value || today();
  history.replaceState(null, '', '?day=' + day);
  $('csv').href = '/v1/centre/report.csv?day=' + day;
  $('title').textContent = `${t('report')} ${day}`;
  try {
    const res = await fetch('/v1/centre/figures?day=' + day, { credentials: 'same-origin' });
    if (res.status === 401) {
      $('status').textContent = t('signin');
      return;
    }
    if (res.status !== 200) throw new Error('status');
    const f = await res.json();
    $('status').textContent = '';
    $('made').textContent = `${t('made')} ${when(f.made_at)}`;
    fill('totals', f.hours.map((h) => {
      const a = sum(h.today), b = sum(h.yesterday);
      const peak = h.today.indexOf(Math.max(...h.today));
      return row([h.checkpoint, String(a), String(b), b ? `${a >= b ? '+' : ''}${Math.round((a - b) * 100 / b)}%` : '—',
        a ? `${peak}:00–${peak + 1}:00` : '—']);
    }));
    fill('mix', f.mix.map((m) => row([t('v_' + m.verdict), t('d_' + m.decision), String(m.n)])));
    fill('lane-time', f.lane_time.map((x) => row([x.checkpoint, `${x.hour}:00`, secs(x.p50),
      secs(x.p90) + (x.grown ? ' ▲ ' + t('grown') : ''), secs(x.p90_yesterday)], x.grown ? 'grown' : '')));
    fill('overrides', f.overrides.map((x) => row([when(x.at), x.checkpoint, x.plate, t('v_' + x.verdict),
      t('d_' + x.decision), x.reason])));
    fill('held', f.held.map((x) => row([when(x.at), x.checkpoint, x.plate, t('d_' + x.decision), x.why.join(' ')])));
    fill('overdue', f.overdue.map((x) => row([x.trip, x.plate,
      `${x.destination?.region ?? ''} ${x.destination?.reception_point ?? ''}`, when(x.eta),
      x.seen_at === null ? t('never_seen') : `${x.seen_checkpoint} ${when(x.seen_at)}`])));
    fill('off-route', f.off_route.map((x) => row([when(x.at), x.checkpoint, x.plate, x.terminal])));
  } catch (e) {
    $('status').textContent = t('failed');
  }
}

function applyLang() {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.title = t('title');
  for (const el of document.querySelectorAll('[data-t]')) el.textContent = t(el.dataset.t);
  $('lang').textContent = t('lang');
}

document.addEventListener('DOMContentLoaded', () => {
  const q = new URLSearchParams(location.search).get('day');
  $('day').value = q && /^\d{4}-\d{2}-\d{2}$/.test(q) ? q : today();
  applyLang();
  $('day').addEventListener('change', load);
  $('print').addEventListener('click', () => window.print());
  $('lang').addEventListener('click', () => {
    lang = lang === 'zh' ? 'en' : 'zh';
    localStorage.setItem('gl-lang', lang);
    applyLang();
    load();
  });
  load();
});
