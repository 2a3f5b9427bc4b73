// The foundation end to end: the release build, served as static files,
// opens on the quarterly segment and shows the chain ladder's results,
// computed in the worker.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, collectErrors, totals, reference, money } from './harness.mjs';

let server, browser, ref;
before(async () => { server = await serve(); browser = await launch(); ref = await reference(); });
after(async () => { await browser?.close(); await server?.close(); });

test('the quarterly segment opens with the chain ladder total IBNR', async () => {
  const page = await browser.newPage();
  const errors = collectErrors(page);
  await page.goto(server.url + '#quarterly/results');
  const results = page.getByRole('table', { name: 'Results' });
  await results.waitFor();
  const total = await totals(page);
  assert.equal(total.Origin, 'Total');
  // chainladder-python's (volume-weighted chain ladder, no tail).
  assert.equal(total.IBNR, money(ref.default.chainladder.total_ibnr));
  assert.match(await page.locator('.status').innerText(), /Segment quarterly · incurred/);
  // The cumulative triangle: 12 origins × 45 quarterly ages.
  await page.getByRole('tab', { name: 'Data' }).click();
  const triangle = page.getByRole('table', { name: 'incurred: cumulative values' });
  assert.equal(await triangle.locator('tbody tr').count(), 12);
  assert.equal(await triangle.locator('thead th').count(), 46);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the status line says when the worker is recalculating', async () => {
  const page = await browser.newPage();
  // Record every text the status element takes from the first render on.
  await page.addInitScript(() => {
    window.__statusTexts = [];
    new MutationObserver(() => {
      const s = document.querySelector('.status');
      if (s) window.__statusTexts.push(s.textContent);
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
  await page.goto(server.url + '#quarterly/results');
  await page.getByRole('table', { name: 'Results' }).waitFor();
  const texts = await page.evaluate(() => window.__statusTexts);
  assert.ok(texts.some((t) => t.includes('Recalculating…')), `status texts: ${texts}`);
  assert.ok(!(await page.locator('.status').innerText()).includes('Recalculating'));
  await page.close();
});

test('a worker that does not answer gives an alert, not a blank page', async () => {
  const page = await browser.newPage();
  // A worker script that loads but never answers.
  await page.route('**/worker.js', (route) =>
    route.fulfill({ contentType: 'text/javascript', body: 'self.onmessage = () => {};' }));
  await page.goto(server.url);
  const alert = page.getByRole('alert');
  await alert.waitFor({ timeout: 15_000 });
  assert.match(await alert.innerText(), /worker is not answering/);
  // The page is still there: the alert is in it, not on a blank page.
  assert.equal(await page.locator('main').count(), 1);
  await page.close();
});
