// Cross-tab sync end to end: pages of one browser context are tabs (they
// share IndexedDB, localStorage and BroadcastChannel). What one tab saves,
// the others show; nothing two tabs do at once is lost.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, collectErrors, settle } from './harness.mjs';

const CHANNEL = 'runoff';
let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

// Records every message on the channel (a second BroadcastChannel in the
// page hears the app's own posts too), and lets a test make the tab deaf to
// the channel and to storage events, as a frozen background tab is.
const instrument = (channel) => {
  window.__heard = [];
  window.__deaf = false;
  const Native = window.BroadcastChannel;
  if (Native) {
    const spy = new Native(channel);
    spy.onmessage = (e) => window.__heard.push(e.data);
    window.__spy = spy;
    window.BroadcastChannel = class extends Native {
      constructor(name) {
        super(name);
        const add = this.addEventListener.bind(this);
        this.addEventListener = (type, f, o) => add(type, (e) => { if (!window.__deaf) f(e); }, o);
        let handler = null;
        Object.defineProperty(this, 'onmessage', {
          get: () => handler,
          set: (f) => { handler = f; add('message', (e) => { if (!window.__deaf && handler === f) f(e); }); },
        });
      }
    };
  }
  window.addEventListener('storage', (e) => { if (window.__deaf) e.stopImmediatePropagation(); }, true);
};

async function tab(context, hash = '#quarterly/chain-ladder') {
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.addInitScript(instrument, CHANNEL);
  await page.goto(server.url + hash);
  await page.locator('.status .total').waitFor();
  return { page, errors };
}

const ratio = (page, name) => page.getByRole('button', { name: `link ratio ${name}`, exact: true });
const statusTotal = (page) => page.locator('.status .total').innerText();

// Waits until `f()` is true.
const until = (f, what, timeout = 5000) => settle(f, true, what, timeout);

test('an edit in one tab shows in the other; own, stale and malformed messages are ignored', async () => {
  const context = await browser.newContext();
  const a = await tab(context);
  const b = await tab(context);
  await a.page.bringToFront();
  // What A announces, as B hears it: the message carries the session saved.
  await b.page.evaluate((channel) => {
    window.__heard = [];
    new BroadcastChannel(channel).onmessage = (e) => window.__heard.push(e.data);
  }, CHANNEL);
  await ratio(a.page, '1996 3-6').click();
  await until(async () => (await ratio(b.page, '1996 3-6').getAttribute('aria-pressed')) === 'true', 'B shows the drop');
  await until(async () => (await statusTotal(b.page)).includes('2,818.68'), 'B shows the new total');
  assert.match(await b.page.locator('.status').innerText(), /version 1\b/);

  // Messages a test posts on the channel: malformed, another segment, stale.
  await b.page.evaluate((channel) => {
    const c = new BroadcastChannel(channel);
    c.postMessage('not json');
    c.postMessage({ type: 'session_changed' });
    c.postMessage(JSON.stringify({ type: 'session_changed', user_key: 'quarterly', sync_version: 'x', origin_tab_id: 'z', updated_at: '2026-01-01T00:00:00Z' }));
    c.postMessage(JSON.stringify({ type: 'session_changed', user_key: 'quarterly', sync_version: 1, origin_tab_id: 'someone', updated_at: '2026-01-01T00:00:00Z' }));
    c.postMessage(JSON.stringify({ type: 'session_changed', user_key: 'annual', sync_version: 99, origin_tab_id: 'someone', updated_at: '2026-01-01T00:00:00Z' }));
    // Newer, with a session of that version that no save stands behind:
    // shown for a moment at most, then replaced by what storage holds.
    const real = window.__heard.map((m) => (typeof m === 'string' ? JSON.parse(m) : m)).find((m) => m.session);
    const fake = { ...JSON.parse(real.session), sync_version: 2, sync_origin_tab_id: 'someone', drop_high: true };
    c.postMessage({ ...real, sync_version: 2, origin_tab_id: 'someone', session: JSON.stringify(fake) });
    c.close();
  }, CHANNEL);
  await until(async () => /version 1\b/.test(await b.page.locator('.status').innerText()), 'B shows storage again');
  await b.page.waitForTimeout(200);
  assert.equal(await ratio(b.page, '1996 3-6').getAttribute('aria-pressed'), 'true');
  assert.match(await b.page.locator('.status').innerText(), /version 1\b/);
  await until(async () => (await statusTotal(b.page)).includes('2,818.68'), 'B shows the stored total');
  assert.deepEqual(a.errors, []);
  assert.deepEqual(b.errors, []);
  await context.close();
});

