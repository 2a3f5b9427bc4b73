// The page served by a team server (`runoff serve`): it asks to sign in,
// refuses a wrong token with an alert, keeps the right one for the next
// visit and for the other tabs, and signs out; two people in two browsers
// (two contexts: neither storage nor channel shared) follow each other
// through the server, lose nothing editing at once, and find their work
// after the server is killed and started again. The same team build on a
// static host asks nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, collectErrors, totalIbnr, reference, money, settle } from './harness.mjs';
import { teamServer, teamDist } from './team-server.mjs';

let team, statics, browser, ref;
before(async () => {
  ref = await reference();
  team = await teamServer(['ada', 'bob']);
  statics = await serve(teamDist);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await statics?.close();
  await team?.close();
});

test('a team server asks for a token; a wrong one is refused, the right one kept until signing out', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(team.url);
  const field = page.getByLabel('Access token');
  await field.waitFor();
  assert.equal(await page.getByRole('combobox', { name: 'Segment' }).count(), 0, 'nothing shown before signing in');

  // A wrong token: an alert, and the form again.
  await field.fill(team.tokens.ada.replace(/.$/, (c) => (c === '0' ? '1' : '0')));
  await page.getByRole('button', { name: 'Sign in' }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /not accepted/);
  // Nothing typed: said, not sent.
  await field.fill('');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').filter({ hasText: 'Type or paste your access token' }).waitFor();

  // The right one: the workbench, and who is signed in.
  await field.fill(team.tokens.ada);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('Signed in to the team server as ada.').waitFor();
  // chainladder-python's (volume-weighted chain ladder, no tail).
  assert.equal(await totalIbnr(page), money(ref.default.chainladder.total_ibnr));

  // Another tab, and a reload: signed in already.
  const other = await context.newPage();
  await other.goto(team.url);
  await other.getByText('Signed in to the team server as ada.').waitFor();
  await page.reload();
  await page.getByText('Signed in to the team server as ada.').waitFor();

  // Tabs of one browser follow each other as they do without a server
  // (the segment annual: the two-browser test below counts quarterly's
  // versions).
  for (const p of [page, other]) {
    await p.goto(team.url + '#annual/chain-ladder');
    await settle(async () => /Segment annual/.test(await p.locator('.status').innerText()), true, 'annual shown');
    await p.locator('main:not([aria-busy=true]) .status .total').waitFor();
  }
  const first = page.locator('button[aria-label^="link ratio 1996 "]').first();
  const label = await first.getAttribute('aria-label');
  await first.click();
  await settle(() => other.getByRole('button', { name: label, exact: true }).getAttribute('aria-pressed'),
    'true', 'the other tab follows');

  // Signing out forgets the token: the form again, here and at the next visit.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('Access token').waitFor();
  await page.reload();
  await page.getByLabel('Access token').waitFor();
  assert.deepEqual(errors.filter((e) => !/401/.test(e)), []);
  await context.close();
});

test('a token the server no longer accepts is dropped, and the page asks to sign in again', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(team.url);
  await page.evaluate(() => localStorage.setItem('runoff.team-token', 'no-such-token'));
  await page.reload();
  await page.getByRole('alert').filter({ hasText: 'no longer accepted' }).waitFor();
  await page.getByLabel('Access token').waitFor();
  assert.equal(await page.evaluate(() => localStorage.getItem('runoff.team-token')), null);
  await context.close();
});

test('a static host serves the same build with nothing to sign in to', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(statics.url);
  await page.getByRole('combobox', { name: 'Segment' }).waitFor();
  assert.equal(await page.getByLabel('Access token').count(), 0);
  assert.equal(await page.getByText('Signed in to the team server').count(), 0);
  await context.close();
});

/** A new browser (context) signed in as `name`, on `hash`. */
async function person(name, hash = '#quarterly/chain-ladder') {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(team.url + hash);
  await page.getByLabel('Access token').fill(team.tokens[name]);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText(`Signed in to the team server as ${name}.`).waitFor();
  await page.locator('.status .total').waitFor();
  return { context, page, errors };
}

