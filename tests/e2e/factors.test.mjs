// Selecting the development factors in the page: the averages table under
// the link-ratio grid, a typed factor, undo and redo, a second tab
// following; the tooltip of a link ratio; the Tail row's attachment age.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { serve, launch, collectErrors, settle, reference, money } from './harness.mjs';

let server, browser, DEFAULT, SIMPLE_5, TYPED;
before(async () => {
  server = await serve();
  browser = await launch();
  // chainladder-python's total IBNR (tests/fixtures/page/quarterly.json):
  // the default; with the column 3-6 the simple average of its latest 5
  // (Development(average=[...'simple'...], n_periods=[...5...])); and that
  // with 1.05 typed for 6-9 (DevelopmentConstant with that factor).
  const ref = await reference();
  DEFAULT = money(ref.default.chainladder.total_ibnr);
  SIMPLE_5 = money(ref.column_3_simple_5.chainladder.total_ibnr);
  TYPED = money(ref.column_3_simple_5_typed_6.chainladder.total_ibnr);
});
after(async () => { await browser?.close(); await server?.close(); });

async function tab(context, hash = '#quarterly/chain-ladder') {
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(server.url + hash);
  await page.locator('.status .total').waitFor();
  return { page, errors };
}

const statusTotal = (page) => page.locator('.status .total').innerText();
const expectTotal = (page, figure, what) =>
  settle(async () => (await statusTotal(page)).includes(figure), true, `${what}: IBNR ${figure}`);

// The button of the averages table in the row `row` and the column `column`.
async function average(page, row, column) {
  const table = page.getByRole('table', { name: 'Averages' });
  const headers = (await table.locator('thead th').allInnerTexts()).map((h) => h.trim());
  const col = headers.indexOf(column);
  assert.ok(col > 0, `no column ${column} in ${headers}`);
  return table.locator('tbody tr').filter({ has: page.locator(`th:text-is("${row}")`) })
    .locator('th, td').nth(col).getByRole('button');
}

// The LDF row's cell of a development period.
async function ldf(page, label) {
  const grid = page.getByRole('table', { name: 'Link ratios' });
  const headers = (await grid.locator('thead th').allInnerTexts()).map((h) => h.trim());
  return grid.locator('tfoot tr').first().locator('th, td').nth(headers.indexOf(label));
}

