// The results table sorted from the keyboard (the total row staying last,
// the selection still working), and the data view's outstanding and premium
// by development, checked against the sample's files.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, launch, collectErrors, showView, expectIbnr, pressed, settle } from './harness.mjs';

const data = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../engine/tests/data');

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

async function fresh(hash) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(server.url + hash);
  await page.getByRole('status').first().waitFor();
  await page.locator('.status .total').waitFor();
  return { context, page, errors };
}

/** The rows of the results table: origin (or Total) and the cells by header. */
async function rows(page) {
  const table = page.getByRole('table', { name: 'Results' });
  return table.evaluate((t) => {
    const headers = [...t.querySelectorAll('thead th')].map((h) => h.innerText.trim());
    return [...t.querySelectorAll('tbody tr, tfoot tr')].map((tr) => {
      const cells = [...tr.querySelectorAll('th, td')].map((c) => c.innerText.trim());
      return Object.fromEntries(headers.map((h, i) => [h, cells[i]]));
    });
  });
}

const number = (s) => (s ? Number(s.replace(/,/g, '')) : NaN);
const activeId = (page) => page.evaluate(() => document.activeElement?.id ?? '');
const ibnrSort = (page) => page.locator('th:has(#sort-9)');

test('the results table sorts by IBNR from the keyboard, the total last, and selecting still works', async () => {
  const { context, page, errors } = await fresh('#quarterly/results');
  await page.getByRole('table', { name: 'Results' }).waitFor();
  // Tab to the IBNR header, from the top of the page.
  for (let i = 0; i < 60 && (await activeId(page)) !== 'sort-9'; i++) await page.keyboard.press('Tab');
  assert.equal(await activeId(page), 'sort-9', 'the IBNR header is reached with Tab');
  assert.equal(await ibnrSort(page).getAttribute('aria-sort'), 'none');
  await page.keyboard.press('Enter');
  await settle(() => ibnrSort(page).getAttribute('aria-sort'), 'ascending', 'aria-sort after one press');
  // The table is written again; the focus stays on the header.
  await settle(() => activeId(page), 'sort-9', 'the focus after the first press');
  await page.keyboard.press('Space');
  await settle(() => ibnrSort(page).getAttribute('aria-sort'), 'descending', 'aria-sort after two presses');

  let r = await rows(page);
  const ibnr = r.slice(0, -1).map((x) => number(x.IBNR));
  assert.equal(ibnr[0], Math.max(...ibnr.filter((x) => !Number.isNaN(x))), `first row ${JSON.stringify(r[0])}`);
  assert.deepEqual(ibnr, [...ibnr].sort((a, b) => b - a), 'IBNR descending');
  assert.equal(r.at(-1).Origin, 'Total');
  assert.equal(await page.getByRole('columnheader', { name: 'Origin' }).getAttribute('aria-sort'), 'none');

  // Selecting a method in the sorted table: the total changes, the order stays.
  const select = page.getByRole('button', { name: 'Select Bornhuetter-Ferguson for 2006', exact: true });
  await select.click();
  await pressed(select, 'true');
  // runoff reserve with selected_ultimate_by_uwy {2006: bornhuetter_ferguson}.
  await expectIbnr(page, '1,786.70');
  assert.equal(await ibnrSort(page).getAttribute('aria-sort'), 'descending');
  r = await rows(page);
  const after = r.slice(0, -1).map((x) => number(x.IBNR));
  assert.deepEqual(after, [...after].sort((a, b) => b - a), 'still IBNR descending after the edit');
  assert.equal(r.at(-1).Origin, 'Total');
  assert.deepEqual(errors, []);
  await context.close();
});

/** `x` as a triangle cell is written: whole numbers plain, others with two decimals. */
const cellText = (x) => (Number.isInteger(x)
  ? x.toLocaleString('en-US')
  : x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }));

/** A cell of a data view table, by origin and column header. */
async function dataCell(page, tableName, origin, column) {
  const table = page.getByRole('table', { name: tableName });
  const headers = (await table.locator('thead th').allInnerTexts()).map((h) => h.trim());
  const col = headers.indexOf(column);
  assert.ok(col > 0, `column ${column} in ${headers}`);
  const row = table.locator('tbody tr').filter({ has: page.locator('th', { hasText: new RegExp(`^\\s*${origin}\\s*$`) }) });
  return (await row.locator('th, td').nth(col).innerText()).trim();
}

test('the data view shows the outstanding and premium by development of quarterly', async () => {
  const { context, page, errors } = await fresh('#quarterly/data');
  const claims = (await fs.readFile(path.join(data, 'quarterly.csv'), 'utf8')).trim().split('\n').map((l) => l.split(','));
  const premium = (await fs.readFile(path.join(data, 'quarterly_premium.csv'), 'utf8')).trim().split('\n').map((l) => l.split(','));

  // Origin 1996 valued 1996-10 (its fourth quarter) is age 12.
  const [, , incurred, paid] = claims.find(([d, o]) => d === '1996-10' && o === '1996');
  await page.getByLabel('Measure', { exact: true }).selectOption({ label: 'outstanding (incurred − paid)' });
  const outstanding = 'outstanding (incurred − paid): cumulative values';
  assert.equal(await dataCell(page, outstanding, '1996', '12'), cellText(Number(incurred) - Number(paid)));

  const [, , p] = premium.find(([d, o]) => d === '1996Q4' && o === '1996');
  await page.getByLabel('Measure', { exact: true }).selectOption({ label: 'premium by development' });
  assert.equal(await dataCell(page, 'premium by development: cumulative values', '1996', '12'), cellText(Number(p)));
  // Premium per origin is still offered.
  await page.getByLabel('Measure', { exact: true }).selectOption({ label: 'premium' });
  await page.getByRole('region', { name: 'Premium by origin' }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});
