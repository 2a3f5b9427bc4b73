// The Reserve range view end to end on the sample segment `quarterly`: the
// bootstrap runs in its own worker in chunks, shows its progress, gives the
// command line's figures for the same seed, stops on Cancel, restarts on a
// new seed and on an edit in another view, and never holds the page up:
// a click elsewhere is answered at once during a run, and the page has no
// long task meanwhile. Meant for the release build (dist/); on a debug build
// (RUNOFF_DIST) the simulations are ten times slower.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { serve, launch, collectErrors, cell, showView, settle, idle } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

// The command line's figures for the total IBNR (mean, standard deviation,
// 99.5th percentile), to 2 decimals as the table shows them, from
//   cargo run -q -p runoff-engine --features cli -- bootstrap \
//     --triangle engine/tests/data/quarterly.csv --value-col incurred --sims 10000 --seed 1
// (the page's defaults: 10,000 simulations, seed 1, process gamma; the
// sample's claims file is the same file), then with --seed 2, then with
// --seed 2 --session drop.yml, drop.yml being `segment: quarterly` and
// `drops: [["1996", 3]]` (the link ratio 1996 3-6 dropped).
const CLI = {
  seed1: { mean: '7,080.92', std: '293,393.84', p995: '29,378.47' },
  seed2: { mean: '3,860.61', std: '115,263.12', p995: '29,352.00' },
  seed2Drop: { mean: '3,012.78', std: '57,997.69', p995: '28,046.43' },
};

// Long tasks (with their start), every value the progress bar shows, and
// the state of every answer of the range worker (running, done, cancelled).
const watch = () => {
  window.__long = [];
  window.__progress = [];
  window.__states = [];
  const Native = window.Worker;
  window.Worker = class extends Native {
    constructor(url, options) {
      super(url, options);
      // Workers start from a loader (a blob: address), so the range
      // worker's answers are told by their shape: [run, done, total, state, ...].
      this.addEventListener('message', (e) => {
        const m = e.data;
        if (Array.isArray(m) && typeof m[0] === 'number' && typeof m[3] === 'string') window.__states.push(m[3]);
      });
    }
  };
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) window.__long.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  new MutationObserver((ms) => {
    for (const m of ms) {
      if (m.target.getAttribute?.('role') === 'progressbar') window.__progress.push(Number(m.target.getAttribute('aria-valuenow')));
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['aria-valuenow'] });
};

async function open(hash = '#quarterly/reserve-range') {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.addInitScript(watch);
  await page.goto(server.url + hash);
  await page.locator('.status .total').waitFor();
  return { context, page, errors };
}

const TABLE = 'Reserve distribution';
const table = (page) => page.getByRole('table', { name: TABLE });
const progress = (page) => page.getByRole('progressbar', { name: 'Simulations run' });
const total = async (page) => ({
  mean: await cell(page, TABLE, 'Total', 'Mean'),
  std: await cell(page, TABLE, 'Total', 'Standard deviation'),
  p995: await cell(page, TABLE, 'Total', '99.5th percentile'),
});
/** Commits a field's text as a user does (typing, then leaving it). */
async function enter(page, label, text) {
  const field = page.getByLabel(label, { exact: true });
  await field.fill(text);
  await field.press('Tab');
}
const version = (page) => page.locator('.status .version').innerText();
const states = (page) => page.evaluate(() => window.__states);
/** Waits until the range worker has answered `n` more times than `from`
 * (each answer a chunk of simulations run). */
async function chunks(page, from, n) {
  await settle(async () => (await states(page)).length, (k) => k >= from + n, `${n} more answers of the range worker`, 30000);
}

