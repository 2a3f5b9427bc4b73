// The core of the workbench end to end in the browsers actuaries have beside
// Chromium: Firefox ESR and WebKit, each driven through its own WebDriver.
// Opening a segment, a judgement that recalculates, undo, a reload that keeps
// it, a second tab that follows it, and importing a claims file, with the
// figures the Chromium tests (tests/e2e/) and chainladder-python give.
//
// RUNOFF_BROWSERS chooses the browsers (default: firefox,webkit); WebKit
// needs a display, so the whole file runs under `xvfb-run -a`. Every wait
// polls the page until a deadline; none sleeps for a fixed time.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '../e2e/harness.mjs';
import { start } from './webdriver.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const sample = (name) => path.join(root, 'target/samples', name);
const wanted = (process.env.RUNOFF_BROWSERS || 'firefox,webkit').split(',').map((s) => s.trim()).filter(Boolean);
/** How long the page may take to show what a step leads to. */
const SETTLE_MS = 10_000;
/** How long the first save may take while the save worker is held back:
 * well under the 5 s the page once waited for the worker. */
const SAVE_WHILE_HELD_MS = 2_500;
/** How long the first page load may take (WebAssembly compiles then). */
const LOAD_MS = 30_000;

/**
 * Reads `read()` until `ok(value)` and returns that value; after `timeout`
 * ms it fails, naming `what` and the last value read.
 */
