// Where a click's time goes between the click and its results in the DOM,
// measured in the page (no tracing): the click event's time stamp, when
// the page's capture listener runs it, each message the page's workers
// post to it, and the DOM update. Prints the median and 95th percentile of
// each phase over N clicks (default 40); BENCH_EXTREME=1 loads the session
// at every limit first. Usage: node tests/bench/click-phases.mjs [clicks]
import { serve, launch } from '../e2e/harness.mjs';
import { openChainLadder } from './extreme.mjs';

const clicks = Number(process.argv[2] ?? 40);
const server = await serve(process.env.RUNOFF_DIST);
const browser = await launch();
const page = await browser.newPage();
await page.addInitScript(() => {
  window.__log = [];
  const now = () => performance.now();
  document.addEventListener('click', (e) => window.__log.push(['click', e.timeStamp, now()]), true);
  // Every worker's messages to the page, by script.
  const Real = window.Worker;
  window.Worker = function (url, options) {
    const w = new Real(url, options);
    const name = String(url).split('/').pop().replace(/[-.].*/, '');
    w.addEventListener('message', () => window.__log.push(['from ' + name, now()]));
    const post = w.postMessage.bind(w);
    w.postMessage = (...args) => { window.__log.push(['to ' + name, now()]); return post(...args); };
    return w;
  };
  window.Worker.prototype = Real.prototype;
  // The recalculation's reply channel (runoff-answers-…).
  const Channel = window.BroadcastChannel;
  window.BroadcastChannel = class extends Channel {
    constructor(name) {
      super(name);
      if (String(name).startsWith('runoff-answers')) {
        this.addEventListener('message', () => window.__log.push(['from the reply channel', now()]));
      }
    }
  };
  let last = null;
  new MutationObserver(() => {
    const t = document.querySelector('.status .total')?.textContent;
    if (t && t !== last) {
      last = t;
      window.__log.push(['dom', now()]);
    }
  }).observe(document, { subtree: true, childList: true, characterData: true });
});
await openChainLadder(page, server.url);
const button = page.locator('button[aria-label="link ratio 1996 3-6"]');
await button.click();
await page.waitForTimeout(300);
const rows = [];
for (let k = 0; k < clicks; k++) {
  await page.evaluate(() => { window.__log = []; });
  const before = await page.locator('.status .total').textContent();
  await button.click();
  await page.waitForFunction((b) => document.querySelector('.status .total')?.textContent !== b, before);
  await page.waitForTimeout(60);
  rows.push(await page.evaluate(() => window.__log));
}
const phases = {};
const add = (k, v) => (phases[k] ??= []).push(v);
for (const log of rows) {
  const click = log.find((e) => e[0] === 'click');
  const dom = log.find((e) => e[0] === 'dom');
  if (!click || !dom) continue;
  add('click event → its listener', click[2] - click[1]);
  const seen = {};
  for (const e of log) {
    if (!e[0].startsWith('from ') && !e[0].startsWith('to ')) continue;
    seen[e[0]] = (seen[e[0]] ?? 0) + 1;
    add(`listener → ${e[0]} #${seen[e[0]]}`, e[1] - click[2]);
  }
  add('listener → results in the DOM', dom[1] - click[2]);
  add('click event → results in the DOM', dom[1] - click[1]);
}
const q = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };
console.log('| phase (ms after) | n | median | p95 |');
console.log('|---|---|---|---|');
for (const [k, xs] of Object.entries(phases)) console.log(`| ${k} | ${xs.length} | ${q(xs, 0.5).toFixed(1)} | ${q(xs, 0.95).toFixed(1)} |`);
await browser.close();
await server.close();
