// A Chromium trace of one click on a link ratio, printed as the page's
// tasks by thread and time from the click: where the time between a click
// and its results goes. Usage: node tests/bench/trace.mjs [segment] [ratio]
// (default: quarterly, `1996 3-6`; the 120 × 120 one: monthly-120 `2010-01 1-2`).
// BENCH_EXTREME=1 loads the session at every limit first (tests/bench/extreme.mjs).
import { serve, launch } from '../e2e/harness.mjs';
import { openChainLadder } from './extreme.mjs';
const server = await serve(process.env.RUNOFF_DIST); const browser = await launch();
const page = await browser.newPage();
const segment = process.argv[2] || 'quarterly';
const name = `link ratio ${process.argv[3] || '1996 3-6'}`;
await openChainLadder(page, server.url, segment);
// A CSS selector: a role query scans every element in the page, which on a
// 120 × 120 grid is itself a long task.
const ratio = page.locator(`button[aria-label="${name}"]`);
await ratio.click();
await page.waitForTimeout(1000);
await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'toplevel'] });
await ratio.click();
await page.waitForTimeout(300);
const ev = JSON.parse((await browser.stopTracing()).toString()).traceEvents;
const threads = {};
for (const e of ev) if (e.name === 'thread_name') threads[e.pid + ':' + e.tid] = e.args.name;
const click = ev.find((e) => e.name === 'EventDispatch' && e.args?.data?.type === 'click');
const t0 = click.ts;
for (const e of ev.filter((e) => e.name === 'ThreadControllerImpl::RunTask' && e.dur > 200 && e.ts >= t0 - 2000).sort((a, b) => a.ts - b.ts).slice(0, 25)) {
  const inner = ev.filter((x) => x.pid === e.pid && x.tid === e.tid && x.ts >= e.ts && x.ts <= e.ts + e.dur && x.dur > 150 && x.name !== e.name)
    .sort((a, b) => b.dur - a.dur).slice(0, 5).map((x) => `${x.name}${x.args?.data?.type ? '(' + x.args.data.type + ')' : ''}:${(x.dur / 1000).toFixed(1)}`);
  console.log(((e.ts - t0) / 1000).toFixed(1), (e.dur / 1000).toFixed(1), threads[e.pid + ':' + e.tid], inner.join(' '));
}
await browser.close(); await server.close();