async function until(read, ok, what, timeout = SETTLE_MS) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    last = await read();
    if (ok(last)) return last;
    if (Date.now() > deadline) throw new Error(`${what}: last read ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

// What the page shows, read in the page (plain DOM, as Playwright's
// locators in tests/e2e/harness.mjs read it).

/** The Results table's Total row, cell by column header; {} until shown. */
function totalsInPage() {
  const table = document.querySelector('table[aria-label="Results"]');
  if (!table) return {};
  const headers = [...table.querySelectorAll('thead th')].map((th) => th.innerText.trim());
  const rows = table.querySelectorAll('tr');
  const cells = [...rows[rows.length - 1].querySelectorAll('th, td')].map((c) => c.innerText.trim());
  return Object.fromEntries(headers.map((h, i) => [h, cells[i] ?? '']));
}

/** The first element matching `selector` whose accessible name (aria-label,
 * else its text) is exactly `name`; null if none. */
function byName(selector, name) {
  return [...document.querySelectorAll(selector)]
    .find((e) => (e.getAttribute('aria-label') ?? e.textContent).trim() === name) ?? null;
}

/** Records errors the page meets from now on in window.__errors (WebDriver
 * has no way to add a script before the page's own). */
function recordErrors() {
  if (window.__errors) return;
  window.__errors = [];
  addEventListener('error', (e) => window.__errors.push(`error: ${e.message}`));
  addEventListener('unhandledrejection', (e) => window.__errors.push(`unhandled: ${e.reason}`));
  // The page's Content Security Policy: what a browser refuses is an error.
  document.addEventListener('securitypolicyviolation', (e) => window.__errors.push(`policy: ${e.violatedDirective} ${e.blockedURI}`));
  const log = console.error.bind(console);
  console.error = (...a) => { window.__errors.push(`console: ${a.join(' ')}`); log(...a); };
}

/** The page in one browser, with the steps the tests take in it. */
class Page {
  constructor(session, url) { this.s = session; this.url = url; }

  async open(hash) {
    await this.s.goto(this.url + hash);
    await this.loaded();
  }

  async loaded() {
    await until(() => this.s.run(() => (document.querySelector('.status .total') ? '' : `${location.href} ${document.readyState}: ${document.body?.innerText.slice(0, 200)}`)),
      (v) => v === '', 'the status line shows a total', LOAD_MS);
    await this.s.run(recordErrors);
  }

  async errors() { return this.s.run(() => window.__errors ?? []); }
  status() { return this.s.run(() => document.querySelector('.status')?.innerText ?? ''); }

  /** The element `selector` named `name`, once the page shows it. */
  find(selector, name) {
    return until(() => this.s.run(byName, selector, name), Boolean, `${selector} named ${name}`);
  }

  async showView(name) { await (await this.find('[role=tab]', name)).click(); }
  async press(name) { await (await this.find('button', name)).click(); }

  /** Waits until the Results view's total IBNR reads `expected`. */
  async expectIbnr(expected, timeout = SETTLE_MS) {
    await this.showView('Results');
    return until(async () => (await this.s.run(totalsInPage)).IBNR, (v) => v === expected, `total IBNR, expected ${expected}`, timeout);
  }

  /** Waits until the button named `name` has aria-pressed `value`. */
  async pressed(name, value) {
    await until(() => this.s.run((n) => {
      const b = [...document.querySelectorAll('button')].find((e) => e.getAttribute('aria-label') === n);
      return b?.getAttribute('aria-pressed');
    }, name), (v) => v === value, `aria-pressed of ${name}, expected ${value}`);
  }
}

const RATIO = 'link ratio 1996 3-6';

/**
 * A loopback server in front of `upstream` that holds back the save
 * worker's WebAssembly until `release()`: a page it serves has a save worker
 * that has not started. Resolves to { url, release, close }.
 */
async function holdingSaver(upstream) {
  let release;
  const released = new Promise((ok) => { release = ok; });
  const server = http.createServer(async (req, res) => {
    if (req.url.startsWith('/saver_bg.wasm')) await released;
    const answer = await fetch(upstream + req.url.slice(1));
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/octet-stream' });
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    release,
    close: () => { release(); server.closeAllConnections(); return new Promise((ok) => server.close(ok)); },
  };
}


for (const name of wanted) {
  describe(`${name}: the core of the workbench`, { concurrency: false }, () => {
    let server, session, page;
    before(async () => {
      server = await serve();
      session = await start(name);
      page = new Page(session, server.url);
    });
    after(async () => { await session?.close(); await server?.close(); });

    test('quarterly opens with the figures Chromium shows', async () => {
      await page.open('#quarterly/chain-ladder');
      assert.match(await page.status(), /Segment quarterly/);
      // chainladder-python's Chainladder on quarterly (as tests/e2e/dashboard.test.mjs).
      await page.expectIbnr('2,775.89');
      assert.deepEqual(await page.errors(), []);
    });

    test('dropping a link ratio recalculates, undo and redo follow, a reload keeps it', async () => {
      await page.showView('Chain ladder');
      await page.pressed(`${RATIO}`, 'false');
      await (await page.find('button', RATIO)).click();
      await page.pressed(RATIO, 'true');
      // chainladder-python with drop=('1996', 3): total IBNR 2818.68.
      await page.expectIbnr('2,818.68');
      await page.press('Undo');
      await page.expectIbnr('2,775.89');
      await page.press('Redo');
      await page.expectIbnr('2,818.68');
      // Saved: the status line says when, and a reload shows it again.
      await until(() => page.status(), (t) => /saved \d/.test(t), 'the status line says saved');
      assert.deepEqual(await page.errors(), []);
      await session.refresh();
      await page.loaded();
      await page.expectIbnr('2,818.68');
      await page.showView('Chain ladder');
      await page.pressed(RATIO, 'true');
    });

    test('a second tab follows an edit made in the first, without a reload', async () => {
      const first = await session.handle();
      const second = await session.newWindow();
      await session.switchTo(second);
      const other = new Page(session, server.url);
      await other.open('#quarterly/results');
      await other.expectIbnr('2,818.68');
      await session.switchTo(first);
      await page.showView('Chain ladder');
      await (await page.find('button', RATIO)).click();
      await page.pressed(RATIO, 'false');
      await page.expectIbnr('2,775.89');
      await session.switchTo(second);
      await other.expectIbnr('2,775.89');
      assert.deepEqual(await other.errors(), []);
      await session.cmd('DELETE', '/window');
      await session.switchTo(first);
    });

    // A save worker that has not started must not hold the first save
    // back: in WebKit it took up to seconds to download, compile and open
    // its database, and the first click's save waited for it (up to 5 s).
    test('the first save is shown while the save worker is still loading', async () => {
      const held = await holdingSaver(server.url);
      try {
        const fresh = new Page(session, held.url);
        await fresh.open('#quarterly/chain-ladder');
        await (await fresh.find('button', RATIO)).click();
        await until(() => fresh.status(), (t) => /version 1\b/.test(t) && /saved \d/.test(t),
          'the status line says version 1, saved', SAVE_WHILE_HELD_MS);
        await fresh.expectIbnr('2,818.68');
        held.release();
        // Once the worker runs, saves go on from what the page saved.
        await fresh.showView('Chain ladder');
        await (await fresh.find('button', RATIO)).click();
        await until(() => fresh.status(), (t) => /version 2\b/.test(t), 'the status line says version 2');
        await fresh.expectIbnr('2,775.89');
        assert.deepEqual(await fresh.errors(), []);
      } finally {
        await held.close();
        await page.open('#quarterly/results');
      }
    });

    test('raa.csv imports through the import panel and reserves as chainladder-python', async () => {
      const input = await until(() => session.run(() => document.querySelector('input[type=file][aria-label="Import claims"]')), Boolean, 'the Import claims input');
      await input.sendKeys(sample('raa.csv'));
      await until(() => session.run(() => document.querySelector('section.import')?.innerText ?? ''),
        (t) => t.includes('55 rows read: 10 yearly origins (1981 to 1990)'), 'the import panel reads raa.csv');
      assert.equal(await session.run(() => document.querySelector('[aria-label="Name of the new segment"]').value), 'raa');
      const button = await until(() => session.run(() => {
        const b = [...document.querySelectorAll('section.import button')].find((e) => e.textContent.trim() === 'Import');
        return b && !b.disabled ? b : null;
      }), Boolean, 'the Import button, enabled');
      await button.click();
      await until(() => session.run(() => !document.querySelector('section.import')), Boolean, 'the import panel closes');
      // chainladder-python 0.10.1: Chainladder().fit(raa).ibnr_.sum() = 52135.2276.
      await page.expectIbnr('52,135.23');
      assert.match(await session.run(() => location.hash), /^#raa\/results$/);
      assert.deepEqual(await page.errors(), []);
    });
  });
}