const ratio = (page, name) => page.getByRole('button', { name: `link ratio ${name}`, exact: true });
const version = (page) => page.locator('.status .version').innerText();
const pressed = (page, name) => ratio(page, name).getAttribute('aria-pressed');

test('two people in two browsers follow each other through the server and lose nothing, even across a crash', async () => {
  const ada = await person('ada');
  const bob = await person('bob');
  // Ada drops a ratio; Bob's page shows it and its total.
  await ratio(ada.page, '1996 3-6').click();
  await settle(() => pressed(bob.page, '1996 3-6'), 'true', "Bob's page shows Ada's drop");
  await settle(() => version(bob.page), ' · version 1', "Bob's version");
  await settle(async () => (await bob.page.locator('.status .total').innerText()).includes('2,818.68'), true, "Bob's total");

  // Both click at once, different ratios: both kept, in both pages.
  await Promise.all([ratio(ada.page, '1997 3-6').click(), ratio(bob.page, '1998 3-6').click()]);
  for (const p of [ada.page, bob.page]) {
    await settle(() => version(p), ' · version 3', 'both changes saved');
    for (const r of ['1996 3-6', '1997 3-6', '1998 3-6']) assert.equal(await pressed(p, r), 'true', r);
  }

  // The server is killed: a change made meanwhile is kept and shown as not
  // saved. Bob closes his page before the server is back; his browser keeps
  // the change, and his next page sends it. The work saved before is there.
  await team.stop('SIGKILL');
  await ratio(bob.page, '1999 3-6').click();
  await settle(() => pressed(bob.page, '1999 3-6'), 'true', "Bob's change while the server is down");
  await bob.page.getByRole('alert').filter({ hasText: 'Not saved — will retry: the team server cannot be reached' }).waitFor();
  await bob.page.close();
  await team.restart();
  bob.page = await bob.context.newPage();
  await bob.page.goto(team.url + '#quarterly/chain-ladder');
  await bob.page.getByText('Signed in to the team server as bob.').waitFor();
  await settle(() => pressed(bob.page, '1999 3-6'), 'true', "Bob's change from his earlier page");
  await settle(() => version(bob.page), ' · version 4', "Bob's change sent once the server is back", 20000);
  const carol = await person('ada');
  await settle(() => version(carol.page), ' · version 4', 'a new page reads the session');
  for (const r of ['1996 3-6', '1997 3-6', '1998 3-6', '1999 3-6']) assert.equal(await pressed(carol.page, r), 'true', r);
  await ratio(carol.page, '1996 3-6').click();
  await settle(() => pressed(bob.page, '1996 3-6'), 'false', "Bob's page follows after the restart", 15000);

  // The history: who saved which version, and what; an earlier version
  // shown and restored as one change, which Bob's page follows.
  await carol.page.getByRole('tab', { name: 'History' }).click();
  const history = carol.page.getByRole('table', { name: 'History' });
  await settle(async () => (await history.locator('tbody tr').count()), 5, 'five versions listed');
  const rows = await history.locator('tbody tr').allInnerTexts();
  assert.match(rows[0], /^5\s+ada\b.*link ratio of 1996 from age 3: put back/s);
  assert.match(rows[1], /^4\s+bob\b.*link ratio of 1999 from age 3: left out/s);
  assert.match(rows[4], /^1\s+ada\b.*link ratio of 1996 from age 3: left out/s);
  await carol.page.getByRole('button', { name: 'Show version 1', exact: true }).click();
  await carol.page.getByRole('region', { name: 'Version 1' }).getByText(/sync_version: 1/).waitFor();
  await carol.page.getByRole('button', { name: 'Restore version 1', exact: true }).click();
  await settle(() => version(bob.page), ' · version 6', "Bob's page follows the restore");
  for (const [r, v] of [['1996 3-6', 'true'], ['1997 3-6', 'false'], ['1998 3-6', 'false'], ['1999 3-6', 'false']]) {
    assert.equal(await pressed(bob.page, r), v, r);
  }

  for (const p of [ada, bob, carol]) {
    assert.deepEqual(p.errors.filter((e) => !/Failed to load resource|ERR_|net::/.test(e)), []);
    await p.context.close();
  }
});
