// A W3C WebDriver client for the browser tests of Firefox ESR (geckodriver)
// and WebKit (WebKitGTK's WebKitWebDriver with MiniBrowser): the few
// commands these tests use, spoken over HTTP with Node's own fetch. Written
// here rather than taken from a package because a general client brings its
// own driver manager, which tries to download drivers (there is no network
// for that); here the driver is always the system's, started by path.
import { spawn } from 'node:child_process';
import net from 'node:net';

/** The key a WebDriver element reference is under (W3C). */
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';
/** How long a driver may take to listen, and a browser to start. */
const DRIVER_START_MS = 30_000;
/** How long one command may take before the test fails naming it. */
const COMMAND_MS = 60_000;

/** The browsers these tests drive, each by its driver and its capabilities. */
export const browsers = {
  firefox: {
    driver: () => process.env.GECKODRIVER || `${process.env.HOME}/.cargo/bin/geckodriver`,
    args: (port) => ['--port', String(port), '--host', '127.0.0.1'],
    capabilities: () => ({
      browserName: 'firefox',
      'moz:firefoxOptions': {
        binary: process.env.FIREFOX || '/usr/bin/firefox-esr',
        args: ['-headless'],
        // Nothing reaches out to the network at start (there is none).
        prefs: {
          'app.update.enabled': false,
          'browser.shell.checkDefaultBrowser': false,
          'datareporting.policy.dataSubmissionEnabled': false,
          'toolkit.telemetry.enabled': false,
          'network.captive-portal-service.enabled': false,
        },
      },
    }),
  },
  webkit: {
    driver: () => process.env.WEBKITDRIVER || '/usr/bin/WebKitWebDriver',
    args: (port) => [`--port=${port}`, '--host=127.0.0.1'],
    // Without the browser's path and --automation the session never starts.
    capabilities: () => ({
      'webkitgtk:browserOptions': {
        binary: process.env.MINIBROWSER || '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
        args: ['--automation'],
      },
    }),
  },
};

/** A loopback port that nothing listens on. */
export async function freePort() {
  const server = net.createServer();
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  await new Promise((ok) => server.close(ok));
  return port;
}

async function call(base, method, path, body) {
  const res = await fetch(base + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(COMMAND_MS),
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok || json.value?.error) {
    const v = json.value ?? {};
    throw new Error(`WebDriver ${method} ${path}: ${v.error ?? res.status}: ${v.message ?? ''}`);
  }
  return json.value;
}

/**
 * Starts `name`'s driver on a free loopback port and opens a session in
 * its browser; resolves to a Session. The driver's output is kept and
 * thrown with a start that fails.
 */
export async function start(name) {
  const spec = browsers[name];
  if (!spec) throw new Error(`no browser ${name}: ${Object.keys(browsers)}`);
  const port = await freePort();
  const driver = spawn(spec.driver(), spec.args(port), { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  driver.stdout.on('data', (d) => { log += d; });
  driver.stderr.on('data', (d) => { log += d; });
  const exited = new Promise((ok) => driver.on('exit', (code) => ok(code)));
  driver.on('error', (e) => { log += String(e); });
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForDriver(base, driver);
  } catch (e) {
    driver.kill();
    throw new Error(`${spec.driver()}: ${e.message}: ${log}`);
  }
  try {
    const value = await call(base, 'POST', '/session', { capabilities: { alwaysMatch: spec.capabilities() } });
    return new Session(base, value.sessionId, driver, exited, () => log);
  } catch (e) {
    driver.kill();
    throw new Error(`${e.message}\n${log}`);
  }
}

/** Waits until the driver `driver` (a child process) answers at `base`;
 * fails if it exits first or does not answer in time. */
export async function waitForDriver(base, driver) {
  const deadline = Date.now() + DRIVER_START_MS;
  for (;;) {
    if (driver.exitCode !== null || driver.signalCode !== null) throw new Error('the driver exited');
    try {
      await call(base, 'GET', '/status');
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`the driver did not answer in ${DRIVER_START_MS} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** An element the page found, for the commands that act on one. */
export class Element {
  constructor(session, id) { this.session = session; this.id = id; }
  click() { return this.session.cmd('POST', `/element/${this.id}/click`, {}); }
  /** Types `text`; on `<input type=file>`, chooses the file at that path. */
  sendKeys(text) { return this.session.cmd('POST', `/element/${this.id}/value`, { text }); }
  toJSON() { return { [ELEMENT]: this.id }; }
}

/** A WebDriver session: its browser and the driver behind it. */
export class Session {
  constructor(base, id, driver, exited, log) {
    Object.assign(this, { base, id, driver, exited, log });
  }

  cmd(method, path, body) {
    return call(this.base, method, `/session/${this.id}${path}`, body);
  }

  goto(url) { return this.cmd('POST', '/url', { url }); }
  refresh() { return this.cmd('POST', '/refresh', {}); }

  /** Runs `fn` (a function, or its source) in the page with `args`; element
   * references in and out are Elements. */
  async run(fn, ...args) {
    const script = typeof fn === 'function' ? `return (${fn}).apply(null, arguments);` : fn;
    return this.wrap(await this.cmd('POST', '/execute/sync', { script, args }));
  }

  wrap(v) {
    if (Array.isArray(v)) return v.map((x) => this.wrap(x));
    if (v && typeof v === 'object') {
      if (ELEMENT in v) return new Element(this, v[ELEMENT]);
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.wrap(x)]));
    }
    return v;
  }

  /** The windows' handles, and the current one's. */
  handles() { return this.cmd('GET', '/window/handles'); }
  handle() { return this.cmd('GET', '/window'); }
  async newWindow() { return (await this.cmd('POST', '/window/new', { type: 'tab' })).handle; }
  switchTo(handle) { return this.cmd('POST', '/window', { handle }); }

  /** Ends the session and stops the driver. */
  async close() {
    try { await this.cmd('DELETE', ''); } catch { /* the browser may be gone already */ }
    this.driver.kill();
    await Promise.race([this.exited, new Promise((r) => setTimeout(r, 5000))]);
  }
}