test('three tabs toggling different link ratios at once end identical, nothing lost', async () => {
  const context = await browser.newContext();
  const tabs = [await tab(context), await tab(context), await tab(context)];
  // Each tab toggles its own ratios; an odd number of clicks leaves a ratio dropped.
  const plan = [['1995 3-6', '1995 6-9'], ['1997 3-6', '1997 6-9'], ['1999 3-6', '1999 6-9']];
  const rounds = 7;
  await Promise.all(tabs.map(async ({ page }, k) => {
    for (let r = 0; r < rounds; r++) {
      for (const name of plan[k]) {
        if (r === rounds - 1 && name.endsWith('6-9')) continue; // 6-9 even: restored
        await ratio(page, name).click();
        await page.waitForTimeout(Math.floor(Math.random() * 15));
      }
    }
  }));
  const expected = {};
  for (const names of plan) { expected[names[0]] = 'true'; expected[names[1]] = 'false'; }
  const state = async (page) => {
    const out = {};
    for (const name of Object.keys(expected)) out[name] = await ratio(page, name).getAttribute('aria-pressed');
    return out;
  };
  for (const { page } of tabs) {
    await until(async () => JSON.stringify(await state(page)) === JSON.stringify(expected), 'all changes shown');
  }
  const versions = await Promise.all(tabs.map(({ page }) => page.locator('.status .version').innerText()));
  assert.equal(new Set(versions).size, 1, `versions shown: ${versions}`);
  // Every save announced a version of its own.
  const heard = await tabs[0].page.evaluate(() => window.__heard
    .map((m) => (typeof m === 'string' ? JSON.parse(m) : m)).filter((m) => m.type === 'session_changed'));
  const used = heard.map((m) => m.sync_version);
  assert.equal(new Set(used).size, used.length, `a version was used twice: ${used}`);
  assert.equal(used.length, 3 * (2 * rounds - 1), 'one save per click');
  // A reload shows the same.
  const fresh = await tab(context);
  assert.deepEqual(await state(fresh.page), expected);
  assert.equal(await fresh.page.locator('.status .version').innerText(), versions[0]);
  await context.close();
});

test('without BroadcastChannel, tabs follow through storage events', async () => {
  const context = await browser.newContext();
  await context.addInitScript(() => { delete window.BroadcastChannel; });
  const a = await tab(context);
  const b = await tab(context);
  await a.page.bringToFront();
  await ratio(a.page, '1996 3-6').click();
  await until(async () => (await ratio(b.page, '1996 3-6').getAttribute('aria-pressed')) === 'true', 'B follows');
  await until(async () => (await statusTotal(b.page)).includes('2,818.68'), 'B total');
  await ratio(b.page, '1996 3-6').click();
  await until(async () => (await ratio(a.page, '1996 3-6').getAttribute('aria-pressed')) === 'false', 'A follows');
  assert.deepEqual(a.errors, []);
  await context.close();
});

test('a tab of another segment is not disturbed; a hidden tab catches up when shown', async () => {
  const context = await browser.newContext();
  const a = await tab(context);
  const other = await tab(context, '#annual/chain-ladder');
  const hidden = await tab(context);
  await hidden.page.evaluate(() => { window.__deaf = true; });
  const otherBefore = await other.page.locator('.status').innerText();
  await a.page.bringToFront();
  await ratio(a.page, '1996 3-6').click();
  await until(async () => (await statusTotal(a.page)).includes('2,818.68'), 'A recalculated');
  await a.page.waitForTimeout(300);
  assert.equal(await ratio(hidden.page, '1996 3-6').getAttribute('aria-pressed'), 'false', 'deaf tab did not hear');
  assert.equal(await other.page.locator('.status').innerText(), otherBefore);
  // Shown again: the page lifecycle events make it compare with storage.
  await hidden.page.evaluate(() => {
    window.__deaf = false;
    document.dispatchEvent(new Event('visibilitychange'));
    window.dispatchEvent(new Event('focus'));
  });
  await until(async () => (await ratio(hidden.page, '1996 3-6').getAttribute('aria-pressed')) === 'true', 'caught up');
  await context.close();
});

test('saves run in the save worker: the page itself writes nothing to IndexedDB', async () => {
  const context = await browser.newContext();
  // Counts the page's own writes (an init script does not reach workers).
  await context.addInitScript(() => {
    window.__puts = 0;
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (...args) {
      if (this.name === 'sessions') window.__puts += 1;
      return put.apply(this, args);
    };
  });
  const a = await tab(context);
  const b = await tab(context);
  await a.page.bringToFront();
  for (const name of ['1996 3-6', '1997 3-6']) await ratio(a.page, name).click();
  await until(async () => (await ratio(b.page, '1997 3-6').getAttribute('aria-pressed')) === 'true', 'B follows');
  assert.match(await a.page.locator('.status').innerText(), /version 2\b/);
  assert.equal(await a.page.evaluate(() => window.__puts), 0, 'the page wrote the session itself');
  // Stored, as a fresh tab reads it.
  const fresh = await tab(context);
  assert.equal(await ratio(fresh.page, '1996 3-6').getAttribute('aria-pressed'), 'true');
  assert.match(await fresh.page.locator('.status').innerText(), /version 2\b/);
  assert.deepEqual(a.errors, []);
  await context.close();
});
