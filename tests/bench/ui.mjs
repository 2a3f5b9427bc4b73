// Speed of the page, measured in headless Chromium on the release build
// (dist/): click on a link ratio to the updated total on screen, on the
// quarterly segment (also with a session at every limit docs/session.md
// allows); and the longest main-thread task while a 120 × 120 triangle
// recalculates. Prints a table; docs/benchmarks.md records it.
// Usage: node tests/bench/ui.mjs [edits]   (after scripts/build.sh)
//        BENCH_ONLY=click|tabs|big|extreme node tests/bench/ui.mjs [edits]
import { serve, launch } from '../e2e/harness.mjs';
import { row } from './table.mjs';
import { extremeSession } from './extreme.mjs';

const edits = Number(process.argv[2] ?? 60);
const server = await serve();
const browser = await launch();


// Records, in the page, each click's event time and the frame after which
// the status line's total next changed (the frame that paints it).
const recorder = () => {
  window.__clicks = [];
  window.__renders = [];
  window.__updates = [];
  document.addEventListener('click', (e) => window.__clicks.push(e.timeStamp), true);
  let last = null;
  new MutationObserver(() => {
    const t = document.querySelector('.status .total')?.textContent;
    if (t && t !== last) {
      last = t;
      window.__updates.push(performance.now());
      requestAnimationFrame(() => window.__renders.push(performance.now()));
    }
  }).observe(document, { subtree: true, childList: true, characterData: true });
  window.__longtasks = [];
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) window.__longtasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
};

async function clickToRender() {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(recorder);
  await page.goto(server.url + '#quarterly/chain-ladder');
  await page.locator('.status .total').waitFor();
  await page.bringToFront();
  const button = page.locator('button[aria-label="link ratio 1996 3-6"]');
  const out = [];
  const dom = [];
  for (let k = 0; k < edits; k++) {
    const before = await page.evaluate(() => window.__renders.length);
    await button.click();
    await page.waitForFunction((n) => window.__renders.length > n, before);
    const [click, update, render] = await page.evaluate(() =>
      [window.__clicks.at(-1), window.__updates.at(-1), window.__renders.at(-1)]);
    out.push(render - click);
    dom.push(update - click);
  }
  await context.close();
  return { out, dom };
}

// Cross-tab: click in tab A to tab B painting that version, both on the
// shared clock performance.timeOrigin + performance.now().
const crossRecorder = () => {
  window.__clicksAbs = [];
  window.__versions = [];
  window.__messages = [];
  document.addEventListener('click', (e) => window.__clicksAbs.push(performance.timeOrigin + e.timeStamp), true);
  // When the message reaches this tab: splits the time into the saving
  // tab's part and this tab's.
  new BroadcastChannel('runoff').onmessage = () => window.__messages.push(performance.timeOrigin + performance.now());
  let last = null;
  new MutationObserver(() => {
    // The other tab's results: its total after recalculating that version.
    const v = document.querySelector('.status .total')?.textContent;
    if (v && v !== last) {
      last = v;
      // The other tab is in the background, where animation frames wait:
      // its render is the moment the DOM shows the new results.
      window.__versions.push({ v, at: performance.timeOrigin + performance.now() });
    }
  }).observe(document, { subtree: true, childList: true, characterData: true });
};

async function crossTab() {
  const context = await browser.newContext();
  const a = await context.newPage();
  const b = await context.newPage();
  for (const p of [a, b]) {
    await p.addInitScript(crossRecorder);
    await p.goto(server.url + '#quarterly/chain-ladder');
    await p.locator('.status .total').waitFor();
  }
  await a.bringToFront();
  const button = a.locator('button[aria-label="link ratio 1996 3-6"]');
  const out = [], message = [], shown = [];
  for (let k = 0; k < edits; k++) {
    const before = await b.evaluate(() => window.__versions.length);
    await button.click();
    await b.waitForFunction((n) => window.__versions.length > n, before);
    const click = await a.evaluate(() => window.__clicksAbs.at(-1));
    const [seen, heard] = await b.evaluate(() => [window.__versions.at(-1).at, window.__messages.at(-1)]);
    out.push(seen - click);
    message.push(heard - click);
    shown.push(seen - heard);
    await a.waitForTimeout(30);
  }
  await context.close();
  return { out, message, shown };
}

