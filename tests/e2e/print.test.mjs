// The printed chain ladder exhibit: written by the worker only when the
// page prints, and its figures are the screen's (the LDF and CDF rows of
// the link-ratio grid, the Results view's selected ultimates and total
// IBNR). The Print button and Ctrl+P have it in the page before the
// browser prints.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, collectErrors, showView, settle, cell, totals } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const FACTORS = 'table[aria-label="Development factors exhibit"]';
const PROJECTION = 'table[aria-label="Projection exhibit"]';

// The first figure of a cell's text ("1.2345 volume, all" → "1.2345").
const figure = (text) => (text.match(/-?[\d,]+\.\d+/) || [''])[0];

// The grid's LDF and CDF rows as shown, by development period (the grid
// shows a window of its columns: those are the ones read).
async function gridFactors(page) {
  const grid = page.getByRole('table', { name: 'Link ratios' });
  const headers = (await grid.locator('thead th').allInnerTexts()).map((h) => h.trim());
  const rows = grid.locator('tfoot tr');
  const ldf = await rows.nth(0).locator('th, td').allInnerTexts();
  const cdf = await rows.nth(1).locator('th, td').allInnerTexts();
  const out = {};
  headers.forEach((h, i) => {
    if (/^\d+-\d+$/.test(h) && figure(ldf[i] ?? '')) out[h] = { ldf: figure(ldf[i]), cdf: figure(cdf[i]) };
  });
  return out;
}

// The print exhibit's rows: period → selected factor and factor to ultimate.
async function printedFactors(page) {
  return page.locator(FACTORS).evaluate((table) => Object.fromEntries([...table.tBodies[0].rows].map((tr) => [
    tr.cells[0].textContent.trim(),
    { ldf: tr.querySelector('td.sel').textContent.trim(), cdf: tr.cells[tr.cells.length - 2].textContent.trim() },
  ])));
}

// The projection exhibit: origin → ultimate, and the total IBNR.
async function printedProjection(page) {
  return page.locator(PROJECTION).evaluate((table) => ({
    ultimate: Object.fromEntries([...table.tBodies[0].rows].map((tr) => [tr.cells[0].textContent.trim(), tr.cells[3].textContent.trim()])),
    ibnr: table.tFoot.rows[0].cells[4].textContent.trim(),
  }));
}

test('the printed exhibit is written only for printing and shows the screen\'s figures', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(server.url + '#quarterly/chain-ladder');
  await page.locator('.status .total').waitFor();
  // A fitted tail, so that factors to ultimate carry it.
  await page.getByRole('combobox', { name: 'Tail', exact: true }).selectOption('exponential');
  await page.locator('.status:not(:has(.busy))').waitFor();
  await settle(() => page.locator('.status .total').innerText(), (t) => t.length > 0, 'a total');
  // Nothing of the exhibit is in the page on screen.
  assert.equal(await page.locator(FACTORS).count(), 0);

  const screen = await gridFactors(page);
  assert.ok(Object.keys(screen).length >= 3, `grid factors ${JSON.stringify(screen)}`);

  await page.emulateMedia({ media: 'print' });
  await page.getByRole('table', { name: 'Development factors exhibit' }).waitFor();
  const printed = await printedFactors(page);
  for (const [period, f] of Object.entries(screen)) {
    assert.deepEqual(printed[period], f, `period ${period}`);
  }
  // The tail follows the development periods in the exhibit.
  assert.ok(Object.values(printed).length > Object.keys(screen).length);
  const projection = await printedProjection(page);
  await page.emulateMedia({ media: 'screen' });
  await page.locator(FACTORS).waitFor({ state: 'detached' });

  await showView(page, 'Results');
  await page.getByRole('table', { name: 'Results' }).waitFor();
  assert.equal((await totals(page)).IBNR, projection.ibnr);
  const origins = Object.keys(projection.ultimate);
  assert.ok(origins.length > 10, `${origins.length} origins`);
  for (const origin of origins) {
    assert.equal(await cell(page, 'Results', origin, 'Selected'), projection.ultimate[origin], `origin ${origin}`);
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('the Print button and Ctrl+P put the exhibit in the page before printing', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(server.url + '#quarterly/chain-ladder');
  await page.locator('.status .total').waitFor();
  // The browser's print, recorded: how many exhibit rows were in the page
  // when it was called.
  await page.evaluate(() => {
    window.__printed = [];
    window.print = () => window.__printed.push(document.querySelectorAll('.print-only table[aria-label="Development factors exhibit"] tbody tr').length);
  });
  assert.equal(await page.locator(FACTORS).count(), 0);
  await page.getByRole('button', { name: 'Print', exact: true }).click();
  const [rows] = await settle(() => page.evaluate(() => window.__printed), (p) => p.length === 1, 'prints after the button');
  assert.ok(rows > 10, `${rows} rows printed`);
  await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
  await page.locator(FACTORS).waitFor({ state: 'detached' });

  await page.keyboard.press('Control+KeyP');
  const printed = await settle(() => page.evaluate(() => window.__printed), (p) => p.length === 2, 'prints after Ctrl+P');
  assert.equal(printed[1], rows);
  assert.deepEqual(errors, []);
  await context.close();
});
