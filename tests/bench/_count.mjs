import { serve, launch } from '../e2e/harness.mjs';
const server = await serve(process.env.RUNOFF_DIST); const browser = await launch();
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
await page.goto(server.url + '#monthly-120/chain-ladder');
await page.locator('button.ratio').first().waitFor({ timeout: 60000 });
await page.waitForTimeout(500);
console.log(await page.evaluate(() => ({ all: document.querySelectorAll('*').length, buttons: document.querySelectorAll('button').length, ratio: document.querySelectorAll('button.ratio').length, options: document.querySelectorAll('option').length, svg: document.querySelectorAll('svg *').length, tr: document.querySelectorAll('tr').length })));
await browser.close(); await server.close();
