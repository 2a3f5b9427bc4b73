// The reserving dashboard end to end, as an actuary uses it: judgements on
// the link-ratio grid, expected loss ratios, the method per origin, undo and
// redo, segments, and a reload that keeps everything. Each test starts in a
// fresh browser context, so with empty storage. The figures are
// chainladder-python's for the same settings (tests/fixtures/page/
// quarterly.json, from scripts/fixtures/page.py).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, collectErrors, totals, cell, showView, expectIbnr, pressed, settle, reference, money } from './harness.mjs';

let server, browser, ref;
// The total IBNR of a reference case as the page writes it.
const ibnr = (name) => money(ref[name].chainladder.total_ibnr);
before(async () => { server = await serve(); browser = await launch(); ref = await reference(); });
after(async () => { await browser?.close(); await server?.close(); });

async function fresh(hash = '#quarterly/chain-ladder') {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(server.url + hash);
  await page.getByRole('status').first().waitFor();
  await page.locator('.status .total').waitFor();
  return { context, page, errors };
}

const ratio = (page, name) => page.getByRole('button', { name: `link ratio ${name}`, exact: true });

test('dropping a link ratio recalculates, restoring it undoes that, a reload keeps it', async () => {
  const { context, page, errors } = await fresh();
  const r = ratio(page, '1996 3-6');
  await pressed(r, 'false');
  await r.click();
  await pressed(r, 'true');
  // chainladder-python with drop=('1996', 3).
  await expectIbnr(page, ibnr('drop_1996_3'));
  // Saved (version 1) before the reload, which would otherwise only warn.
  await settle(() => page.locator('.status .version').innerText(), ' · version 1', 'saved', 10_000);

  await page.reload();
  await expectIbnr(page, ibnr('drop_1996_3'));
  await showView(page, 'Chain ladder');
  await pressed(ratio(page, '1996 3-6'), 'true');
  assert.match(await page.locator('.status').innerText(), /version 1\b/);

  await ratio(page, '1996 3-6').click();
  await pressed(ratio(page, '1996 3-6'), 'false');
  await expectIbnr(page, ibnr('default'));
  assert.match(await page.locator('.status').innerText(), /version 2\b/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('an origin and a diagonal are dropped and restored from the grid', async () => {
  const { context, page } = await fresh();
  const origin = page.getByRole('button', { name: 'origin 2002', exact: true });
  await origin.click();
  await pressed(origin, 'true');
  await showView(page, 'Results');
  await settle(async () => (await totals(page)).IBNR, (v) => v && v !== ibnr('default'), 'the IBNR without origin 2002');
  await showView(page, 'Chain ladder');
  await page.getByRole('button', { name: 'origin 2002', exact: true }).click();
  await expectIbnr(page, ibnr('default'));
  await showView(page, 'Chain ladder');
  await page.getByLabel('Diagonal').selectOption('2004Q4');
  await page.getByRole('button', { name: 'Drop diagonal' }).click();
  await page.getByRole('button', { name: 'Restore diagonal 2004Q4' }).waitFor();
  await page.getByRole('button', { name: 'Restore diagonal 2004Q4' }).click();
  await expectIbnr(page, ibnr('default'));
  await context.close();
});

test('undo and redo, by button and by keyboard', async () => {
  const { context, page } = await fresh();
  await ratio(page, '1996 3-6').click();
  await expectIbnr(page, ibnr('drop_1996_3'));
  await page.getByRole('button', { name: 'Undo' }).click();
  await expectIbnr(page, ibnr('default'));
  await page.getByRole('button', { name: 'Redo' }).click();
  await expectIbnr(page, ibnr('drop_1996_3'));
  await page.keyboard.press('Control+z');
  await expectIbnr(page, ibnr('default'));
  await page.keyboard.press('Control+Shift+z');
  await expectIbnr(page, ibnr('drop_1996_3'));
  await context.close();
});

test('the link-ratio grid is usable from the keyboard', async () => {
  const { context, page } = await fresh();
  await ratio(page, '1995 3-6').focus();
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), 'link ratio 1996 3-6');
  await page.keyboard.press('Enter');
  await expectIbnr(page, ibnr('drop_1996_3'));
  await showView(page, 'Chain ladder');
  const r = ratio(page, '1996 3-6');
  await pressed(r, 'true');
  // One tab stop: the grid's other ratios are out of the tab order.
  assert.equal(await page.locator('button.ratio[tabindex="0"]').count(), 1);
  await r.focus();
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), 'link ratio 1996 6-9');
  await page.keyboard.press('End');
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), 'link ratio 1996 120-123');
  await page.keyboard.press(' ');
  await pressed(ratio(page, '1996 120-123'), 'true');
  await context.close();
});

