// Runs the real `runoff serve` for the end-to-end tests: the command line
// built (cargo, quick when it is built already), a database in a temporary
// folder, users added with `runoff users add`, the server started on a free
// port of loopback serving dist/, and stopped (or killed, to test a crash)
// and started again on the same database.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// The build a team server serves (scripts/build.sh); RUNOFF_TEAM_DIST: another.
export const teamDist = process.env.RUNOFF_TEAM_DIST || path.join(root, 'dist-team');

/** The `runoff` binary, built if it is not (or is out of date). */
function binary() {
  execFileSync('cargo', ['build', '--quiet', '-p', 'runoff-cli'], { cwd: root, stdio: 'inherit' });
  const meta = JSON.parse(execFileSync('cargo', ['metadata', '--format-version', '1', '--no-deps'], { cwd: root }));
  return path.join(meta.target_directory, 'debug', 'runoff');
}

/** A team server on a new SQLite database; `users` are added first. */
export async function teamServer(users = ['ada']) {
  const runoff = binary();
  const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'runoff-team-'));
  const db = `sqlite://${path.join(folder, 'team.db')}`;
  const tokens = {};
  for (const name of users) {
    const out = execFileSync(runoff, ['users', 'add', name, '--db', db], { encoding: 'utf8' });
    tokens[name] = out.trim().split('\n').at(-1).trim();
  }
  let child;
  let url;
  const start = async (addr = '127.0.0.1:0') => {
    child = spawn(runoff, ['serve', '--dist', teamDist, '--db', db, '--addr', addr], { stdio: ['ignore', 'pipe', 'inherit'] });
    const lines = readline.createInterface({ input: child.stdout });
    url = await new Promise((ok, fail) => {
      child.once('exit', (code) => fail(new Error(`runoff serve exited (${code}) before serving`)));
      lines.on('line', (line) => {
        const m = /^runoff: serving on (http:\/\/\S+)/.exec(line);
        if (m) ok(m[1].replace(/\/?$/, '/'));
      });
    });
    return url;
  };
  await start();
  return {
    tokens,
    get url() { return url; },
    /** Stops the server: `SIGKILL` for a crash, else a clean stop. */
    async stop(signal = 'SIGTERM') {
      const exited = new Promise((ok) => child.once('exit', ok));
      child.kill(signal);
      await exited;
    },
    /** Starts it again on the same database and the same port. */
    async restart() {
      return start(new URL(url).host);
    },
    async close() {
      if (child.exitCode === null && child.signalCode === null) await this.stop();
      await fs.rm(folder, { recursive: true, force: true });
    },
  };
}