test('an average picked per column and a typed factor recalculate, undo, redo and reach another tab', async () => {
  const context = await browser.newContext();
  const a = await tab(context);
  const b = await tab(context);
  await a.page.bringToFront();
  const page = a.page;
  await expectTotal(page, DEFAULT, 'at first');

  // The session's average (volume-weighted over all) is each column's default.
  const volAll = await average(page, 'Volume-weighted, all', '3-6');
  assert.match(await volAll.innerText(), /•$/);
  assert.equal(await volAll.getAttribute('aria-pressed'), 'false');

  const simple5 = await average(page, 'Simple, latest 5', '3-6');
  await simple5.click();
  await settle(async () => (await average(page, 'Simple, latest 5', '3-6')).getAttribute('aria-pressed'), 'true', 'selected');
  assert.match(await (await average(page, 'Simple, latest 5', '3-6')).innerText(), /^✓ \d/);
  await expectTotal(page, SIMPLE_5, 'simple over the latest 5 for 3-6');
  assert.match(await (await ldf(page, '3-6')).innerText(), /simple 5/);
  await expectTotal(b.page, SIMPLE_5, 'the other tab');

  // A typed factor for 6-9, by keyboard.
  const typed69 = page.getByRole('textbox', { name: 'Typed factor 6-9' });
  await typed69.focus();
  await page.keyboard.type('1.05');
  await page.keyboard.press('Enter');
  await expectTotal(page, TYPED, 'typed 1.05 for 6-9');
  const cell69 = await ldf(page, '6-9');
  assert.match(await cell69.innerText(), /1\.0500\s*typed/);
  assert.match(await cell69.getAttribute('class'), /typed/);
  await expectTotal(b.page, TYPED, 'the other tab');
  const version = await page.locator('.status .version').innerText();

  // Not a number ≥ 0: refused inline, naming the column; nothing changes.
  const typed36 = page.getByRole('textbox', { name: 'Typed factor 3-6' });
  await typed36.focus();
  await page.keyboard.type('abc');
  await page.keyboard.press('Enter');
  await page.getByRole('alert').filter({ hasText: 'Typed factor 3-6: `abc` is not a number ≥ 0' }).waitFor();
  assert.ok((await statusTotal(page)).includes(TYPED));
  assert.equal(await page.locator('.status .version').innerText(), version);

  // Undo takes the typed factor back, redo applies it again; B follows.
  // Saves are made in order, so the undo's version being the next one
  // shows that the refused entry saved nothing.
  await page.getByRole('button', { name: 'Undo' }).click();
  await expectTotal(page, SIMPLE_5, 'after undo');
  const next = Number(version.match(/\d+/)[0]) + 1;
  await settle(() => page.locator('.status .version').innerText(), ` · version ${next}`, 'the undo\'s version');
  await expectTotal(b.page, SIMPLE_5, 'the other tab after undo');
  // The averages table comes two frames after the figures.
  await settle(() => page.getByRole('textbox', { name: 'Typed factor 6-9' }).inputValue(), '', 'the typed factor taken back');
  await page.getByRole('button', { name: 'Redo' }).click();
  await expectTotal(page, TYPED, 'after redo');
  await expectTotal(b.page, TYPED, 'the other tab after redo');

  // The typed factor is marked in the print exhibit and in Export results.
  await page.emulateMedia({ media: 'print' });
  const exhibit = page.getByRole('table', { name: 'Development factors exhibit' });
  await exhibit.waitFor();
  const row69 = exhibit.locator('tbody tr').filter({ has: page.locator('th:text-is("6-9")') });
  assert.match(await row69.locator('td.sel').getAttribute('class'), /typed/);
  assert.match(await row69.innerText(), /1\.0500\s+typed/);
  await page.emulateMedia({ media: 'screen' });
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export results', exact: true }).click()]);
  const csv = await fs.readFile(await dl.path(), 'utf8');
  const factors = csv.split('\n\n')[1];
  assert.match(factors, /^development,ldf,cdf,basis\n3-6,[\d.]+,[\d.]+,"simple, latest 5"\n6-9,1\.05,[\d.]+,typed\n9-12,[\d.]+,[\d.]+,"volume, all"\n/);

  // The typed factor cleared (empty), then the column back to its default.
  await page.getByRole('textbox', { name: 'Typed factor 6-9' }).fill('');
  await page.getByRole('textbox', { name: 'Typed factor 6-9' }).press('Enter');
  await expectTotal(page, SIMPLE_5, 'typed factor cleared');
  await page.getByRole('button', { name: 'Default 3-6' }).click();
  await expectTotal(page, DEFAULT, 'column 3-6 back to its default');
  await expectTotal(b.page, DEFAULT, 'the other tab');
  assert.deepEqual(a.errors, []);
  assert.deepEqual(b.errors, []);
  await context.close();
});

test('a link ratio is described on hover and on focus, with why it is left out', async () => {
  const context = await browser.newContext();
  const { page, errors } = await tab(context);
  const tip = page.locator('#lr-tip');
  const ratio = page.getByRole('button', { name: 'link ratio 1996 3-6', exact: true });
  await ratio.hover();
  // 1996: 42 at 3 months, 136 at 6; premium 2,263.58 (the command line's).
  await settle(() => tip.innerText(), '1996 3→6 months: 42 → 136 = 3.2381; premium 2,264', 'the tooltip');
  assert.equal(await tip.isVisible(), true);
  await ratio.click();
  await settle(() => ratio.getAttribute('aria-pressed'), 'true', 'dropped');
  // Described to the keyboard too: focus another ratio, then come back.
  await page.mouse.move(0, 0);
  await page.keyboard.press('ArrowDown');
  await settle(async () => (await tip.innerText()).startsWith('1997 3→6 months'), true, 'the focused ratio described');
  await page.keyboard.press('ArrowUp');
  await settle(() => tip.innerText(), (t) => t.endsWith('; excluded: dropped by hand'), 'the reason');
  const described = await page.evaluate(() => {
    const id = document.activeElement.getAttribute('aria-describedby');
    return document.getElementById(id)?.textContent;
  });
  assert.match(described, /^1996 3→6 months: 42 → 136 = 3\.2381; premium 2,264; excluded: dropped by hand$/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the Tail row attaches a fitted tail at a column, and detaches it', async () => {
  const context = await browser.newContext();
  const { page, errors } = await tab(context);
  await page.getByLabel('Tail', { exact: true }).selectOption({ label: 'Exponential' });
  const attach = page.getByRole('button', { name: 'attach tail at 12 months' });
  await attach.click();
  await settle(() => attach.getAttribute('aria-pressed'), 'true', 'attached');
  assert.equal(await page.getByLabel('Attachment age').inputValue(), '12');
  await attach.press('Enter');
  await settle(() => attach.getAttribute('aria-pressed'), 'false', 'detached');
  assert.equal(await page.getByLabel('Attachment age').inputValue(), '');
  assert.deepEqual(errors, []);
  await context.close();
});
