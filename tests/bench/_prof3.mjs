import { serve, launch } from '../e2e/harness.mjs';
const server = await serve(process.env.RUNOFF_DIST);
const browser = await launch();
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
await page.goto(server.url + '#quarterly/results');
await page.locator('.status .total').waitFor();
await page.getByLabel('Import claims', { exact: true }).setInputFiles('target/samples/prism.csv');
await page.getByText('34,244 rows read').waitFor({ timeout: 30000 });
await page.locator('button.primary').click();
await page.locator('.status .total').filter({ hasText: '493,612,077.98' }).waitFor({ timeout: 30000 });
await page.waitForTimeout(500);
const cdp = await page.context().newCDPSession(page);
await cdp.send('Profiler.enable'); await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
await cdp.send('Profiler.start');
await page.locator('#tab-chain-ladder').click();
await page.locator("button.ratio").first().waitFor(); await page.waitForTimeout(1500);
await page.waitForTimeout(300);
const { profile } = await cdp.send('Profiler.stop');
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map(); for (const n of profile.nodes) for (const c of n.children || []) parent.set(c, n.id);
const self = new Map(), total = new Map(); const dt = profile.timeDeltas;
profile.samples.forEach((id, i) => {
  const n = byId.get(id); const k = n.callFrame.functionName || '(anon)'; self.set(k, (self.get(k) || 0) + (dt[i] || 0));
  const seen = new Set(); let cur = id; while (cur !== undefined) { const nm = byId.get(cur).callFrame.functionName || '(anon)'; if (!seen.has(nm)) { total.set(nm, (total.get(nm) || 0) + (dt[i] || 0)); seen.add(nm); } cur = parent.get(cur); }
});
console.log('self'); for (const [n, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log((t / 1000).toFixed(1).padStart(8), n.slice(0, 140));
console.log('total'); for (const [n, t] of [...total].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log((t / 1000).toFixed(1).padStart(8), n.slice(0, 140));
await browser.close(); await server.close();
