// Two people on two machines through a team server (`runoff serve` on
// SQLite, loopback): two browser contexts (sharing neither storage nor
// channel), each signed in as its own user; a click on a link ratio in one
// → the other shows that version's results. Times are taken in the pages
// (the click's event time in one, the moment the other's DOM shows the new
// total), on one machine's clock. Prints a table as docs/benchmarks.md
// records it. Usage: node tests/bench/team.mjs [clicks]   (60 by default)
import { launch } from '../e2e/harness.mjs';
import { teamServer } from '../e2e/team-server.mjs';
import { row } from './table.mjs';

const clicks = Number(process.argv[2] || 60);
const team = await teamServer(['ada', 'bob']);
const browser = await launch();

const recorder = () => {
  window.__clicks = [];
  window.__totals = [];
  document.addEventListener('click', (e) => window.__clicks.push(performance.timeOrigin + e.timeStamp), true);
  let last = null;
  new MutationObserver(() => {
    const v = document.querySelector('.status .total')?.textContent;
    if (v && v !== last) {
      last = v;
      window.__totals.push(performance.timeOrigin + performance.now());
    }
  }).observe(document, { subtree: true, childList: true, characterData: true });
};

async function person(name) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(recorder);
  await page.goto(team.url + '#quarterly/chain-ladder');
  await page.getByLabel('Access token').fill(team.tokens[name]);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('.status .total').waitFor();
  return page;
}

try {
  const a = await person('ada');
  const b = await person('bob');
  await a.bringToFront();
  const button = a.locator('button[aria-label="link ratio 1996 3-6"]');
  const out = [];
  for (let k = 0; k < clicks; k++) {
    const before = await b.evaluate(() => window.__totals.length);
    await button.click();
    await b.waitForFunction((n) => window.__totals.length > n, before);
    const click = await a.evaluate(() => window.__clicks.at(-1));
    const seen = await b.evaluate(() => window.__totals.at(-1));
    out.push(seen - click);
    await a.waitForTimeout(30);
  }
  console.log('| case | n | median | p95 | max | unit |\n|---|---|---|---|---|---|');
  row('two browsers through runoff serve (SQLite): click in one → the other shows the results', out);
} finally {
  await browser.close();
  await team.close();
}
