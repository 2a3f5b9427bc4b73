// Hostile texts from any page of the same origin: what it posts on the
// channel, writes to the localStorage signal key or stores as a segment's
// session is measured before it is read (engine/src/limits.rs), so no tab
// traps, the tabs keep following each other, and a stored session that
// does not read is named while its segment still opens. And the page's
// Content Security Policy: present, and it refuses what the app does not do.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, collectErrors, settle, showView, dist } from './harness.mjs';

const CHANNEL = 'runoff';
const MESSAGE_KEY = 'runoff.message';
let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

async function tab(context, hash = '#quarterly/chain-ladder') {
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(server.url + hash);
  await page.locator('.status .total').waitFor();
  return { page, errors };
}

const ratio = (page, name) => page.getByRole('button', { name: `link ratio ${name}`, exact: true });
const statusTotal = (page) => page.locator('.status .total').innerText();
const until = (f, what, timeout = 10_000) => settle(f, true, what, timeout);

// Posts every hostile message on the channel and writes each to the
// signal key; runs in a page of the origin.
function postHostile({ channel, key }) {
  const nested = '['.repeat(200_000) + ']'.repeat(200_000);
  const envelope = { type: 'session_changed', user_key: 'quarterly', origin_tab_id: 'hostile', updated_at: '2026-01-01T00:00:00Z' };
  const texts = [
    nested,
    '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000),
    JSON.stringify({ ...envelope, sync_version: 9, session: 'x'.repeat(5_000_000) }),
    'x'.repeat(5_000_000),
    JSON.stringify({ ...envelope, sync_version: '9' }),
    JSON.stringify({ ...envelope, sync_version: 9, user_key: 7, updated_at: [] }),
    JSON.stringify({ ...envelope, sync_version: 9 }).replace('9', '1152921504606846976'),
    JSON.stringify({ ...envelope, sync_version: 2 ** 53 }),
    JSON.stringify({ ...envelope, sync_version: 1e300 }),
    JSON.stringify({ ...envelope, sync_version: 9, session: nested }),
  ];
  const c = new BroadcastChannel(channel);
  for (const t of texts) c.postMessage(t);
  // Structured values too: a deep object, a version of 2^60.
  let deep = {};
  for (let i = 0; i < 100_000; i++) deep = { a: deep };
  try { c.postMessage(deep); } catch { /* too deep to clone: not sent */ }
  c.postMessage({ ...envelope, sync_version: 2 ** 60 });
  c.close();
  // The signal key fires `storage` in the other tabs; its quota is a few
  // MB, so the large text there is 2 MB (over the 1 MiB limit).
  for (const t of [nested, 'x'.repeat(2_000_000), texts[4], texts[6], texts[8]]) {
    try { localStorage.setItem(key, t); } catch { /* over quota */ }
  }
  localStorage.removeItem(key);
  return texts.length;
}

test('hostile messages on the channel and the signal key: every tab keeps following and recalculating', async () => {
  const context = await browser.newContext();
  const a = await tab(context);
  const b = await tab(context);
  // A third page of the origin (not the app's: a page of the server's
  // 404) sends them.
  const hostile = await context.newPage();
  await hostile.goto(`${server.url}not-the-app`);
  assert.equal(await hostile.evaluate(postHostile, { channel: CHANNEL, key: MESSAGE_KEY }), 10);
  // And from a tab of the app itself.
  await a.page.evaluate(postHostile, { channel: CHANNEL, key: MESSAGE_KEY });
  await a.page.bringToFront();
  await ratio(a.page, '1996 3-6').click();
  await until(async () => (await statusTotal(a.page)).includes('2,818.68'), 'A recalculates its own edit');
  await until(async () => (await ratio(b.page, '1996 3-6').getAttribute('aria-pressed')) === 'true', 'B follows A');
  await until(async () => (await statusTotal(b.page)).includes('2,818.68'), 'B shows the new total');
  // No hostile version was taken: the version shown is the one saved.
  assert.match(await b.page.locator('.status').innerText(), /version 1\b/);
  await b.page.bringToFront();
  await ratio(b.page, '1996 3-6').click();
  await until(async () => (await ratio(a.page, '1996 3-6').getAttribute('aria-pressed')) === 'false', 'A follows B');
  await until(async () => /version 2\b/.test(await a.page.locator('.status').innerText()), 'A shows version 2');
  assert.deepEqual(a.errors, []);
  assert.deepEqual(b.errors, []);
  await context.close();
});

