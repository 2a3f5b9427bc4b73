// Actual versus expected per valuation period, as reserving-studio shows it:
// on the sample segment `quarterly` (every origin on the chain ladder, its
// default session), the totals by origin of the latest diagonal and of an
// earlier one are chainladder-python's (engine/tests/fixtures/ave/
// ave_expectation__quarterly.json, case quarterly/chainladder), as shown to
// two decimals.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, launch, collectErrors, showView, settle } from './harness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fixture = path.join(root, 'engine/tests/fixtures/ave/ave_expectation__quarterly.json');
let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

/** A figure as the page writes it: two decimals, thousands separated. */
const shown = (x) => x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).replace('−', '-');

/** `2006-03` as the month index the picker's values are. */
const month = (s) => { const [y, m] = s.split('-').map(Number); return y * 12 + m - 1; };

test('actual versus expected per valuation period: the totals are chainladder-python\'s, and the picker changes the period', async () => {
  const doc = JSON.parse(await fs.readFile(fixture, 'utf8'));
  assert.match(doc.reference, /chainladder-python 0\.10\.1/);
  const [latest, earlier] = doc.cases.find((c) => c.case === 'quarterly/chainladder').expected.valuations;
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(server.url + '#quarterly/results');
  await page.locator('.status .total').waitFor();
  await showView(page, 'Actual vs expected');

  const picker = page.getByLabel('Valuation period', { exact: true });
  const table = page.getByRole('table', { name: 'Actual versus expected by origin (selected ultimates)', exact: true });
  // Expected, then actual, in the total row.
  const total = async () => (await table.locator('tfoot tr').first().locator('td').allInnerTexts()).slice(0, 2).map((s) => s.trim());
  const figures = (v) => [shown(v.total.expected), shown(v.total.actual)];

  await table.waitFor();
  assert.equal(await picker.inputValue(), String(month(latest.valuation)), 'the latest period by default');
  assert.equal(await picker.locator('option').first().innerText(), '2006Q1');
  await settle(async () => (await total()).join(' '), figures(latest).join(' '), 'the latest period\'s total');
  assert.equal(await table.locator('tbody tr').count(), latest.by_origin.length);
  assert.equal(await page.getByRole('img', { name: 'Actual and expected incremental by origin, selected ultimates, 2006Q1', exact: true }).count(), 1);
  const byPeriod = page.getByRole('table', { name: 'Actual versus expected by valuation period (selected ultimates)', exact: true });
  const periods = doc.cases.find((c) => c.case === 'quarterly/chainladder').expected;
  assert.equal(await byPeriod.locator('tbody tr').count(), periods.by_period.length);
  assert.match(await byPeriod.locator('tfoot').innerText(), new RegExp(`Total\\s+${shown(periods.period_total.expected)}\\s+${shown(periods.period_total.actual)}`));
  assert.equal(await page.getByRole('img', { name: 'Actual and expected incremental by valuation period, selected ultimates', exact: true }).count(), 1);

  await picker.selectOption(String(month(earlier.valuation)));
  await settle(async () => (await total()).join(' '), figures(earlier).join(' '), 'the earlier period\'s total');
  assert.equal(await table.locator('tbody tr').count(), earlier.by_origin.length);
  await page.getByRole('heading', { name: 'By origin, 2005Q2' }).waitFor();
  assert.equal(await picker.inputValue(), String(month(earlier.valuation)));
  // The comparison from an earlier valuation is still there, above.
  assert.equal(await page.getByRole('table', { name: 'Actual versus expected by origin', exact: true }).count(), 1);
  assert.deepEqual(errors, []);
  await context.close();
});
