// Shared set-up of the end-to-end tests: a static server for dist/ on
// loopback (any static host would do; the app is only files) and a headless
// Chromium driven by Playwright.
import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// RUNOFF_DIST: another build to test (e.g. a quick debug build).
export const dist = process.env.RUNOFF_DIST || path.join(root, 'dist');

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.csv': 'text/csv',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
};

/** Serves `dir` on 127.0.0.1 at a free port; resolves to { url, close }. */
export async function serve(dir = dist) {
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    let file = path.join(dir, decodeURIComponent(url.pathname));
    if (!file.startsWith(dir)) { res.writeHead(403).end(); return; }
    try {
      if ((await fs.stat(file)).isDirectory()) file = path.join(file, 'index.html');
      const body = await fs.readFile(file);
      res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((ok) => server.close(ok)) };
}

/** A headless Chromium from the system's package (no browser download). */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Collects the page's console errors and uncaught exceptions. */
export function collectErrors(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  // Anything the Content Security Policy refuses (or a directive it does
  // not understand, which Chromium warns of) fails the test, so the
  // policy in index.html is held to what the app does.
  page.on('console', (m) => {
    if (m.type() !== 'error' && /Content Security Policy/i.test(m.text())) errors.push(`csp: ${m.text()}`);
  });
  page.addInitScript(() => document.addEventListener('securitypolicyviolation', (e) => {
    console.error(`Content Security Policy violation: ${e.effectiveDirective} ${e.blockedURI}`);
  })).catch(() => {});
  return errors;
}

/** The text of the results table's Total row, cell by column header. */
export async function totals(page) {
  const table = page.getByRole('table', { name: 'Results' });
  const headers = await table.locator('thead th').allInnerTexts();
  const cells = await table.locator('tr').last().locator('th, td').allInnerTexts();
  return Object.fromEntries(headers.map((h, i) => [h.trim(), (cells[i] ?? '').trim()]));
}

/** The text of one cell of a table, by the row's header and the column's. */
export async function cell(page, tableName, rowHeader, columnHeader) {
  const table = page.getByRole('table', { name: tableName });
  const headers = (await table.locator('thead tr').last().locator('th').allInnerTexts()).map((h) => h.trim());
  const col = headers.indexOf(columnHeader);
  if (col < 0) throw new Error(`no column ${columnHeader} in ${headers}`);
  const row = table.locator('tr').filter({ has: page.locator('th', { hasText: new RegExp(`^\\s*${rowHeader}\\s*$`) }) });
  return (await row.first().locator('th, td').nth(col).innerText()).trim();
}

/** Shows a view by clicking its tab. */
export async function showView(page, name) {
  await page.getByRole('tab', { name }).click();
}

/** The total IBNR in the Results view, once no recalculation is running. */
export async function totalIbnr(page) {
  await showView(page, 'Results');
  await page.locator('.status:not(:has(.busy))').waitFor();
  return (await totals(page)).IBNR;
}

/**
 * Reads `read()` until it gives `expected` (a value, or a predicate on what
 * was read) and returns what it read; after `timeout` ms it fails, naming
 * `what` and the last value read.
 */
export async function settle(read, expected, what, timeout = 5000) {
  const ok = typeof expected === 'function' ? expected : (v) => v === expected;
  const start = Date.now();
  let last;
  while (Date.now() - start < timeout) {
    last = await read();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${what} is ${last}, expected ${typeof expected === 'function' ? 'otherwise' : expected}`);
}

/** Waits until the Results view's total IBNR reads `expected`. */
export async function expectIbnr(page, expected, timeout = 5000) {
  await showView(page, 'Results');
  await settle(async () => (await totals(page).catch(() => ({}))).IBNR, expected, 'total IBNR', timeout);
}

/** Waits until `locator`'s aria-pressed reads `value` (a click is rendered
 * with its results, a few milliseconds after the click). */
export async function pressed(locator, value, timeout = 5000) {
  await settle(() => locator.getAttribute('aria-pressed'), value, 'aria-pressed', timeout);
}

/**
 * The figures of chainladder-python 0.10.1 that the page must show, case by
 * case (tests/fixtures/page/<name>.json, written by scripts/fixtures/page.py
 * from the same sample files with the settings each case names).
 */
export async function reference(name = 'quarterly') {
  const file = path.join(root, 'tests/fixtures/page', `${name}.json`);
  const doc = JSON.parse(await fs.readFile(file, 'utf8'));
  if (!/^chainladder-python 0\.10\.1$/.test(doc.reference)) throw new Error(`${file}: reference ${doc.reference}`);
  return doc.cases;
}

/** A figure as the page writes it: two decimals, thousands separated. */
export const money = (x) => x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/**
 * Waits until the page's main thread has nothing queued: a frame has been
 * drawn and the browser calls back as idle, so every task before (a render,
 * a worker's answer, an observer's callback) has run.
 */
export async function idle(page) {
  await page.evaluate(() => new Promise((resolve) => {
    requestAnimationFrame(() => requestIdleCallback(() => resolve(), { timeout: 10_000 }));
  }));
}