// Stores `text` as the session of `segment`, as the save worker does: the
// database `runoff`, store `sessions`, key the segment, value the text.
function storeSession({ segment, text }) {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('runoff');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const tx = db.transaction('sessions', 'readwrite');
      tx.objectStore('sessions').put(text, segment);
      tx.oncomplete = () => { db.close(); resolve(); };
      tx.onerror = () => reject(tx.error);
    };
  });
}

test('a hostile session stored under a segment is named, and the segment still opens', async () => {
  const context = await browser.newContext();
  const a = await tab(context);
  const cases = [
    ['['.repeat(200_000) + ']'.repeat(200_000), 'nested more than 64 levels deep'],
    [JSON.stringify({ future: 'x'.repeat(5_000_000) }), 'more than the 4194304 allowed'],
    [JSON.stringify({ sync_version: 2 ** 60 }), '9007199254740991'],
  ];
  for (const [text, named] of cases) {
    await a.page.evaluate(storeSession, { segment: 'quarterly', text });
    await a.page.reload();
    await a.page.locator('.status .total').waitFor();
    await until(async () => (await a.page.locator('body').innerText()).includes(named), `the notice names "${named}"`);
    // The segment opens from defaults, with its triangle and figures.
    assert.equal(await ratio(a.page, '1996 3-6').getAttribute('aria-pressed'), 'false');
    await until(async () => (await statusTotal(a.page)).length > 0, 'a total shown');
  }
  assert.deepEqual(a.errors, []);
  await context.close();
});

test('the Content Security Policy allows WebAssembly, not eval, and blocks an injected inline script', async () => {
  const context = await browser.newContext();
  const a = await tab(context);
  const csp = await a.page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  assert.ok(csp, 'no Content-Security-Policy meta');
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/]+=*'/);
  assert.doesNotMatch(csp, /'unsafe-eval'/);
  assert.doesNotMatch(csp, /INLINE-SCRIPT-HASHES/);
  for (const d of ["base-uri 'none'", "form-action 'none'", "object-src 'none'"]) assert.ok(csp.includes(d), d);
  const ran = await a.page.evaluate(() => new Promise((resolve) => {
    document.addEventListener('securitypolicyviolation', (e) => resolve({ ran: !!window.__injected, directive: e.effectiveDirective }), { once: true });
    const s = document.createElement('script');
    s.textContent = 'window.__injected = true';
    document.head.append(s);
  }));
  assert.deepEqual(ran, { ran: false, directive: 'script-src-elem' });
  assert.equal(await a.page.evaluate(() => window.__injected), undefined);
  // The harness counts the refusal as an error, as it would any other.
  await until(async () => a.errors.some((e) => /Content Security Policy/.test(e)), 'the violation is reported');
  assert.ok(a.errors.every((e) => /Content Security Policy/.test(e)), a.errors.join('\n'));
  await context.close();
});

test('served from a folder whose name has .js in it, every worker loads its own WebAssembly', async () => {
  // The folder stands for a host such as x.js.org: a worker's .wasm is its
  // script's address with only the final .js replaced.
  const { mkdtemp, symlink, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const root = await mkdtemp(join(tmpdir(), 'runoff-host-'));
  await symlink(dist, join(root, 'app.js'));
  const hosted = await serve(root);
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const errors = collectErrors(page);
    await page.goto(hosted.url + 'app.js/#quarterly/chain-ladder');
    await page.locator('.status .total').waitFor({ timeout: 15_000 });
    const before = await statusTotal(page);
    await ratio(page, '1996 3-6').click();
    await until(async () => (await statusTotal(page)) !== before, 'the click recalculates');
    // The reserve range, which has a worker of its own.
    await showView(page, 'Reserve range');
    await page.getByRole('table', { name: 'Reserve distribution' }).waitFor({ timeout: 30_000 });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    await hosted.close();
    await rm(root, { recursive: true, force: true });
  }
});
