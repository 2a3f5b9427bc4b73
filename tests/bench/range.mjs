// Speed of the Reserve range in the page, in headless Chromium on the
// release build (dist/, or RUNOFF_DIST): on `quarterly` with the default
// 10,000 simulations, once the Reserve range view has been shown (so the
// range follows every edit), a click on a link ratio in the Chain ladder
// view, the Reserve range tab pressed straight after, and the time until
// the table shows the range of the new settings (its chain ladder IBNR is
// the status line's new one), and until the frame after that. Each edit
// drops another link ratio, so no range is ever taken from the view's
// memory of finished ones. docs/benchmarks.md records the figures.
// Usage: node tests/bench/range.mjs [edits]   (after scripts/build.sh)
import { serve, launch } from '../e2e/harness.mjs';
import { row } from './table.mjs';

const edits = Number(process.argv[2] ?? 20);
const server = await serve();
const browser = await launch();


const context = await browser.newContext();
const page = await context.newPage();
await page.addInitScript(() => {
  window.__long = [];
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) window.__long.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
});
await page.goto(server.url + '#quarterly/reserve-range');
await page.getByRole('table', { name: 'Reserve distribution' }).waitFor({ timeout: 60000 });
await page.getByRole('tab', { name: 'Chain ladder' }).click();
await page.locator('button[aria-label^="link ratio "]').first().waitFor();
// Link ratios of the middle ages, one origin after another.
const labels = (await page.locator('button[aria-label^="link ratio "][aria-pressed="false"]').evaluateAll(
  (bs) => bs.map((b) => b.getAttribute('aria-label')),
)).filter((l) => {
  const [, , from] = l.match(/^link ratio (\S+) (\d+)-(\d+)$/) ?? [];
  return Number(from) >= 6 && Number(from) <= 48;
});
const byOrigin = new Map();
for (const l of labels) {
  const o = l.split(' ')[2];
  byOrigin.set(o, [...(byOrigin.get(o) ?? []), l]);
}
const order = [];
for (let k = 0; order.length < labels.length; k++) {
  for (const ls of byOrigin.values()) if (ls[k]) order.push(ls[k]);
}

const start = await page.evaluate(() => performance.now());
const shown = [];
const painted = [];
for (const label of order.slice(0, edits)) {
  const [dom, frame] = await page.evaluate((label) => new Promise((resolve) => {
    const before = document.querySelector('.status .total')?.textContent;
    const t0 = performance.now();
    let done = false;
    const check = () => {
      const now = document.querySelector('.status .total')?.textContent;
      const total = document.querySelector('table[aria-label="Reserve distribution"] tr.total');
      if (!done && now && now !== before && total && ` · IBNR ${total.lastElementChild.textContent}` === now) {
        done = true;
        seen.disconnect();
        const t1 = performance.now();
        requestAnimationFrame(() => resolve([t1 - t0, performance.now() - t0]));
      }
    };
    const seen = new MutationObserver(check);
    seen.observe(document.body, { subtree: true, childList: true, characterData: true });
    document.querySelector(`button[aria-label="${label}"]`).click();
    // The user turns to the range straight after the click.
    setTimeout(() => document.getElementById('tab-reserve-range').click(), 0);
    setTimeout(() => resolve([NaN, NaN]), 20000);
  }), label);
  if (Number.isNaN(dom)) throw new Error(`no range after dropping ${label}`);
  shown.push(dom);
  painted.push(frame);
  await page.getByRole('tab', { name: 'Chain ladder' }).click();
  await page.locator(`button[aria-label="${label}"][aria-pressed="true"]`).waitFor();
}
const long = await page.evaluate((start) => window.__long.filter((t) => t.start >= start), start);

console.log(`runoff reserve range benchmark, ${new Date().toISOString().slice(0, 10)}, headless Chromium, quarterly, 10,000 simulations`);
console.log('| case | n | median | p95 | max | unit |');
console.log('|---|---|---|---|---|---|');
row('click on a link ratio, then the Reserve range tab → the new range in the DOM', shown);
row('… → the frame that paints it', painted);
console.log(`\nmain-thread tasks over 50 ms meanwhile (tab switches included): ${long.length}` +
  (long.length ? ` (${long.map((t) => t.duration.toFixed(0)).join(', ')} ms)` : ''));
await context.close();
await browser.close();
await server.close();
