// How soon a worker's message reaches the page after a click, by the way it
// is sent: the worker's postMessage, a MessagePort, a BroadcastChannel.
// A bare page and worker (no runoff code): a click posts to the worker,
// which answers at once all three ways; prints the median arrival after
// the click's listener, with and without a DOM change in the listener.
// Usage: node tests/bench/delivery.mjs [clicks]
import http from 'node:http';
import { launch } from '../e2e/harness.mjs';

const clicks = Number(process.argv[2] ?? 30);
const files = {
  '/': `<!doctype html><html><body><button id="b">click</button><div id="out"></div><script>
const w = new Worker('w.js'); const ch = new MessageChannel(); w.postMessage({ port: ch.port2 }, [ch.port2]);
const bc = new BroadcastChannel('delivery'); window.__log = []; let t0 = 0;
w.onmessage = () => window.__log.push(['worker postMessage', performance.now() - t0]);
ch.port1.onmessage = () => window.__log.push(['MessagePort', performance.now() - t0]);
bc.onmessage = () => window.__log.push(['BroadcastChannel', performance.now() - t0]);
document.getElementById('b').addEventListener('click', () => {
  t0 = performance.now(); w.postMessage('go');
  if (location.hash === '#dom') document.getElementById('out').textContent = String(t0);
});</script></body></html>`,
  '/w.js': `let port; const bc = new BroadcastChannel('delivery');
onmessage = (e) => { if (e.data && e.data.port) { port = e.data.port; return; } postMessage('w'); port.postMessage('p'); bc.postMessage('b'); };`,
};
const server = http.createServer((req, res) => {
  const body = files[req.url];
  res.writeHead(body ? 200 : 404, { 'content-type': req.url.endsWith('.js') ? 'text/javascript' : 'text/html' });
  res.end(body ?? '');
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const browser = await launch();
console.log('| after the click\'s listener | no DOM change: median | with a DOM change: median |');
console.log('|---|---|---|');
const results = {};
for (const hash of ['', '#dom']) {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/${hash}`);
  await page.waitForTimeout(300);
  for (let k = 0; k < clicks; k++) {
    await page.evaluate(() => { window.__log = []; });
    await page.click('#b');
    await page.waitForTimeout(50);
    for (const [n, t] of await page.evaluate(() => window.__log)) ((results[n] ??= {})[hash] ??= []).push(t);
  }
  await page.close();
}
const med = (xs = []) => xs.length ? [...xs].sort((a, b) => a - b)[xs.length >> 1].toFixed(1) + ' ms' : '–';
for (const [n, by] of Object.entries(results)) console.log(`| ${n} | ${med(by[''])} | ${med(by['#dom'])} |`);
await browser.close();
server.close();