test('an expected loss ratio changes the BF ultimate as chainladder-python does', async () => {
  const { context, page } = await fresh('#quarterly/bf');
  const input = page.getByLabel('Expected loss ratio 2006', { exact: true });
  await input.fill('0.8');
  await input.press('Enter');
  await input.blur();
  await showView(page, 'Results');
  // BornhuetterFerguson(apriori=1.0) on premium x 0.8 for 2006 (0.6 elsewhere).
  const { origins, bornhuetter_ferguson: bf } = ref.bf_apriori_2006;
  const expected = money(bf.ultimate[origins.indexOf('2006')]);
  await settle(() => cell(page, 'Results', '2006', 'BF').catch(() => ''), expected, 'the BF ultimate of 2006');
  // Only 2006's ratio changed: 2005 keeps the default's.
  const { bornhuetter_ferguson: before } = ref.default;
  assert.notEqual(expected, money(before.ultimate[origins.indexOf('2006')]));
  assert.equal(await cell(page, 'Results', '2005', 'BF'), money(bf.ultimate[origins.indexOf('2005')]));
  await context.close();
});

test('selecting BF for 2006 changes the selected total as chainladder-python does', async () => {
  const { context, page } = await fresh('#quarterly/results');
  const select = page.getByRole('button', { name: 'Select Bornhuetter-Ferguson for 2006', exact: true });
  await select.click();
  await pressed(select, 'true');
  // The chain ladder's ultimates, with 2006's from BornhuetterFerguson.
  const selected = money(ref.bf_selected_2006.selected.total_ibnr);
  assert.notEqual(selected, ibnr('default'));
  await expectIbnr(page, selected);
  await settle(() => page.locator('.status .version').innerText(), ' · version 1', 'saved', 10_000);
  await page.reload();
  await expectIbnr(page, selected);
  await context.close();
});

test('segments are chosen with the Segment select and keep their own sessions', async () => {
  const { context, page } = await fresh();
  await ratio(page, '1996 3-6').click();
  await expectIbnr(page, ibnr('drop_1996_3'));
  await page.getByLabel('Segment', { exact: true }).selectOption('annual');
  await page.locator('.status', { hasText: 'Segment annual' }).waitFor();
  // The same claims at yearly development (runoff reserve --grain yearly;
  // chainladder-python's grain("OYDY")).
  await expectIbnr(page, ibnr('annual'));
  await page.getByLabel('Segment', { exact: true }).selectOption('quarterly');
  await expectIbnr(page, ibnr('drop_1996_3'));
  await context.close();
});

test('every view renders its figures without errors, and controls have names', async () => {
  const { context, page, errors } = await fresh();
  const d = ref.default;
  // Each view, and a figure it shows that chainladder-python gives too.
  const views = {
    Data: async () => {
      const triangle = page.getByRole('table', { name: 'incurred: cumulative values' });
      await triangle.waitFor();
      assert.equal(await triangle.locator('tbody tr').count(), d.origins.length);
    },
    'Chain ladder': async () => {
      // The LDF row's first factor, 3-6, to the four decimals shown.
      const grid = page.getByRole('table', { name: 'Link ratios' });
      await settle(async () => (await grid.locator('tfoot tr').first().locator('td').first().innerText().catch(() => '')).trim(),
        (v) => v.startsWith(d.ldf[0].toFixed(4)), 'the LDF of 3-6');
    },
    'Bornhuetter-Ferguson': async () => {
      await settle(() => cell(page, 'Bornhuetter-Ferguson by origin', 'Total', 'BF IBNR').catch(() => ''),
        money(d.bornhuetter_ferguson.total_ibnr), 'the BF IBNR');
    },
    Results: async () => {
      await settle(async () => (await totals(page).catch(() => ({}))).IBNR, ibnr('default'), 'the total IBNR');
    },
  };
  for (const [view, shown] of Object.entries(views)) {
    await showView(page, view);
    await settle(() => page.getByRole('tab', { name: view }).getAttribute('aria-selected'), 'true', `${view} selected`);
    await shown();
    const unnamed = await page.evaluate(() => [...document.querySelectorAll('button, select, input')]
      .filter((el) => {
        const label = el.getAttribute('aria-label') || el.labels?.[0]?.textContent || el.textContent;
        return !label || !label.trim();
      }).map((el) => el.outerHTML.slice(0, 80)));
    assert.deepEqual(unnamed, [], `${view}: controls without a name`);
  }
  assert.deepEqual(errors, []);
  await context.close();
});
