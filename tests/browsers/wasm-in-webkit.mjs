// Runs the app's wasm-bindgen tests (tests/web.rs, tests/web_views.rs) in
// WebKit. wasm-bindgen-test-runner knows WebKit only as Safari's
// safaridriver, and asks it for a session with no capabilities; WebKitGTK's
// WebKitWebDriver then has no browser to start and the session never
// opens. So the runner is pointed (SAFARIDRIVER_REMOTE) at a loopback relay
// that passes every command to WebKitWebDriver, and into the new-session
// request puts the capabilities that name MiniBrowser (tests/browsers/
// webdriver.mjs). Needs a display: run under `xvfb-run -a`.
//
// Usage: node tests/browsers/wasm-in-webkit.mjs [cargo test arguments…]
import http from 'node:http';
import { spawn } from 'node:child_process';
import { browsers, freePort, waitForDriver } from './webdriver.mjs';

const webkit = browsers.webkit;
const driverPort = await freePort();
const driver = spawn(webkit.driver(), webkit.args(driverPort), { stdio: ['ignore', 'inherit', 'inherit'] });
const upstream = `http://127.0.0.1:${driverPort}`;
await waitForDriver(upstream, driver);

const relay = http.createServer(async (req, res) => {
  try {
    let body = '';
    for await (const chunk of req) body += chunk;
    if (req.method === 'POST' && req.url === '/session') {
      body = JSON.stringify({ capabilities: { alwaysMatch: webkit.capabilities() } });
    }
    const answer = await fetch(upstream + req.url, {
      method: req.method,
      headers: { 'content-type': 'application/json' },
      body: req.method === 'GET' || req.method === 'DELETE' ? undefined : body,
    });
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(await answer.text());
  } catch (e) {
    res.writeHead(500, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ value: { error: 'unknown error', message: `relay: ${e}` } }));
  }
});
await new Promise((ok) => relay.listen(0, '127.0.0.1', ok));

// Only the relay: a driver variable of another browser would not be chosen
// before a *_REMOTE one, but none is left to make that plain.
const env = { ...process.env, SAFARIDRIVER_REMOTE: `http://127.0.0.1:${relay.address().port}/` };
for (const name of ['CHROMEDRIVER', 'GECKODRIVER', 'SAFARIDRIVER', 'MSEDGEDRIVER']) delete env[name];
const args = process.argv.slice(2);
const cargo = spawn('cargo', ['test', '-p', 'runoff-app', '--target', 'wasm32-unknown-unknown', ...(args.length ? args : ['--test', 'web', '--test', 'web_views'])],
  { stdio: 'inherit', env });
const code = await new Promise((ok) => cargo.on('exit', (c, signal) => ok(c ?? (signal ? 1 : 0))));
relay.close();
driver.kill();
process.exit(code);
