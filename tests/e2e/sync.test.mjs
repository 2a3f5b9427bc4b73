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
// page hears the app's own posts too), counts the messages the app's sync
// channel has handled and the page's reads of stored sessions, records every
// text the status line shows, and lets a test make the tab deaf to the
// channel and to storage events, as a frozen background tab is.
const instrument = (channel) => {
  window.__heard = [];
  window.__handled = 0;
  window.__reads = 0;
  window.__deaf = false;
  window.__texts = [];
  const Native = window.BroadcastChannel;
  if (Native) {
    const spy = new Native(channel);
    spy.onmessage = (e) => window.__heard.push(e.data);
    window.__spy = spy;
    window.BroadcastChannel = class extends Native {
      constructor(name) {
        super(name);
        // Only the sync channel: the recalculation's reply channel is the
        // page's own business.
        if (name !== channel) return;
        const add = this.addEventListener.bind(this);
        const handled = (f) => (e) => {
          if (window.__deaf) return;
          f(e);
          window.__handled += 1;
        };
        this.addEventListener = (type, f, o) => add(type, handled(f), o);
        let handler = null;
        Object.defineProperty(this, 'onmessage', {
          get: () => handler,
          set: (f) => { handler = f; add('message', handled((e) => { if (handler === f) f(e); })); },
        });
      }
    };
  }
  window.addEventListener('storage', (e) => { if (window.__deaf) e.stopImmediatePropagation(); }, true);
  const get = IDBObjectStore.prototype.get;
  IDBObjectStore.prototype.get = function (...args) {
    if (this.name === 'sessions') window.__reads += 1;
    return get.apply(this, args);
  };
  new MutationObserver(() => {
    const text = document.querySelector('.status')?.textContent;
    if (text !== undefined && text !== window.__texts.at(-1)) window.__texts.push(text);
  }).observe(document, { subtree: true, childList: true, characterData: true });
};

// The messages a tab's spy heard, read (a test's malformed ones left out).
const heard = (page) => page.evaluate(() => window.__heard.flatMap((m) => {
  if (typeof m !== 'string') return [m];
  try { return [JSON.parse(m)]; } catch { return []; }
}));

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

