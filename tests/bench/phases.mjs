// Where a click's time goes, click by click: the page's (M) and the worker's (W)
// tasks from a Chromium trace, as start+duration in ms from the click, with
// what each did. Usage: node tests/bench/phases.mjs [segment] [ratio]
import { serve, launch } from '../e2e/harness.mjs';
const server = await serve(process.env.RUNOFF_DIST); const browser = await launch();
const page = await browser.newPage();
await page.goto(server.url + '#' + (process.argv[2] || 'quarterly') + '/chain-ladder');
await page.locator('.status .total').waitFor();
const ratio = page.locator(`button[aria-label="link ratio ${process.argv[3] || '1996 3-6'}"]`);
await ratio.click(); await page.waitForTimeout(500);
await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel'] });
const N = 20;
for (let k = 0; k < N; k++) { await ratio.click(); await page.waitForTimeout(150); }
const ev = JSON.parse((await browser.stopTracing()).toString()).traceEvents;
const threads = {}; for (const e of ev) if (e.name === 'thread_name') threads[e.pid + ':' + e.tid] = e.args.name;
const th = (e) => threads[e.pid + ':' + e.tid];
const clicks = ev.filter((e) => e.name === 'EventDispatch' && e.args?.data?.type === 'click').sort((a, b) => a.ts - b.ts);
const tasks = ev.filter((e) => e.name === 'ThreadControllerImpl::RunTask' && e.dur > 100).sort((a, b) => a.ts - b.ts);
const rows = [];
for (const c of clicks) {
  const t0 = c.ts;
  const win = tasks.filter((t) => t.ts >= t0 - 3000 && t.ts < t0 + 60000 && (th(t) === 'CrRendererMain' || th(t)?.startsWith('DedicatedWorker')));
  const line = win.map((t) => {
    const inner = ev.filter((x) => x.pid === t.pid && x.tid === t.tid && x.ts >= t.ts && x.ts <= t.ts + t.dur && x.dur > 300 && ['EventDispatch', 'HandlePostMessage', 'Paint', 'Layout', 'UpdateLayoutTree', 'FunctionCall', 'RunMicrotasks', 'TimerFire', 'FireAnimationFrame', 'ParseHTML'].includes(x.name)).sort((a, b) => a.ts - b.ts);
    const names = [...new Set(inner.map((x) => x.name + (x.args?.data?.type ? `(${x.args.data.type})` : '')))].slice(0, 4).join(',');
    return `${th(t).startsWith('Ded') ? 'W' : 'M'}@${((t.ts - t0) / 1000).toFixed(1)}+${(t.dur / 1000).toFixed(1)}[${names}]`;
  });
  rows.push(line.join(' '));
}
console.log(rows.join('\n'));
await browser.close(); await server.close();
