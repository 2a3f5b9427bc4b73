// Undo and redo across two tabs of one browser: each tab undoes its own
// judgements only, and the other tab follows an undo or a redo as it follows
// any change. The figures are chainladder-python's for the settings each
// step leaves (tests/fixtures/page/quarterly.json).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, collectErrors, settle, reference, money } from './harness.mjs';

let server, browser, ref;
before(async () => { server = await serve(); browser = await launch(); ref = await reference(); });
after(async () => { await browser?.close(); await server?.close(); });

async function tab(context) {
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(server.url + '#quarterly/chain-ladder');
  await page.locator('.status .total').waitFor();
  return { page, errors };
}

const ratio = (page, name) => page.getByRole('button', { name: `link ratio ${name}`, exact: true });
const average = (page) => page.getByLabel('Average', { exact: true });

/** Waits until both tabs show the reference case `name`: its total IBNR,
 * the drop and the average it has, and one version. */
async function both(tabs, name, version) {
  const { session, chainladder } = ref[name];
  const figure = ` · IBNR ${money(chainladder.total_ibnr)}`;
  const dropped = String((session.drops ?? []).some(([o, a]) => o === '1996' && a === 3));
  for (const [k, { page }] of tabs.entries()) {
    const who = `tab ${k + 1}, ${name}`;
    await settle(() => page.locator('.status .total').innerText(), figure, `${who}: the total IBNR`);
    await settle(() => ratio(page, '1996 3-6').getAttribute('aria-pressed'), dropped, `${who}: 1996 3-6 dropped`);
    await settle(() => average(page).inputValue(), session.average ?? 'volume', `${who}: the average`);
    await settle(() => page.locator('.status .version').innerText(), ` · version ${version}`, `${who}: the version`);
  }
}

test('a tab undoes and redoes its own judgement and the other tab follows; each keeps the other\'s', async () => {
  const context = await browser.newContext();
  const one = await tab(context);
  const two = await tab(context);
  const tabs = [one, two];
  await both(tabs, 'default', 0);

  // Tab 1 drops a link ratio; tab 2 follows.
  await one.page.bringToFront();
  await ratio(one.page, '1996 3-6').click();
  await both(tabs, 'drop_1996_3', 1);
  // Tab 2 changes the average; tab 1 follows.
  await two.page.bringToFront();
  await average(two.page).selectOption('simple');
  await both(tabs, 'drop_1996_3_average_simple', 2);

  // Tab 2 undoes its own change (not tab 1's drop): tab 1 follows.
  await two.page.getByRole('button', { name: 'Undo' }).click();
  await both(tabs, 'drop_1996_3', 3);
  // And redoes it, by keyboard.
  await two.page.keyboard.press('Control+Shift+z');
  await both(tabs, 'drop_1996_3_average_simple', 4);

  // Tab 1 undoes its drop: the average tab 2 chose stays.
  await one.page.bringToFront();
  await one.page.getByRole('button', { name: 'Undo' }).click();
  await both(tabs, 'average_simple', 5);
  await one.page.getByRole('button', { name: 'Redo' }).click();
  await both(tabs, 'drop_1996_3_average_simple', 6);
  // Each tab's history holds only its own judgement.
  assert.equal(await one.page.getByRole('button', { name: 'Redo' }).isDisabled(), true);
  await one.page.getByRole('button', { name: 'Undo' }).click();
  await both(tabs, 'average_simple', 7);
  assert.equal(await one.page.getByRole('button', { name: 'Undo' }).isDisabled(), true, 'tab 1 could undo tab 2\'s change');

  // A tab opened now shows the same.
  const three = await tab(context);
  await both([three], 'average_simple', 7);
  for (const { errors } of [one, two, three]) assert.deepEqual(errors, []);
  await context.close();
});
