// Where the page's workers spend a click's time: a V8 CPU profile of each
// worker (the recalculation worker, the save worker, …) over 30 clicks on a
// link ratio, through the browser's CDP session attached to each worker
// target, printed as the app's functions with the most time, callees
// included. BENCH_EXTREME=1 loads the session at every limit first.
// Usage: node tests/bench/worker-profile.mjs   (after a build with names:
// see README.md, `data-wasm-opt="0"`)
import { serve, launch } from '../e2e/harness.mjs';
import { openChainLadder } from './extreme.mjs';
const server = await serve(process.env.RUNOFF_DIST);
const browser = await launch();
const page = await browser.newPage();
await openChainLadder(page, server.url);
const button = page.locator('button[aria-label="link ratio 1996 3-6"]');
await button.click(); await page.waitForTimeout(500);
const bs = await browser.newBrowserCDPSession();
const { targetInfos } = await bs.send('Target.getTargets');
const workers = targetInfos.filter((t) => t.type === 'worker');

// Playwright's CDP session cannot address a worker's session directly:
// messages to it go through Target.sendMessageToTarget.
let nextId = 1;
const pending = new Map();
bs.on('Target.receivedMessageFromTarget', (e) => {
  const m = JSON.parse(e.message);
  if (m.id && pending.has(m.id)) { pending.get(m.id)(m); pending.delete(m.id); }
});
const sendTo = (sessionId, method, params = {}) => new Promise((ok) => {
  const id = nextId++;
  pending.set(id, ok);
  bs.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) });
});
const attached = [];
for (const w of workers) {
  const { sessionId } = await bs.send('Target.attachToTarget', { targetId: w.targetId, flatten: false });
  await sendTo(sessionId, 'Profiler.enable');
  await sendTo(sessionId, 'Profiler.setSamplingInterval', { interval: 100 });
  await sendTo(sessionId, 'Profiler.start');
  attached.push(sessionId);
}
const N = 30;
for (let k = 0; k < N; k++) {
  const before = await page.locator('.status .total').textContent();
  await button.click();
  await page.waitForFunction((b) => document.querySelector('.status .total')?.textContent !== b, before);
  await page.waitForTimeout(120);
}
for (const sessionId of attached) {
  const r = await sendTo(sessionId, 'Profiler.stop');
  const profile = r.result.profile;
  const time = new Map();
  profile.samples.forEach((id, k) => time.set(id, (time.get(id) ?? 0) + (profile.timeDeltas[k] ?? 0)));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const total = new Map();
  const visit = (id, stack) => {
    const n = byId.get(id);
    const f = n.callFrame.functionName.replace(/::h[0-9a-f]{16}$/, '') || '(anon)';
    const fresh = !stack.has(f);
    if (fresh) stack.add(f);
    let sum = time.get(id) ?? 0;
    for (const c of n.children ?? []) sum += visit(c, stack);
    if (fresh) { stack.delete(f); total.set(f, (total.get(f) ?? 0) + sum); }
    return sum;
  };
  visit(profile.nodes[0].id, new Set());
  const busy = [...time.entries()].filter(([id]) => !/\(idle\)|\(program\)|\(root\)/.test(byId.get(id).callFrame.functionName)).reduce((a, [, v]) => a + v, 0);
  console.log(`worker ${sessionId.slice(0, 6)}: ${(busy / 1000 / N).toFixed(2)} ms busy per click`);
  for (const [f, us] of [...total.entries()].filter(([f]) => /runoff|bincode|serde/.test(f)).sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${(us / 1000 / N).toFixed(3).padStart(8)} ms  ${f.slice(0, 140)}`);
}
await browser.close(); await server.close();