test('an edit in one tab shows in the other; malformed, other-segment, stale, own and forged messages are ignored', async () => {
  const context = await browser.newContext();
  const a = await tab(context);
  const b = await tab(context);
  const version = (page) => page.locator('.status .version').innerText();
  // B saves version 1; A follows.
  await b.page.bringToFront();
  await ratio(b.page, '1996 3-6').click();
  await until(async () => (await ratio(a.page, '1996 3-6').getAttribute('aria-pressed')) === 'true', 'A shows the drop');
  await until(async () => (await statusTotal(a.page)).includes('2,818.68'), 'A shows the new total');
  assert.equal(await version(a.page), ' · version 1');
  // B's own tab id, as its message carries it (B's spy hears B's posts).
  const mine = (await heard(b.page)).find((m) => m.type === 'session_changed');
  assert.equal(mine.sync_version, 1);

  // While B is deaf, A saves `drop` as the next version; then B hears the
  // messages `before(real)` gives, from one channel, in order, and last
  // A's real message. A channel delivers one sender's messages in order,
  // so once B shows A's version it has handled every message before.
  const hearAfter = async (drop, expected, before) => {
    await b.page.evaluate(() => { window.__deaf = true; });
    await a.page.bringToFront();
    await ratio(a.page, drop).click();
    const real = await settle(async () => (await heard(b.page)).find((m) => m.sync_version === expected && m.session),
      (m) => m !== undefined, `A's message of version ${expected}`);
    assert.equal(await ratio(b.page, drop).getAttribute('aria-pressed'), 'false', 'B is deaf');
    const handled = await b.page.evaluate(() => { window.__deaf = false; window.__texts = []; return window.__handled; });
    const posts = [...before(real), real];
    await b.page.evaluate(([channel, posts]) => {
      const c = new BroadcastChannel(channel);
      for (const m of posts) c.postMessage(m);
      c.close();
    }, [CHANNEL, posts]);
    await until(async () => (await ratio(b.page, drop).getAttribute('aria-pressed')) === 'true', `B shows ${drop}`);
    await settle(() => version(b.page), ` · version ${expected}`, 'the version B shows');
    assert.equal(await b.page.evaluate(() => window.__handled) - handled, posts.length, 'every message reached B');
    return b.page.evaluate(() => window.__texts);
  };
  const session = (real, changes) => JSON.stringify({ ...JSON.parse(real.session), ...changes });

  const seen = await hearAfter('1997 3-6', 2, (real) => [
    'not json',
    { type: 'session_changed' },
    JSON.stringify({ type: 'session_changed', user_key: 'quarterly', sync_version: 'x', origin_tab_id: 'z', updated_at: '2026-01-01T00:00:00Z' }),
    // Another segment's, newer.
    JSON.stringify({ type: 'session_changed', user_key: 'annual', sync_version: 99, origin_tab_id: 'someone', updated_at: '2026-01-01T00:00:00Z' }),
    // Stale: not newer than the version B shows.
    JSON.stringify({ type: 'session_changed', user_key: 'quarterly', sync_version: 1, origin_tab_id: 'someone', updated_at: '2026-01-01T00:00:00Z' }),
    // B's own, newer and with a session of its own: heard back, never shown.
    { ...real, sync_version: 9, origin_tab_id: mine.origin_tab_id,
      session: session(real, { sync_version: 9, sync_origin_tab_id: mine.origin_tab_id, drop_high: true }) },
  ]);
  assert.ok(!seen.some((t) => /version 9\b/.test(t)), `B showed its own message's session: ${seen}`);
  assert.ok(!seen.some((t) => /version 99\b/.test(t)), `B showed another segment's version: ${seen}`);
  assert.equal(await b.page.getByLabel('Drop highest', { exact: true }).isChecked(), false);

  // Forged: newer, from another tab, with a session that no save stands
  // behind. Shown for a moment at most, then replaced by what storage holds.
  const shown = await hearAfter('1998 3-6', 3, (real) => [
    { ...real, sync_version: 9, origin_tab_id: 'someone',
      session: session(real, { sync_version: 9, sync_origin_tab_id: 'someone', drop_high: true }) },
  ]);
  assert.equal(await b.page.getByLabel('Drop highest', { exact: true }).isChecked(), false);
  assert.equal(await ratio(b.page, '1996 3-6').getAttribute('aria-pressed'), 'true');
  // The status line's texts are recorded as rendered: the forged version
  // was rendered here, so the own message's would have been seen above.
  assert.ok(shown.some((t) => /version 9\b/.test(t)), `the forged session was never rendered: ${shown}`);
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
    const clicks = {};
    for (let r = 0; r < rounds; r++) {
      for (const name of plan[k]) {
        if (r === rounds - 1 && name.endsWith('6-9')) continue; // 6-9 even: restored
        await ratio(page, name).click();
        // The next click waits for this one to be shown in its tab, as a
        // user's would; the three tabs click at once.
        clicks[name] = (clicks[name] ?? 0) + 1;
        await until(async () => (await ratio(page, name).getAttribute('aria-pressed')) === String(clicks[name] % 2 === 1), `${name} shown`);
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
  // A reload shows the same, once it has read storage (a tab shows the
  // defaults' figures until then, and its total may come first).
  const fresh = await tab(context);
  await until(async () => (await fresh.page.locator('.status .version').innerText()) === versions[0], 'the fresh tab reads storage');
  assert.deepEqual(await state(fresh.page), expected);
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
  // In the other segment's tab, what a needless reload would undo: a
  // number typed and not yet entered, the focus in that field, and the grid
  // element (a mark on it); and a count of its reads of storage.
  const field = other.page.getByLabel('Latest n periods', { exact: true });
  await field.click();
  await other.page.keyboard.type('3');
  const before = await other.page.evaluate(() => {
    window.__grid = document.querySelector('table[aria-label="Link ratios"]');
    window.__grid.__mark = true;
    return { reads: window.__reads, handled: window.__handled, status: document.querySelector('.status').textContent };
  });
  await a.page.bringToFront();
  await ratio(a.page, '1996 3-6').click();
  await until(async () => (await statusTotal(a.page)).includes('2,818.68'), 'A recalculated');
  // The message reached both: the other tab's channel handled it, the deaf
  // tab's spy heard it.
  await until(async () => (await other.page.evaluate(() => window.__handled)) > before.handled, 'the other tab handled the message');
  await until(async () => (await heard(hidden.page)).some((m) => m.sync_version === 1), 'the message reached the hidden tab');
  assert.equal(await ratio(hidden.page, '1996 3-6').getAttribute('aria-pressed'), 'false', 'deaf tab did not hear');
  const after = await other.page.evaluate(() => ({
    reads: window.__reads,
    status: document.querySelector('.status').textContent,
    grid: document.querySelector('table[aria-label="Link ratios"]') === window.__grid && window.__grid.__mark === true,
    focus: document.activeElement?.getAttribute('aria-label'),
  }));
  assert.equal(after.reads, before.reads, 'the other tab read its session again');
  assert.equal(after.grid, true, 'the other tab\'s grid was rendered anew');
  assert.equal(after.focus, 'Latest n periods', 'the other tab lost the focus');
  assert.equal(await field.inputValue(), '3', 'the other tab lost what was typed');
  assert.equal(after.status, before.status);
  // Shown again: the page lifecycle events make it compare with storage
  // (a read the count sees).
  const reads = await hidden.page.evaluate(() => window.__reads);
  await hidden.page.evaluate(() => {
    window.__deaf = false;
    document.dispatchEvent(new Event('visibilitychange'));
    window.dispatchEvent(new Event('focus'));
  });
  await until(async () => (await ratio(hidden.page, '1996 3-6').getAttribute('aria-pressed')) === 'true', 'caught up');
  assert.ok((await hidden.page.evaluate(() => window.__reads)) > reads, 'the catch-up read storage');
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