test('the range runs in chunks and gives the command line\'s figures; a new seed and an edit elsewhere run it again', async () => {
  const { context, page, errors } = await open();
  // The progress moves, then the table and the histogram are shown.
  await table(page).waitFor({ timeout: 30000 });
  const seen = await page.evaluate(() => window.__progress);
  assert.ok(seen.length >= 2 && seen.some((v) => v > 0 && v < 10000), `progress seen: ${seen}`);
  assert.equal(await progress(page).count(), 0);
  assert.deepEqual(await total(page), CLI.seed1);
  await page.getByRole('img', { name: 'Distribution of the total IBNR' }).waitFor();
  for (const label of ['mean 7,081', '75th 3,931', '95th 7,822', '99.5th 29,378']) {
    await page.locator('svg text', { hasText: label }).waitFor();
  }
  // The view's address.
  assert.match(page.url(), /#quarterly\/reserve-range$/);

  // A new seed: the run starts again, and gives that seed's figures.
  await page.evaluate(() => { window.__progress = []; });
  await enter(page, 'Seed', '2');
  await settle(async () => (await total(page).catch(() => ({}))).mean, CLI.seed2.mean, 'the mean for seed 2', 30000);
  assert.deepEqual(await total(page), CLI.seed2);
  assert.ok((await page.evaluate(() => window.__progress)).length >= 1, 'the run with seed 2 showed progress');
  assert.equal(await version(page), ' · version 1');

  // An edit in the chain ladder view runs it again on the new settings.
  await showView(page, 'Chain ladder');
  await page.getByRole('button', { name: 'link ratio 1996 3-6', exact: true }).click();
  await settle(() => page.locator('.status .total').innerText(), ' · IBNR 2,818.68', 'the chain ladder IBNR');
  await showView(page, 'Reserve range');
  await settle(async () => (await total(page).catch(() => ({}))).mean, CLI.seed2Drop.mean, 'the mean after the drop', 30000);
  assert.deepEqual(await total(page), CLI.seed2Drop);
  assert.equal(await cell(page, TABLE, 'Total', 'Chain ladder IBNR'), '2,818.68');

  // Undoing the drop shows seed 2's range again, kept from before.
  await page.getByRole('button', { name: 'Undo' }).click();
  await settle(async () => (await total(page).catch(() => ({}))).mean, CLI.seed2.mean, 'the mean after undo', 30000);

  // Export results ends with the range of the settings shown.
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export results', exact: true }).click()]);
  const csv = await fs.readFile(await dl.path(), 'utf8');
  const sections = csv.trim().split('\n\n');
  assert.equal(sections.length, 3);
  const range = sections[2].split('\n');
  assert.match(range[0], /^origin,ibnr_mean,ibnr_std,/);
  const last = range.at(-1).split(',');
  assert.equal(last[0], 'Total');
  assert.equal(Number(last[1]).toFixed(2), '3860.61');
  assert.deepEqual(last.slice(-3), ['10000', '2', 'gamma']);

  // Printed from the chain ladder view, the range comes after the exhibit.
  await showView(page, 'Chain ladder');
  await page.emulateMedia({ media: 'print' });
  await page.locator('.print-only table[aria-label="Reserve distribution"]').waitFor();
  await page.emulateMedia({ media: 'screen' });
  assert.deepEqual(errors, []);
  await context.close();
});

test('Cancel stops a long run and says so; a bad entry is refused naming its field', async () => {
  const { context, page, errors } = await open();
  await table(page).waitFor({ timeout: 30000 });
  await enter(page, 'Simulations', '50');
  await page.getByText('Simulations: `50` is not a whole number from 100 to 1,000,000').waitFor();
  assert.equal(await page.getByLabel('Simulations', { exact: true }).getAttribute('aria-invalid'), 'true');
  assert.equal(await version(page), ' · version 0');

  await enter(page, 'Simulations', '200000');
  await settle(async () => Number(await progress(page).getAttribute('aria-valuenow').catch(() => 0)), (v) => v > 0, 'the progress');
  assert.equal(await progress(page).getAttribute('aria-valuemax'), '200000');
  assert.equal(await progress(page).getAttribute('aria-valuemin'), '0');
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  await page.locator('.range-status', { hasText: 'Cancelled' }).waitFor();
  const said = await page.locator('.range-run').innerText();
  assert.match(said, /^Cancelled after [\d,]+ of 200,000 simulations/);
  // The worker says it stopped; every answer it sent before has been
  // handled once the page is idle. It stays stopped: no progress, no figures.
  await settle(async () => (await states(page)).at(-1), 'cancelled', 'the worker\'s last answer');
  await idle(page);
  assert.equal((await states(page)).at(-1), 'cancelled', 'an answer came after the cancel');
  assert.equal(await progress(page).count(), 0);
  assert.equal(await table(page).count(), 0);
  assert.equal(await page.locator('.range-run').innerText(), said);
  assert.deepEqual(errors, []);
  await context.close();
});

test('during a run of 200,000 simulations a click elsewhere is answered at once, and the page has no long task', async (t) => {
  const { context, page, errors } = await open();
  await table(page).waitFor({ timeout: 30000 });
  const now = () => page.evaluate(() => performance.now());
  // Long tasks in the windows of the run, leaving out the switches between
  // views (a navigation: showing the chain ladder's grid of 528 buttons is
  // one task of about 60-120 ms with or without a run; docs/benchmarks.md).
  const windows = [];
  let start = await now();
  await enter(page, 'Simulations', '200000');
  await settle(async () => Number(await progress(page).getAttribute('aria-valuenow').catch(() => 0)), (v) => v > 0, 'the progress');
  // The window spans a few chunks of the run.
  await chunks(page, (await states(page)).length, 5);
  windows.push([start, await now()]);
  await showView(page, 'Chain ladder');
  await page.getByRole('button', { name: 'link ratio 1996 3-6', exact: true }).waitFor();
  // The navigation's render has run before the next window opens.
  await idle(page);
  start = await now();
  // The click, timed in the page: from the click to the status line's new
  // total IBNR.
  const times = [];
  for (const expected of ['2,818.68', '2,775.89', '2,818.68']) {
    times.push(await page.evaluate((expected) => new Promise((resolve) => {
      const status = document.querySelector('.status');
      const t0 = performance.now();
      const seen = new MutationObserver(() => {
        if (status.querySelector('.total')?.textContent === ` · IBNR ${expected}`) {
          seen.disconnect();
          resolve(performance.now() - t0);
        }
      });
      seen.observe(status, { subtree: true, childList: true, characterData: true });
      document.querySelector('button[aria-label="link ratio 1996 3-6"]').click();
    }), expected));
  }
  await chunks(page, (await states(page)).length, 5);
  windows.push([start, await now()]);
  t.diagnostic(`click to the status line's IBNR during the run: ${times.map((x) => x.toFixed(1)).join(', ')} ms`);
  assert.ok(Math.max(...times) < 200, `click to IBNR: ${times.map((x) => x.toFixed(1))} ms`);
  // The range is still running, on the latest settings.
  await showView(page, 'Reserve range');
  await progress(page).waitFor();
  start = await now();
  const shown = Number(await progress(page).getAttribute('aria-valuenow'));
  const done = await settle(async () => Number(await progress(page).getAttribute('aria-valuenow').catch(() => 0)),
    (v) => v > shown, 'the progress moving on', 30000);
  assert.ok(done > 0 && done < 200000, `still running: ${done}`);
  await chunks(page, (await states(page)).length, 5);
  windows.push([start, await now()]);
  const long = await page.evaluate((windows) => window.__long.filter((t) => windows.some(([a, b]) => t.start >= a && t.start <= b)), windows);
  assert.deepEqual(long, [], 'long tasks during the run');
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  assert.deepEqual(errors, []);
  await context.close();
});
