import { serve, launch } from '../e2e/harness.mjs';
const server = await serve(process.env.RUNOFF_DIST); const browser = await launch();
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
await page.goto(server.url + '#monthly-120/results');
await page.locator('.status .total').waitFor({ timeout: 60000 });
await page.waitForTimeout(500);
await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel'] });
await page.locator('#tab-chain-ladder').click();
await page.locator('button.ratio').first().waitFor();
await page.waitForTimeout(600);
const ev = JSON.parse((await browser.stopTracing()).toString()).traceEvents;
const threads = {}; for (const e of ev) if (e.name === 'thread_name') threads[e.pid + ':' + e.tid] = e.args.name;
const t0 = ev.find((e) => e.name === 'EventDispatch' && e.args?.data?.type === 'click')?.ts ?? ev[0].ts;
for (const e of ev.filter((e) => e.name === 'ThreadControllerImpl::RunTask' && e.dur > 3000 && e.ts >= t0 - 2000).sort((a, b) => a.ts - b.ts)) {
  const inner = ev.filter((x) => x.pid === e.pid && x.tid === e.tid && x.ts >= e.ts && x.ts <= e.ts + e.dur && x.dur > 500 && x.name !== e.name)
    .sort((a, b) => b.dur - a.dur).slice(0, 7).map((x) => `${x.name}:${(x.dur / 1000).toFixed(1)}`);
  console.log(((e.ts - t0) / 1000).toFixed(1), (e.dur / 1000).toFixed(1), threads[e.pid + ':' + e.tid], inner.join(' '));
}
await browser.close(); await server.close();