// Click → results with that session loaded, as clickToRender.
async function extreme() {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(recorder);
  await page.goto(server.url + '#quarterly/chain-ladder');
  await page.locator('.status .total').waitFor();
  await page.bringToFront();
  await page.getByLabel('Upload session', { exact: true })
    .setInputFiles({ name: 'extreme.yml', mimeType: 'text/yaml', buffer: Buffer.from(extremeSession()) });
  // Loaded: the tail is the session's, and the page says how many
  // warnings it did not list.
  await page.locator('.warnings li', { hasText: /more warnings|tail/ }).first().waitFor({ timeout: 30_000 }).catch(() => {});
  await page.waitForFunction(() => document.querySelector('select[aria-label="Tail"]')?.value === 'exponential', null, { timeout: 30_000 });
  const tail = await page.getByRole('combobox', { name: 'Tail', exact: true }).inputValue();
  if (tail !== 'exponential') throw new Error(`the session did not load: tail ${tail}`);
  const button = page.locator('button[aria-label="link ratio 1996 3-6"]');
  const out = [];
  const dom = [];
  for (let k = 0; k < edits; k++) {
    const before = await page.evaluate(() => window.__renders.length);
    await button.click();
    await page.waitForFunction((n) => window.__renders.length > n, before);
    const [click, update, render] = await page.evaluate(() =>
      [window.__clicks.at(-1), window.__updates.at(-1), window.__renders.at(-1)]);
    out.push(render - click);
    dom.push(update - click);
  }
  await context.close();
  return { out, dom };
}

async function longTasks120() {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(recorder);
  await page.goto(server.url + '#monthly-120/chain-ladder');
  await page.locator('.status .total').waitFor({ timeout: 30_000 });
  await page.waitForTimeout(500);
  const loadTasks = await page.evaluate(() => window.__longtasks.length);
  const button = page.locator('button[aria-label="link ratio 2010-02 1-2"]');
  const changes = [];
  for (let k = 0; k < 20; k++) {
    const before = await page.evaluate(() => window.__renders.length);
    await button.click();
    await page.waitForFunction((n) => window.__renders.length > n, before, { timeout: 30_000 });
    const [click, render] = await page.evaluate(() => [window.__clicks.at(-1), window.__renders.at(-1)]);
    changes.push(render - click);
  }
  await page.waitForTimeout(200);
  const tasks = await page.evaluate((n) => window.__longtasks.slice(n), loadTasks);
  const first = await page.evaluate(() => window.__longtasks.map((t) => t.duration));
  await context.close();
  return { changes, tasks: tasks.map((t) => t.duration), load: first.slice(0, loadTasks) };
}

console.log(`runoff page benchmark, ${new Date().toISOString().slice(0, 10)}, headless Chromium`);
console.log('| case | n | median | p95 | max | unit |');
console.log('|---|---|---|---|---|---|');
// BENCH_ONLY=click|tabs|big|extreme runs one case.
const only = process.env.BENCH_ONLY;
if (!only || only === 'extreme') {
  const { out, dom } = await extreme();
  row('quarterly, every setting at its limit: click on a link ratio → updated results in the DOM', dom);
  row('quarterly, every setting at its limit: click on a link ratio → the frame that paints them', out);
}
if (!only || only === 'click') {
  const { out, dom } = await clickToRender();
  row('quarterly: click on a link ratio → updated results in the DOM', dom);
  row('quarterly: click on a link ratio → the frame that paints them', out);
}
if (!only || only === 'tabs') {
  const { out, message, shown } = await crossTab();
  row('two tabs: click in one → other tab shows that version\'s results', out);
  row('  of which: click → the message reaches the other tab', message);
  row('  of which: message → that tab shows the results', shown);
}
const big = !only || only === 'big' ? await longTasks120() : null;
if (big) {
row('120 × 120: click on a link ratio → updated total painted', big.changes);
console.log(`\nmain-thread tasks over 50 ms while the 120 × 120 triangle recalculated (20 edits): ${big.tasks.length}` +
  (big.tasks.length ? ` (longest ${Math.max(...big.tasks).toFixed(0)} ms)` : ''));
console.log(`tasks over 50 ms while it first loaded (not an edit): ${big.load.length}` +
  (big.load.length ? ` (longest ${Math.max(...big.load).toFixed(0)} ms)` : ''));
}
await browser.close();
await server.close();
