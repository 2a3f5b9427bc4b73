// Where the page's main thread spends a click's time: a V8 CPU profile
// of N clicks on a link ratio (default 20), printed as the functions with
// the most self time. With BENCH_EXTREME=1 the session at every limit of
// docs/session.md (as `BENCH_ONLY=extreme` in ui.mjs) is loaded first.
// Usage: node tests/bench/profile.mjs [clicks]   (after scripts/build.sh)
import { serve, launch } from '../e2e/harness.mjs';
import { openChainLadder } from './extreme.mjs';

const clicks = Number(process.argv[2] ?? 20);
const server = await serve(process.env.RUNOFF_DIST);
const browser = await launch();
const page = await browser.newPage();
await openChainLadder(page, server.url);
const button = page.locator('button[aria-label="link ratio 1996 3-6"]');
await button.click();
await page.waitForTimeout(500);
const cdp = await page.context().newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
await cdp.send('Profiler.start');
for (let k = 0; k < clicks; k++) {
  const before = await page.locator('.status .total').textContent();
  await button.click();
  await page.waitForFunction((b) => document.querySelector('.status .total')?.textContent !== b, before);
  await page.waitForTimeout(100);
}
const { profile } = await cdp.send('Profiler.stop');
const self = new Map();
const dt = profile.timeDeltas;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const time = new Map();
profile.samples.forEach((id, k) => time.set(id, (time.get(id) ?? 0) + (dt[k] ?? 0)));
for (const [id, us] of time) {
  const n = byId.get(id);
  const name = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop()}`;
  self.set(name, (self.get(name) ?? 0) + us);
}
const total = [...self.entries()].filter(([n]) => !/^\(idle\)|^\(program\)/.test(n)).reduce((a, [, v]) => a + v, 0);
console.log(`${clicks} clicks: ${(total / 1000 / clicks).toFixed(2)} ms of main-thread work per click (excluding idle)`);
for (const [name, us] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 30)) {
  console.log(`${(us / 1000 / clicks).toFixed(3).padStart(8)} ms  ${name}`);
}
// PROFILE_TOTAL=1: the functions with the most time including what they
// call (the app's own, by name).
if (process.env.PROFILE_TOTAL) {
  const total = new Map();
  const visit = (id, stack) => {
    const n = byId.get(id);
    const f = n.callFrame.functionName.replace(/::h[0-9a-f]{16}$/, '');
    const fresh = f && !stack.has(f);
    if (fresh) stack.add(f);
    const own = time.get(id) ?? 0;
    let sum = own;
    for (const c of n.children ?? []) sum += visit(c, stack);
    if (fresh) { stack.delete(f); total.set(f, (total.get(f) ?? 0) + sum); }
    return sum;
  };
  visit(profile.nodes[0].id, new Set());
  for (const [f, us] of [...total.entries()].filter(([f]) => /runoff|yew::|serde|bincode/.test(f)).sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.PROFILE_TOP ?? 40))) {
    console.log(`${(us / 1000 / clicks).toFixed(3).padStart(8)} ms  ${f.slice(0, 150)}`);
  }
}
// PROFILE_CALLERS=name: the call paths to the functions whose name
// contains it, with their time.
if (process.env.PROFILE_CALLERS) {
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const paths = new Map();
  for (const [id, us] of time) {
    const n = byId.get(id);
    if (!n.callFrame.functionName.includes(process.env.PROFILE_CALLERS)) continue;
    const path = [];
    for (let p = parent.get(id); p && path.length < 14; p = parent.get(p)) {
      const f = byId.get(p).callFrame.functionName.replace(/::h[0-9a-f]{16}$/, '');
      if (f) path.push(f.slice(0, 90));
    }
    const key = path.join(' < ');
    paths.set(key, (paths.get(key) ?? 0) + us);
  }
  for (const [p, us] of [...paths.entries()].sort((a, b) => b[1] - a[1]).slice(0, 6)) console.log(`${(us / 1000 / clicks).toFixed(3)} ms: ${p}`);
}
await browser.close(); await server.close();
