// A new user's first screen: navigation to the default segment's total IBNR
// in the status line, with no cache, the built app (dist/) served
// gzip-compressed as static hosts serve it, over a link throttled to
// 10 Mbit/s down, 5 Mbit/s up and 40 ms round trip (Chromium's network
// emulation). This is the condition the page's size budgets are held to
// (scripts/sizes.sh): the first screen within 1 s. Prints a table;
// docs/benchmarks.md records it.
//
// "No cache" is a new user: each run has a new browser context, whose
// HTTP cache is empty. Responses carry what static hosts send, so that
// the page's own requests can reuse each other's responses within a visit,
// as they do on such a host. BENCH_HOST picks the headers:
//   pages      Cache-Control: max-age=600 and an ETag (GitHub Pages), the default
//   revalidate Cache-Control: public, max-age=0, must-revalidate and an ETag
//              (Netlify, Cloudflare Pages): a second request revalidates
//   no-store   nothing reusable, with the browser's cache off
// Usage: node tests/bench/first-screen.mjs [runs]   (after scripts/build.sh)
import crypto from 'node:crypto';
import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import { dist, launch } from '../e2e/harness.mjs';
import { quantile } from './table.mjs';

const runs = Number(process.argv[2] ?? 10);
const host = process.env.BENCH_HOST ?? 'pages';
const caching = {
  pages: 'max-age=600',
  revalidate: 'public, max-age=0, must-revalidate',
  'no-store': 'no-store',
}[host];
if (!caching) throw new Error(`BENCH_HOST=${host}: pages, revalidate or no-store`);
const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.csv': 'text/csv', '.json': 'application/json', '.svg': 'image/svg+xml',
};

// Compressed once, as a static host keeps its .gz files; served with
// Content-Encoding: gzip to a browser that accepts it.
const cache = new Map();
async function body(file) {
  if (!cache.has(file)) {
    const raw = await fs.readFile(file);
    const etag = `"${crypto.createHash('sha1').update(raw).digest('hex')}"`;
    cache.set(file, { raw, gz: zlib.gzipSync(raw, { level: 9 }), etag });
  }
  return cache.get(file);
}
const server = http.createServer(async (req, res) => {
  let file = path.join(dist, decodeURIComponent(new URL(req.url, 'http://x').pathname));
  if (!file.startsWith(dist)) { res.writeHead(403).end(); return; }
  try {
    if ((await fs.stat(file)).isDirectory()) file = path.join(file, 'index.html');
    const { raw, gz, etag } = await body(file);
    const gzip = /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
    const validator = host === 'no-store' ? {} : { etag };
    if (host !== 'no-store' && req.headers['if-none-match'] === etag) {
      res.writeHead(304, { 'cache-control': caching, ...validator }).end();
      return;
    }
    res.writeHead(200, {
      'content-type': types[path.extname(file)] ?? 'application/octet-stream',
      'cache-control': caching,
      ...validator,
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    });
    res.end(gzip ? gz : raw);
  } catch {
    res.writeHead(404).end('not found');
  }
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const url = `http://127.0.0.1:${server.address().port}/`;

const browser = await launch();
const times = [];
let bytes = 0;
for (let k = 0; k < runs; k++) {
  // A new context each time: nothing cached, nothing stored.
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  if (host === 'no-store') await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 40,
    downloadThroughput: (10 * 1000 * 1000) / 8,
    uploadThroughput: (5 * 1000 * 1000) / 8,
  });
  let received = 0;
  cdp.on('Network.loadingFinished', (e) => { received += e.encodedDataLength; });
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction(() => /\d/.test(document.querySelector('.status .total')?.textContent ?? ''), null, { timeout: 30000 });
  // From the navigation's start, on the page's own clock.
  times.push(await page.evaluate(() => performance.now()));
  bytes = received;
  await context.close();
}
await browser.close();
server.close();

console.log('| case | runs | median | p95 | max | the page\'s own requests |');
console.log('|---|---:|---:|---:|---:|---:|');
console.log(`| first screen, 10 Mbit/s, 40 ms RTT, gzip, new user, ${host} headers | ${runs} | ${quantile(times, 0.5).toFixed(0)} ms | ${quantile(times, 0.95).toFixed(0)} ms | ${Math.max(...times).toFixed(0)} ms | ${(bytes / 1024).toFixed(0)} KB |`);
