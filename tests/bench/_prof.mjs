import { serve, launch } from '../e2e/harness.mjs';
const server = await serve(process.env.RUNOFF_DIST);
const browser = await launch();
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
await page.addInitScript(() => { window.__long = []; new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push([Math.round(e.startTime), Math.round(e.duration)]); }).observe({ type: 'longtask', buffered: true }); });
const cdp = await page.context().newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
const view = process.argv[2] || 'chain-ladder';
await page.goto(server.url + '#monthly-120/' + view);
await page.locator('.status .total').waitFor({ timeout: 60000 });
await page.waitForTimeout(1000);
console.log('load long', await page.evaluate(() => window.__long));
await page.evaluate(() => { window.__long = []; });
await cdp.send('Profiler.start');
for (let k = 0; k < 5; k++) {
  await page.locator('button[aria-label="link ratio 2010-01 1-2"]').click();
  await page.waitForTimeout(400);
}
const { profile } = await cdp.send('Profiler.stop');
console.log('click long', await page.evaluate(() => window.__long));
const self = new Map();
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const dt = profile.timeDeltas; const counts = new Map();
profile.samples.forEach((id, i) => counts.set(id, (counts.get(id) || 0) + (dt[i] || 0)));
for (const [id, t] of counts) { const n = byId.get(id); const name = n.callFrame.functionName || '(anon)'; self.set(name, (self.get(name) || 0) + t); }
const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 30);
for (const [n, t] of top) console.log((t / 1000).toFixed(1).padStart(8), n.slice(0, 150));
await browser.close(); await server.close();
