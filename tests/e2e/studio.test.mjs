// reserving-studio's users bring its session files: uploaded in the page
// (Upload session) on the sample segment `quarterly`, each must give the
// figures reserving-studio computes for it (engine/tests/fixtures-reserving-studio,
// computed with its own pipeline): the total IBNR of the selected ultimates
// and each origin's selected ultimate.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { serve, launch, collectErrors, cell, expectIbnr } from './harness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cases = path.join(root, 'engine/tests/fixtures-reserving-studio');
let server, browser, scratch;
before(async () => {
  server = await serve();
  browser = await launch();
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'runoff-studio-'));
});
after(async () => { await browser?.close(); await server?.close(); });

const shown = (x) => new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(x);

for (const name of ['rs__default_no_tail', 'rs__inverse_power_12_months', 'rs__judgements']) {
  test(`an uploaded reserving-studio session gives its figures: ${name}`, async () => {
    const fixture = JSON.parse(await fs.readFile(path.join(cases, `${name}.json`), 'utf8'));
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = collectErrors(page);
    await page.goto(server.url + '#quarterly/results');
    await page.locator('.status .total').waitFor();
    // The file exactly as reserving-studio writes it: YAML of its keys.
    const file = path.join(scratch, `${name}.yml`);
    const yaml = Object.entries(fixture.session).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join('\n');
    await fs.writeFile(file, yaml + '\n');
    await page.getByLabel('Upload session', { exact: true }).setInputFiles(file);
    await expectIbnr(page, shown(fixture.expected.selected.total_ibnr));
    const { origins } = fixture.expected;
    for (const [i, origin] of origins.entries()) {
      const ultimate = fixture.expected.selected.ultimate[i];
      assert.equal(await cell(page, 'Results', origin, 'Selected'), shown(ultimate), `${name}: selected ultimate of ${origin}`);
    }
    assert.deepEqual(errors, []);
    await context.close();
  });
}
