// Storage that never loses work, end to end: a save storage refuses is
// kept, said and retried; a database deleted or left without its stores by
// another page is opened again or repaired; damaged stored segments are
// named, not opened; the save worker failing in any way loses nothing;
// and where IndexedDB fails the page keeps its work in localStorage.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, collectErrors, settle } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const ratio = (page, name) => page.getByRole('button', { name: `link ratio ${name}`, exact: true });
const until = (f, what, timeout = 5000) => settle(f, true, what, timeout);
const status = (page) => page.locator('.status').innerText();
const alerts = async (page) => (await page.getByRole('alert').allInnerTexts()).join('\n');

// Makes IndexedDB writes throw QuotaExceededError while `__full` is set on
// the global object: in the page, and in each worker (the save worker
// saves there).
const quota = () => {
  const put = IDBObjectStore.prototype.put;
  IDBObjectStore.prototype.put = function (...args) {
    if (self.__full) throw new DOMException('the test filled the disk', 'QuotaExceededError');
    return put.apply(this, args);
  };
};

async function open(context, hash = '#quarterly/chain-ladder', { full = false } = {}) {
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.addInitScript(quota);
  page.on('worker', (w) => w.evaluate(quota).catch(() => {}));
  await page.goto(server.url + hash);
  await page.locator('.status .total').waitFor();
  if (full) await setFull(page, true);
  return { page, errors };
}

async function setFull(page, full) {
  await page.evaluate((f) => { self.__full = f; }, full);
  for (const w of page.workers()) await w.evaluate((f) => { self.__full = f; }, full).catch(() => {});
}

const pressedNow = async (page, name) => (await ratio(page, name).getAttribute('aria-pressed')) === 'true';

test('a save storage refuses is kept, said, retried when the page is back online, and survives a reload', async () => {
  const context = await browser.newContext();
  const { page, errors } = await open(context, undefined, { full: true });
  await ratio(page, '1996 3-6').click();
  await until(async () => (await status(page)).includes('Not saved — will retry'), 'the status line says not saved');
  assert.match(await alerts(page), /Not saved — will retry: .*browser storage is full/);
  assert.ok(await pressedNow(page, '1996 3-6'), 'the change is shown');
  // A second change while storage is full: both are kept.
  await ratio(page, '1996 6-9').click();
  await until(async () => pressedNow(page, '1996 6-9'), 'the second change is shown');
  // Hidden and shown again while still full: still not saved, nothing lost.
  await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
  assert.match(await status(page), /Not saved — will retry/);
  await setFull(page, false);
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  await until(async () => /saved \d/.test(await status(page)), 'the status line says saved');
  assert.doesNotMatch(await alerts(page), /Not saved/);
  await page.reload();
  await page.locator('.status .total').waitFor();
  await until(async () => (await pressedNow(page, '1996 3-6')) && (await pressedNow(page, '1996 6-9')), 'both changes after a reload');
  assert.deepEqual(errors, []);
  await context.close();
});

test('leaving with a change unsaved asks first', async () => {
  const context = await browser.newContext();
  const { page } = await open(context, undefined, { full: true });
  await ratio(page, '1996 3-6').click();
  await until(async () => (await status(page)).includes('Not saved — will retry'), 'not saved');
  const asked = new Promise((ok) => page.on('dialog', async (d) => { ok(d.type()); await d.accept(); }));
  await page.close({ runBeforeUnload: true });
  assert.equal(await asked, 'beforeunload');
  await context.close();
});

test('a database another tab deletes while a change is unsaved is opened again and the change saved', async () => {
  const context = await browser.newContext();
  const { page, errors } = await open(context, undefined, { full: true });
  await ratio(page, '1996 3-6').click();
  await until(async () => (await status(page)).includes('Not saved — will retry'), 'not saved');
  // Another tab of the site deletes the database: every connection of this
  // one closes on `versionchange`, so the deletion is not blocked.
  const other = await context.newPage();
  await other.goto(server.url + 'nothing-here');
  const deleted = await other.evaluate(() => new Promise((ok) => {
    const r = indexedDB.deleteDatabase('runoff');
    r.onsuccess = () => ok('deleted');
    r.onerror = () => ok(`error ${r.error}`);
    r.onblocked = () => ok('blocked');
  }));
  assert.equal(deleted, 'deleted');
  await setFull(page, false);
  await page.bringToFront();
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  await until(async () => /saved \d/.test(await status(page)), 'saved on a new connection');
  await page.reload();
  await page.locator('.status .total').waitFor();
  await until(() => pressedNow(page, '1996 3-6'), 'the change after a reload');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a database another page made without stores is repaired, not abandoned for localStorage', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = collectErrors(page);
  // Before the app opens it: `runoff` at the app's version, with no stores.
  await page.addInitScript(() => {
    if (sessionStorage.getItem('made')) return;
    sessionStorage.setItem('made', '1');
    const r = indexedDB.open('runoff', 2);
    r.onsuccess = () => r.result.close();
  });
  await page.goto(server.url + '#quarterly/chain-ladder');
  await page.locator('.status .total').waitFor();
  assert.doesNotMatch(await status(page), /localStorage/);
  await ratio(page, '1996 3-6').click();
  await until(async () => /saved \d/.test(await status(page)), 'saved');
  const stores = await page.evaluate(() => new Promise((ok) => {
    const r = indexedDB.open('runoff');
    r.onsuccess = () => { const db = r.result; const names = [...db.objectStoreNames]; db.close(); ok(names); };
  }));
  assert.deepEqual(stores.sort(), ['segments', 'sessions']);
  assert.equal(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('runoff.session.')).length), 0);
  await page.reload();
  await page.locator('.status .total').waitFor();
  await until(() => pressedNow(page, '1996 3-6'), 'the change after a reload');
  assert.deepEqual(errors, []);
  await context.close();
});

