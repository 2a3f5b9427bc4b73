// The import panel on files that are too much: a file whose triangles
// would exceed the engine's budget for one import is refused by name and
// size; a large file shows its progress and can be cancelled; a worker that
// stops answering is said to have, and the rest of the page goes on. Files
// are generated here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import os from 'node:os';
import { serve, launch, collectErrors, settle } from './harness.mjs';

let server, browser, scratch;
before(async () => {
  server = await serve();
  browser = await launch();
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'runoff-e2e-limits-'));
});
after(async () => {
  await browser?.close();
  await server?.close();
  await fs.rm(scratch, { recursive: true, force: true });
});

async function open(context, hash = '#quarterly/chain-ladder', init) {
  const page = await context.newPage();
  const errors = collectErrors(page);
  if (init) await init(page);
  await page.goto(server.url + hash);
  await page.locator('.status .total').waitFor();
  return { page, errors };
}

const segments = (page) => page.getByLabel('Segment', { exact: true }).locator('option').allInnerTexts();
const statusTotal = (page) => page.locator('.status .total').innerText();

/** Changes the open segment's tail and waits for its total to follow: the
 * recalculation worker answers. */
async function recalculates(page, timeout) {
  const before = await statusTotal(page);
  await page.getByLabel('Tail', { exact: true }).selectOption({ label: 'Exponential' });
  await settle(() => statusTotal(page), (t) => t !== before, 'the total after a change of tail', timeout);
}

test('a file of 300 numeric columns is refused by its size in cells, and nothing changes', async () => {
  const context = await browser.newContext();
  const { page, errors } = await open(context);
  const before = await segments(page);
  const total = await statusTotal(page);
  // Two rows of 300 amounts: 300 triangles of 1,000 × 1,000 (4.8 GB).
  const header = ['origin', 'development', ...Array.from({ length: 300 }, (_, i) => `m${i}`)].join(',');
  const ones = ',1'.repeat(300);
  const text = `${header}\n1001,1001${ones}\n1001,2000${ones}\n2000,2000${ones}\n`;
  await page.getByLabel('Import claims', { exact: true })
    .setInputFiles({ name: 'columns.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });
  const alert = page.locator('section.import [role="alert"]');
  await alert.waitFor();
  assert.equal(
    await alert.innerText(),
    'columns.csv does not read this way: the file would make 300,000,000 cells of triangles (300 measures × 1 group × 1,000 origins × 1,000 development ages); at most 5,000,000 cells are read from one file: choose fewer amount columns, or filter to fewer groups',
  );
  assert.equal(await page.getByRole('button', { name: 'Import', exact: true }).isEnabled(), false);
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  await page.locator('section.import').waitFor({ state: 'detached' });
  assert.deepEqual(await segments(page), before);
  assert.equal(await statusTotal(page), total);
  assert.match(page.url(), /#quarterly\/chain-ladder$/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a large file shows its progress and can be cancelled; the open segment still recalculates', async () => {
  // Two million claims payments, 60 MB: seconds of the worker's time.
  const file = path.join(scratch, 'large.csv');
  const rows = ['AccidentDate,PaymentDate,Paid'];
  for (let i = 0; i < 2_000_000; i++) {
    const y = 1990 + (i % 20);
    rows.push(`${y}-0${1 + (i % 9)}-1${i % 10},${y + (i % 7)}-1${i % 3}-2${i % 8},${(i % 997) + 0.25}`);
  }
  await fs.writeFile(file, rows.join('\n') + '\n');
  const context = await browser.newContext();
  const { page, errors } = await open(context);
  const before = await segments(page);
  await page.getByLabel('Import claims', { exact: true }).setInputFiles(file);
  const bar = page.getByRole('progressbar', { name: 'Import progress' });
  await bar.waitFor();
  assert.match(await bar.getAttribute('aria-valuetext'), /^Reading the file|^Reading the rows/);
  await page.getByRole('button', { name: 'Cancel import', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'The import of large.csv was cancelled: nothing was changed.' }).waitFor();
  assert.equal(await bar.count(), 0);
  await page.getByRole('button', { name: 'Close', exact: true }).click();
  await page.locator('section.import').waitFor({ state: 'detached' });
  assert.deepEqual(await segments(page), before);
  // The worker may still be parsing what was cancelled: it answers after.
  await recalculates(page, 60_000);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a worker that stops answering is said to have, and trying again reads the file', async () => {
  const context = await browser.newContext();
  // A worker that hears nothing: the page's messages to its workers are
  // dropped while `__deaf` is set, as if the worker were stuck; the page's
  // clock is then moved past the panel's wait.
  const deafen = async (page) => {
    await page.clock.install();
    await page.addInitScript(() => {
      const post = Worker.prototype.postMessage;
      Worker.prototype.postMessage = function (...args) {
        if (window.__deaf) return undefined;
        return post.apply(this, args);
      };
    });
  };
  const { page, errors } = await open(context, '#quarterly/chain-ladder', deafen);
  const before = await segments(page);
  await page.evaluate(() => { window.__deaf = true; });
  const text = 'origin,development,paid\n2000,2000,100\n2000,2001,150\n2001,2001,110\n';
  await page.getByLabel('Import claims', { exact: true })
    .setInputFiles({ name: 'stuck.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });
  await page.getByRole('progressbar', { name: 'Import progress' }).waitFor();
  await page.clock.fastForward(31_000);
  const alert = page.locator('section.import [role="alert"]');
  await alert.waitFor();
  assert.equal(
    await alert.innerText(),
    'The worker stopped answering: nothing was heard from it for 30 seconds while it read stuck.csv. Nothing was changed, and the rest of the page goes on; try the import again, or close it.',
  );
  // The worker hears again: trying again reads the file.
  await page.evaluate(() => { window.__deaf = false; });
  await page.getByRole('button', { name: 'Try again', exact: true }).click();
  await page.getByText('3 rows read: 2 yearly origins (2000 to 2001)').waitFor();
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  await page.locator('section.import').waitFor({ state: 'detached' });
  assert.deepEqual(await segments(page), before);
  await recalculates(page, 10_000);
  assert.deepEqual(errors, []);
  await context.close();
});
