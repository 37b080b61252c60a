// common.js — what the centre's pages (index.html, report.html) share:
// times in China Standard Time, table rows made of text, time at the lane.
'use strict';

// Times in China Standard Time, as the centre counts hours and days,
// whatever zone the browser is set to; to the second or to the minute.
const CST_FORMATS = [false, true].map((seconds) => new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  ...(seconds ? { second: '2-digit' } : {}), hour12: false,
}));
const cstTime = (epoch, seconds) => CST_FORMATS[seconds ? 1 : 0].format(new Date(epoch * 1000));

// A table row whose cells are set as text, never as markup.
function row(cells, cls) {
  const tr = document.createElement('tr');
  if (cls) tr.className = cls;
  for (const c of cells) {
    const td = document.createElement('td');
    td.textContent = c;
    tr.appendChild(td);
  }
  return tr;
}

// A bucket's upper bound of time at the lane, as the figures give it (-1:
// past the last bound, said as `longer`; 0: nothing counted).
const upTo = (v, longer) => (v < 0 ? longer : v === 0 ? '—' : v < 60 ? `≤ ${v} s` : `≤ ${v / 60} min`);
