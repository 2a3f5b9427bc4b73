// The reserving dashboard end to end, as an actuary uses it: judgements on
// the link-ratio grid, expected loss ratios, the method per origin, undo and
// redo, segments, and a reload that keeps everything. Each test starts in a
// fresh browser context, so with empty storage.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, collectErrors, totals, cell, showView, expectIbnr, pressed, settle } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
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
  // chainladder-python with drop=('1996', 3): total IBNR 2818.68.
  await expectIbnr(page, '2,818.68');

  await page.reload();
  await expectIbnr(page, '2,818.68');
  await showView(page, 'Chain ladder');
  await pressed(ratio(page, '1996 3-6'), 'true');
  assert.match(await page.locator('.status').innerText(), /version 1\b/);

  await ratio(page, '1996 3-6').click();
  await pressed(ratio(page, '1996 3-6'), 'false');
  await expectIbnr(page, '2,775.89');
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
  assert.notEqual((await totals(page)).IBNR, '2,775.89');
  await showView(page, 'Chain ladder');
  await page.getByRole('button', { name: 'origin 2002', exact: true }).click();
  await expectIbnr(page, '2,775.89');
  await showView(page, 'Chain ladder');
  await page.getByLabel('Diagonal').selectOption('2004Q4');
  await page.getByRole('button', { name: 'Drop diagonal' }).click();
  await page.getByRole('button', { name: 'Restore diagonal 2004Q4' }).waitFor();
  await page.getByRole('button', { name: 'Restore diagonal 2004Q4' }).click();
  await expectIbnr(page, '2,775.89');
  await context.close();
});

test('undo and redo, by button and by keyboard', async () => {
  const { context, page } = await fresh();
  await ratio(page, '1996 3-6').click();
  await expectIbnr(page, '2,818.68');
  await page.getByRole('button', { name: 'Undo' }).click();
  await expectIbnr(page, '2,775.89');
  await page.getByRole('button', { name: 'Redo' }).click();
  await expectIbnr(page, '2,818.68');
  await page.keyboard.press('Control+z');
  await expectIbnr(page, '2,775.89');
  await page.keyboard.press('Control+Shift+z');
  await expectIbnr(page, '2,818.68');
  await context.close();
});

test('the link-ratio grid is usable from the keyboard', async () => {
  const { context, page } = await fresh();
  await ratio(page, '1995 3-6').focus();
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), 'link ratio 1996 3-6');
  await page.keyboard.press('Enter');
  await expectIbnr(page, '2,818.68');
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

test('an expected loss ratio changes the BF ultimate as the engine says', async () => {
  const { context, page } = await fresh('#quarterly/bf');
  const input = page.getByLabel('Expected loss ratio 2006', { exact: true });
  await input.fill('0.8');
  await input.press('Enter');
  await input.blur();
  await showView(page, 'Results');
  // runoff reserve with bf_apriori_by_uwy {2006: 0.8}: BF ultimate 303.2977.
  const bf = await settle(() => cell(page, 'Results', '2006', 'BF').catch(() => ''), (v) => v.includes('303.30'), 'the BF ultimate of 2006');
  assert.match(bf, /303\.30/);
  await context.close();
});

test('selecting BF for 2006 changes the selected total', async () => {
  const { context, page } = await fresh('#quarterly/results');
  const select = page.getByRole('button', { name: 'Select Bornhuetter-Ferguson for 2006', exact: true });
  await select.click();
  await pressed(select, 'true');
  // runoff reserve with selected_ultimate_by_uwy {2006: bornhuetter_ferguson}.
  await expectIbnr(page, '1,786.70');
  await page.reload();
  await expectIbnr(page, '1,786.70');
  await context.close();
});

test('segments are chosen with the Segment select and keep their own sessions', async () => {
  const { context, page } = await fresh();
  await ratio(page, '1996 3-6').click();
  await expectIbnr(page, '2,818.68');
  await page.getByLabel('Segment', { exact: true }).selectOption('annual');
  await page.locator('.status', { hasText: 'Segment annual' }).waitFor();
  // The same claims at yearly development (runoff reserve --grain yearly).
  await expectIbnr(page, '588.09');
  await page.getByLabel('Segment', { exact: true }).selectOption('quarterly');
  await expectIbnr(page, '2,818.68');
  await context.close();
});

test('every view renders without errors, and controls have names', async () => {
  const { context, page, errors } = await fresh();
  for (const view of ['Data', 'Chain ladder', 'Bornhuetter-Ferguson', 'Results']) {
    await showView(page, view);
    await page.waitForTimeout(100);
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