test('damaged stored segments are named in an alert and not opened; the others open', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(server.url + '#quarterly/chain-ladder');
  await page.locator('.status .total').waitFor();
  await page.evaluate(() => new Promise((ok, no) => {
    const r = indexedDB.open('runoff');
    r.onsuccess = () => {
      const db = r.result;
      const tx = db.transaction('segments', 'readwrite');
      const s = tx.objectStore('segments');
      s.put({ title: 'Broken', data: 'not bytes' }, 'broken');
      s.put({ data: new Uint8Array([1, 2, 3]) }, 'nameless');
      // Format 1, then bytes that do not make a record.
      s.put({ title: 'Cut short', data: new Uint8Array([1, 5, 200, 7]) }, 'cut');
      tx.oncomplete = () => { db.close(); ok(); };
      tx.onerror = () => no(tx.error);
    };
  }));
  await page.reload();
  await page.locator('.status .total').waitFor();
  await until(async () => /segment broken: its record holds no data/.test(await alerts(page)), 'the damaged record is named');
  assert.match(await alerts(page), /segment nameless: its record has no name/);
  const offered = await page.getByRole('combobox', { name: 'Segment' }).locator('option').allInnerTexts();
  assert.ok(!offered.includes('Broken') && offered.includes('quarterly'), offered.join(', '));
  // One that looks whole until its triangle is read: opening it says so.
  await page.goto(server.url + '#cut/data');
  await until(async () => /the stored segment cut is damaged/.test(await alerts(page)), 'opening the cut record says it is damaged');
  await page.goto(server.url + '#annual/chain-ladder');
  await page.locator('.status .total').waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('a save worker that never starts holds no save back', async () => {
  const context = await browser.newContext();
  // Its script is asked for and never comes.
  await context.route('**/saver*', () => {});
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(server.url + '#quarterly/chain-ladder');
  await page.locator('.status .total').waitFor();
  const start = Date.now();
  await ratio(page, '1996 3-6').click();
  await until(async () => /saved \d/.test(await status(page)), 'saved in the page', 2000);
  assert.ok(Date.now() - start < 2000);
  await page.reload();
  await page.locator('.status .total').waitFor();
  await until(() => pressedNow(page, '1996 3-6'), 'the change after a reload');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a save worker that dies while saving loses nothing: the change is saved again, in the page', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(server.url + '#quarterly/chain-ladder');
  await page.locator('.status .total').waitFor();
  // The save worker, once it has loaded its WebAssembly: until then, and
  // until it has opened the database, the page saves in its own thread,
  // and a worker not yet started could not be made to fail.
  let saver = null;
  await until(async () => {
    for (const w of page.workers()) {
      const loaded = await w.evaluate(() => performance.getEntriesByType('resource')
        .some((e) => e.name.includes('saver_bg') && e.responseEnd > 0)).catch(() => false);
      if (loaded) saver = w;
    }
    return saver !== null;
  }, 'the save worker loaded');
  // A first save, so that the save worker is open and saving.
  await ratio(page, '1996 6-9').click();
  await until(async () => /saved \d/.test(await status(page)), 'the first save');
  // The save worker dies in the middle of the next save: its write fails
  // and an error it does not catch stops it.
  await saver.evaluate(() => {
    IDBObjectStore.prototype.put = function () {
      setTimeout(() => { throw new Error('the save worker died'); });
      throw new DOMException('the test stopped the worker', 'AbortError');
    };
  });
  await ratio(page, '1996 3-6').click();
  await until(async () => (await status(page)).includes('Not saved — will retry'), 'not saved', 9000);
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  await until(async () => /saved \d/.test(await status(page)), 'saved again');
  // The page saves by itself from then on: the change is saved (a newer
  // version) before the reload, which would otherwise only be warned of.
  const version = () => page.locator('.status .version').innerText();
  const before = await version();
  await ratio(page, '1996 6-9').click();
  await until(async () => (await pressedNow(page, '1996 6-9')) === false, 'a change after the worker is gone');
  await until(async () => (await version()) !== before && /saved \d/.test(await status(page)), 'that change saved by the page');
  await page.reload();
  await page.locator('.status .total').waitFor();
  await until(async () => (await pressedNow(page, '1996 3-6')) && !(await pressedNow(page, '1996 6-9')), 'every change after a reload');
  assert.deepEqual(errors, []);
  await context.close();
});

test('where IndexedDB fails, the page works from localStorage, says so, and keeps an edit over a reload', async () => {
  const context = await browser.newContext();
  await context.addInitScript(() => {
    IDBFactory.prototype.open = () => { throw new DOMException('the test broke IndexedDB', 'UnknownError'); };
  });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(server.url + '#quarterly/chain-ladder');
  await page.locator('.status .total').waitFor();
  assert.match(await status(page), /localStorage/);
  await ratio(page, '1996 3-6').click();
  await until(async () => /saved \d/.test(await status(page)), 'saved');
  const stored = await page.evaluate(() => localStorage.getItem('runoff.session.quarterly'));
  assert.ok(stored && stored.includes('1996'), stored);
  await page.reload();
  await page.locator('.status .total').waitFor();
  await until(() => pressedNow(page, '1996 3-6'), 'the change after a reload');
  assert.deepEqual(errors, []);
  await context.close();
});
