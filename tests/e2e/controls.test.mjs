// The chain ladder's development controls, each set through the page on
// the sample segment `quarterly`: the average, the latest n periods, drop
// highest and lowest, the tail curve and its fit period clicked on the
// grid's header, and the tail taken off again. After each, the total IBNR
// and a few origins' chain ladder ultimates are chainladder-python's for
// the same settings (tests/fixtures/page/quarterly.json, from
// scripts/fixtures/page.py), to the two decimals the page shows.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, collectErrors, cell, showView, settle, reference, money } from './harness.mjs';

let server, browser, ref;
before(async () => { server = await serve(); browser = await launch(); ref = await reference(); });
after(async () => { await browser?.close(); await server?.close(); });

const ORIGINS = ['1996', '2000', '2004', '2006'];

/** Waits for the reference case `name`: the status line's total IBNR, then
 * the Results view's chain ladder ultimates of a few origins. */
async function expectCase(page, name) {
  const { chainladder, origins } = ref[name];
  await settle(() => page.locator('.status .total').innerText(), ` · IBNR ${money(chainladder.total_ibnr)}`, `${name}: the total IBNR`);
  await showView(page, 'Results');
  for (const origin of ORIGINS) {
    const expected = money(chainladder.ultimate[origins.indexOf(origin)]);
    await settle(() => cell(page, 'Results', origin, 'Chain ladder').catch(() => ''), expected, `${name}: the chain ladder ultimate of ${origin}`);
  }
  await showView(page, 'Chain ladder');
}

async function fresh() {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(server.url + '#quarterly/chain-ladder');
  await page.locator('.status .total').waitFor();
  await expectCase(page, 'default');
  return { context, page, errors };
}

const control = (page, label) => page.getByLabel(label, { exact: true });

test('the average, the latest n periods and drop highest and lowest give chainladder-python\'s figures', async () => {
  const { context, page, errors } = await fresh();
  await control(page, 'Average').selectOption('simple');
  await expectCase(page, 'average_simple');
  await control(page, 'Average').selectOption('regression');
  await expectCase(page, 'average_regression');
  await control(page, 'Average').selectOption('volume');
  await expectCase(page, 'default');

  const n = control(page, 'Latest n periods');
  await n.fill('8');
  await n.press('Tab');
  await expectCase(page, 'n_periods_8');
  await n.fill('');
  await n.press('Tab');
  await expectCase(page, 'default');

  await control(page, 'Drop highest').check();
  await expectCase(page, 'drop_high');
  await control(page, 'Drop lowest').check();
  await expectCase(page, 'drop_high_low');
  assert.equal(await control(page, 'Drop highest').isChecked(), true);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a tail curve, its fit period clicked on the grid, and no tail give chainladder-python\'s figures', async () => {
  const { context, page, errors } = await fresh();
  const tail = control(page, 'Tail');
  await tail.selectOption({ label: 'Inverse power' });
  await expectCase(page, 'tail_inverse_power');
  await tail.selectOption({ label: 'Exponential' });
  await expectCase(page, 'tail_exponential');
  assert.match(await page.locator('tfoot th', { hasText: /^Tail / }).innerText(), new RegExp(`^Tail ${ref.tail_exponential.tail_factor.toFixed(4)}`));

  // The fit period: the first column clicked, then the last.
  const from = page.getByRole('button', { name: 'tail fit 12-15', exact: true });
  await from.click();
  await settle(() => from.getAttribute('aria-pressed'), 'true', 'the fit from 12');
  await expectCase(page, 'tail_exponential_fit_12');
  const to = page.getByRole('button', { name: 'tail fit 48-51', exact: true });
  await to.click();
  await settle(() => to.getAttribute('aria-pressed'), 'true', 'the fit to 48');
  await expectCase(page, 'tail_exponential_fit_12_48');
  assert.equal(await control(page, 'Fit from age').inputValue(), '12');
  assert.equal(await control(page, 'Fit to age').inputValue(), '48');
  // Columns outside the period are not in the fit.
  assert.equal(await page.getByRole('button', { name: 'tail fit 9-12', exact: true }).getAttribute('aria-pressed'), 'false');

  // No tail: the fit period is kept but means nothing.
  await tail.selectOption({ label: 'None' });
  await expectCase(page, 'default');
  assert.deepEqual(errors, []);
  await context.close();
});
