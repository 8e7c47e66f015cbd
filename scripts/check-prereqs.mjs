#!/usr/bin/env node
// Run by `npm test` before the build: the suite needs a PostgreSQL server, Chromium and the OpenSSH
// client. Missing ones stop the run here with one line naming them and the command that installs them,
// instead of failures deep in the run. COMANDA_SKIP_PREREQS=1 skips the check.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

if (process.env.COMANDA_SKIP_PREREQS === '1') process.exit(0);

const onPath = (cmd) => (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir && fs.existsSync(path.join(dir, cmd)));

/** True when something answers TCP on the test PostgreSQL address (TEST_PG_ADMIN_URL or 127.0.0.1:5432). */
function postgresAnswers() {
  const url = new URL(process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const host = url.hostname || '127.0.0.1';
  const port = Number(url.port || 5432);
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 2000 });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(false));
  });
}

const missing = [];
const packages = new Set();
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!fs.existsSync(chromium)) {
  missing.push(`Chromium (${chromium})`);
  packages.add('chromium');
}
for (const cmd of ['sftp', 'ssh', 'ssh-keygen']) {
  if (!onPath(cmd)) {
    missing.push(`OpenSSH client (${cmd})`);
    packages.add('openssh-client');
    break;
  }
}
if (!(await postgresAnswers())) {
  const where = process.env.TEST_PG_ADMIN_URL ? 'TEST_PG_ADMIN_URL' : '127.0.0.1:5432';
  missing.push(`a PostgreSQL server at ${where} (trust auth, user postgres)`);
  packages.add('postgresql');
}
if (missing.length === 0) process.exit(0);

let hint = `install: sudo apt-get install -y ${[...packages].join(' ')}`;
if (packages.has('postgresql')) {
  // Installed but not running: say how to start it rather than to install it again.
  let installed = false;
  try {
    installed = fs.readdirSync('/etc/postgresql').length > 0;
  } catch {
    // No /etc/postgresql: not installed.
  }
  if (installed && packages.size === 1) hint = 'start it: sudo pg_ctlcluster $(ls /etc/postgresql) main start';
  else if (installed) hint += ' (and start PostgreSQL: sudo pg_ctlcluster $(ls /etc/postgresql) main start)';
}
process.stderr.write(`npm test: missing ${missing.join(', ')} — ${hint} (see README "Prerequisites")\n`);
process.exit(1);
