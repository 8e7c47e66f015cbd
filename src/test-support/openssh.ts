import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { AppContext } from '../platform/context.js';
import { SftpServer } from '../sftp/sftp.server.js';
import { createSftpLogin } from '../sftp/sftp-users.service.js';

/** A scratch directory with key pairs, askpass scripts and files to upload; removed by cleanup(). */
export class OpenSshWorkspace {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'comanda-ssh-'));

  /** An ed25519 key pair made by ssh-keygen; returns the private key path and the public key line. */
  keyPair(name: string): { privateKey: string; publicKey: string } {
    const file = path.join(this.dir, name);
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `${name}@test`, '-f', file]);
    return { privateKey: file, publicKey: fs.readFileSync(`${file}.pub`, 'utf8').trim() };
  }

  /** A file in the workspace (for `put`), returning its path. */
  file(name: string, content: string | Buffer): string {
    const p = path.join(this.dir, name);
    fs.writeFileSync(p, content);
    return p;
  }

  read(name: string): string {
    return fs.readFileSync(path.join(this.dir, name), 'utf8');
  }

  /** SSH_ASKPASS script answering `password` (sshpass is not available). */
  askpass(password: string): string {
    const p = path.join(this.dir, `askpass-${Math.random().toString(36).slice(2)}.sh`);
    fs.writeFileSync(p, `#!/bin/sh\nprintf '%s\\n' '${password.replace(/'/g, "'\\''")}'\n`, { mode: 0o700 });
    return p;
  }

  cleanup(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface SshResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface SshLogin {
  port: number;
  username: string;
  password?: string;
  privateKey?: string;
}

function commonArgs(ws: OpenSshWorkspace, login: SshLogin): { args: string[]; env: NodeJS.ProcessEnv } {
  const args = [
    // Before -b (which implies BatchMode=yes): the first value wins, so askpass may answer.
    '-o', 'BatchMode=no',
    '-o', 'StrictHostKeyChecking=no',
    '-o', 'UserKnownHostsFile=/dev/null',
    '-o', 'LogLevel=ERROR',
    '-o', 'NumberOfPasswordPrompts=1',
    '-o', 'ConnectTimeout=10',
    '-F', '/dev/null',
  ];
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: ws.dir };
  if (login.privateKey) args.push('-o', 'IdentitiesOnly=yes', '-o', 'PreferredAuthentications=publickey', '-i', login.privateKey);
  else {
    args.push('-o', 'PreferredAuthentications=password', '-o', 'PubkeyAuthentication=no');
    env.SSH_ASKPASS = ws.askpass(login.password ?? '');
    env.SSH_ASKPASS_REQUIRE = 'force';
    env.DISPLAY = env.DISPLAY ?? ':0';
  }
  return { args, env };
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd: string, input?: string, timeoutMs = 30_000): Promise<SshResult> {
  return new Promise((resolve, reject) => {
    // detached: no controlling terminal, so ssh asks SSH_ASKPASS instead of a tty.
    const child = spawn(cmd, args, { env, cwd, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${cmd} timed out after ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input ?? '');
  });
}

/** Runs the real OpenSSH `sftp -b` with the given batch commands, in the workspace directory. */
export function sftpBatch(ws: OpenSshWorkspace, login: SshLogin, commands: string[], timeoutMs?: number): Promise<SshResult> {
  const { args, env } = commonArgs(ws, login);
  const batch = ws.file(`batch-${Math.random().toString(36).slice(2)}.txt`, `${commands.join('\n')}\n`);
  return run('sftp', [...args, '-b', batch, '-P', String(login.port), `${login.username}@127.0.0.1`], env, ws.dir, undefined, timeoutMs);
}

/** Runs `ssh … user@127.0.0.1 <command>` (which our server must refuse). */
export function sshCommand(ws: OpenSshWorkspace, login: SshLogin, extra: string[], command?: string): Promise<SshResult> {
  const { args, env } = commonArgs(ws, login);
  return run('ssh', [...args, ...extra, '-p', String(login.port), `${login.username}@127.0.0.1`, ...(command ? [command] : [])], env, ws.dir);
}

export interface UseSftpServerOptions {
  /** Options of the server (it listens on a random port). */
  server?: { idleTimeoutSeconds?: number; maxSessionsPerLogin?: number };
  /** An SFTP login of this chain (its id, read once the chains exist) with this password: `login`. */
  loginFor?: () => string;
  password?: string;
}

export interface SftpSetup {
  server: SftpServer;
  ws: OpenSshWorkspace;
  /** The login of `loginFor` (password) on the server. */
  login: SshLogin;
}

/**
 * The real SFTP server on the context of `useTestContext` / `useTestApp`, an OpenSSH workspace and
 * optionally a password login, for the enclosing describe; call it after that one. Stops the server
 * and removes the workspace before the context closes.
 */
export function useSftpServer(on: { ctx: AppContext }, options: UseSftpServerOptions = {}): SftpSetup {
  const value: Partial<SftpSetup> = {};
  beforeAll(async () => {
    value.ws = new OpenSshWorkspace();
    const created = options.loginFor ? await createSftpLogin(on.ctx, options.loginFor(), { password: options.password }, 'test') : undefined;
    value.server = new SftpServer(on.ctx, { port: 0, ...options.server });
    await value.server.start();
    if (created) value.login = { port: value.server.port, username: created.username, password: options.password };
  });
  afterAll(async () => {
    try {
      await value.server?.stop();
    } finally {
      value.ws?.cleanup();
    }
  });
  return new Proxy(value, {
    get(target, key) {
      if (typeof key === 'string' && ['server', 'ws', 'login'].includes(key) && !(key in target)) throw new Error(`useSftpServer: \`${key}\` is not set (read before beforeAll, or not asked for)`);
      return Reflect.get(target, key);
    },
  }) as SftpSetup;
}
