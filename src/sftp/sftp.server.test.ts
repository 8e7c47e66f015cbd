import crypto from 'node:crypto';
import ssh2 from 'ssh2';
import { beforeAll, describe, expect, it } from 'vitest';
import { sftpBatch, sshCommand, type SshLogin, useSftpServer } from '../test-support/openssh.js';
import { useTestContext } from '../test-support/test-app.js';
import { type TestContext } from '../test-support/test-db.js';
import { findSealedFile, listFolder, readFileChunks } from './sftp-files.repository.js';
import { storeFile } from './sftp-files.service.js';
import { SftpServer } from './sftp.server.js';
import { createSftpLogin } from './sftp-users.service.js';

const MAX_FILE = 3 * 1024 * 1024;

async function fileText(t: TestContext, chainId: string, folder: 'Assortment' | 'results', name: string): Promise<Buffer> {
  const file = await findSealedFile(t.ctx.db, chainId, folder, name);
  if (!file) throw new Error(`no ${folder}/${name}`);
  const parts: Buffer[] = [];
  for await (const c of readFileChunks(t.ctx.db, file.id)) parts.push(c);
  return Buffer.concat(parts);
}

/** An ssh2 (library) client, for what the OpenSSH CLI cannot script: held sessions, raw requests. */
function connect(port: number, username: string, password: string): Promise<ssh2.Client> {
  return new Promise((resolve, reject) => {
    const c = new ssh2.Client();
    c.on('ready', () => resolve(c));
    c.on('error', reject);
    c.connect({ host: '127.0.0.1', port, username, password, readyTimeout: 10_000 });
  });
}

function sftpOf(c: ssh2.Client): Promise<ssh2.SFTPWrapper> {
  return new Promise((resolve, reject) => c.sftp((err, s) => (err ? reject(err) : resolve(s))));
}

describe('SFTP server (real OpenSSH client)', () => {
  const fx = useTestContext({ chains: { a: 'Sftp A', b: 'Sftp B' }, config: { sftpMaxFileBytes: MAX_FILE } });
  let loginA: SshLogin;
  let loginB: SshLogin;
  let keyLoginA: SshLogin;

  const sftp = useSftpServer(fx, { server: { maxSessionsPerLogin: 3 } });
  beforeAll(async () => {
    const keyA = sftp.ws.keyPair('id_a');
    const la = await createSftpLogin(fx.ctx, fx.a.chain.id, { password: 'password-of-a-1', public_keys: [keyA.publicKey] }, 'test');
    const lb = await createSftpLogin(fx.ctx, fx.b.chain.id, {}, 'test');
    expect(lb.password).toMatch(/^[0-9A-Za-z]{24}$/);
    loginA = { port: sftp.server.port, username: la.username, password: 'password-of-a-1' };
    keyLoginA = { port: sftp.server.port, username: la.username, privateKey: keyA.privateKey };
    loginB = { port: sftp.server.port, username: lb.username, password: lb.password! };
  });

  it('password login: lists the two folders, uploads into Assortment/, stores the exact bytes', async () => {
    // 2.5 MB: several stored chunks, written by the client in pipelined 32 KB requests.
    const content = crypto.randomBytes(2.5 * 1024 * 1024);
    sftp.ws.file('catalog_upload.csv', content);
    const res = await sftpBatch(sftp.ws, loginA, ['ls', 'cd Assortment', 'put catalog_upload.csv', 'ls -l']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/Assortment\s+results/);
    expect(res.stdout).toMatch(/-rw-r--r--.*2621440 .*catalog_upload\.csv/);
    expect((await fileText(fx.t, fx.a.chain.id, 'Assortment', 'catalog_upload.csv')).equals(content)).toBe(true);
  });

  it('key login works; a wrong password and an unknown key are refused', async () => {
    const ok = await sftpBatch(sftp.ws, keyLoginA, ['ls /results']);
    expect(ok.code).toBe(0);
    const wrong = await sftpBatch(sftp.ws, { ...loginA, password: 'not-the-password' }, ['ls']);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain('Permission denied');
    const other = sftp.ws.keyPair('id_other');
    const badKey = await sftpBatch(sftp.ws, { ...keyLoginA, privateKey: other.privateKey }, ['ls']);
    expect(badKey.code).not.toBe(0);
    expect(badKey.stderr).toContain('Permission denied');
    const unknownUser = await sftpBatch(sftp.ws, { ...loginA, username: 'nobody-here' }, ['ls']);
    expect(unknownUser.code).not.toBe(0);
  });

  it('downloads result files from results/ (read-only), across chunk boundaries', async () => {
    const body = Array.from({ length: 60_000 }, (_, i) => `${i},s8ym,SKU-${i},,catalog,UPDATED,`).join('\r\n');
    await storeFile(fx.ctx, { chainId: fx.a.chain.id, folder: 'results', name: 'big.result.csv' }, [body]);
    const res = await sftpBatch(sftp.ws, loginA, ['cd results', 'get big.result.csv downloaded.csv']);
    expect(res.code).toBe(0);
    expect(sftp.ws.read('downloaded.csv')).toBe(body);
    const write = await sftpBatch(sftp.ws, loginA, ['put downloaded.csv results/mine.csv']);
    expect(write.code).not.toBe(0);
    expect(write.stderr).toMatch(/read-only|Permission denied/);
    const readUpload = await sftpBatch(sftp.ws, loginA, ['get Assortment/catalog_upload.csv back.csv']);
    expect(readUpload.code).not.toBe(0);
  });

  it('refuses path traversal, absolute paths outside the tree, and changes to the tree', async () => {
    sftp.ws.file('x.csv', 'sku,price\nA,1\n');
    const attempts: Array<[string[], RegExp]> = [
      [['get ../../etc/passwd p1'], /denied|not found|No such file/i],
      [['get /etc/passwd p2'], /denied|not found|No such file/i],
      [['get /Assortment/../../etc/hostname p3'], /denied|not found|No such file/i],
      [['put x.csv ../x.csv'], /denied/i],
      [['put x.csv /tmp/x.csv'], /denied/i],
      [['put x.csv Assortment/sub/x.csv'], /denied/i],
      [['ls /etc'], /denied|not found|Can't ls/i],
      [['mkdir Assortment/new'], /denied|Couldn't create/i],
      [['rm Assortment/catalog_upload.csv'], /denied|Couldn't delete/i],
      [['rename Assortment/catalog_upload.csv Assortment/y.csv'], /denied|Couldn't rename/i],
      [['symlink Assortment/catalog_upload.csv Assortment/link.csv'], /unsupported|Couldn't symlink/i],
    ];
    for (const [cmds, pattern] of attempts) {
      const res = await sftpBatch(sftp.ws, loginA, cmds);
      expect(res.code, cmds.join(';')).not.toBe(0);
      expect(res.stderr, cmds.join(';')).toMatch(pattern);
    }
    // `cd ..` at the top stays at the top, like on any server.
    const top = await sftpBatch(sftp.ws, loginA, ['cd ..', 'pwd', 'ls']);
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('Remote working directory: /');
    expect((await listFolder(fx.ctx.db, fx.a.chain.id, 'Assortment')).map((f) => f.name)).toEqual(['catalog_upload.csv']);
  });

  it('refuses a shell, a command and port forwarding', async () => {
    const exec = await sshCommand(sftp.ws, loginA, [], 'ls');
    expect(exec.code).not.toBe(0);
    expect(exec.stderr).toMatch(/exec request failed|failed/);
    const shell = await sshCommand(sftp.ws, loginA, ['-T']);
    expect(shell.code).not.toBe(0);
    const forward = await sshCommand(sftp.ws, loginA, ['-N', '-o', 'ExitOnForwardFailure=yes', '-R', '0:127.0.0.1:9']);
    expect(forward.code).not.toBe(0);
    expect(forward.stderr).toMatch(/forwarding failed/i);
  });

  it('keeps chains apart: B cannot see or read A’s files', async () => {
    sftp.ws.file('b_only.csv', 'sku,price\nB,2\n');
    const put = await sftpBatch(sftp.ws, loginB, ['put b_only.csv Assortment/b_only.csv']);
    expect(put.code).toBe(0);
    const lsA = await sftpBatch(sftp.ws, loginA, ['ls Assortment', 'ls results']);
    expect(lsA.stdout).not.toContain('b_only.csv');
    const lsB = await sftpBatch(sftp.ws, loginB, ['ls Assortment', 'ls results']);
    expect(lsB.stdout).toContain('b_only.csv');
    expect(lsB.stdout).not.toContain('catalog_upload.csv');
    const getB = await sftpBatch(sftp.ws, loginB, ['get results/big.result.csv stolen.csv']);
    expect(getB.code).not.toBe(0);
    expect(await findSealedFile(fx.ctx.db, fx.a.chain.id, 'Assortment', 'b_only.csv')).toBeUndefined();
  });

  it('refuses a file over the size cap and keeps nothing of it', async () => {
    sftp.ws.file('too_big.csv', crypto.randomBytes(MAX_FILE + 1024));
    const res = await sftpBatch(sftp.ws, loginA, ['put too_big.csv Assortment/too_big.csv']);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/limit|Failure/i);
    expect(await findSealedFile(fx.ctx.db, fx.a.chain.id, 'Assortment', 'too_big.csv')).toBeUndefined();
    const leftovers = await fx.ctx.db.selectFrom('sftp_files').select('id').where('name', '=', 'too_big.csv').execute();
    expect(leftovers).toEqual([]);
  });

  it('lists a folder of more entries than one READDIR batch, and the listing ends', async () => {
    for (let i = 0; i < 130; i++) await storeFile(fx.ctx, { chainId: fx.b.chain.id, folder: 'results', name: `r${String(i).padStart(3, '0')}.result.csv` }, [`row ${i}\n`]);
    const res = await sftpBatch(sftp.ws, loginB, ['ls -1 results']);
    expect(res.code).toBe(0);
    const names = res.stdout.split('\n').filter((l) => l.includes('.result.csv'));
    expect(names).toHaveLength(130);
  });

  it('stores writes at the offsets the client sends (out of order, overlapping) and answers every request', async () => {
    const c = await connect(sftp.server.port, loginA.username, loginA.password!);
    try {
      const s = await sftpOf(c);
      const handle = await new Promise<Buffer>((res, rej) => s.open('/Assortment/offsets.csv', 'w', (e, h) => (e ? rej(e) : res(h))));
      const write = (data: string, pos: number) => new Promise<void>((res, rej) => s.write(handle, Buffer.from(data), 0, data.length, pos, (e) => (e ? rej(e) : res())));
      await write('WORLD', 6);
      await write('HELLO,', 0);
      await write('w', 6);
      await new Promise<void>((res, rej) => s.close(handle, (e) => (e ? rej(e) : res())));
      expect((await fileText(fx.t, fx.a.chain.id, 'Assortment', 'offsets.csv')).toString()).toBe('HELLO,wORLD');
      // Unsupported operations answer with an error status instead of hanging.
      const errors = await Promise.all([
        new Promise<Error | undefined>((res) => s.rename('/Assortment/offsets.csv', '/Assortment/o.csv', (e) => res(e ?? undefined))),
        new Promise<Error | undefined>((res) => s.mkdir('/results/x', (e) => res(e ?? undefined))),
        new Promise<Error | undefined>((res) => s.readlink('/results', (e) => res(e ?? undefined))),
        new Promise<Error | undefined>((res) => s.open('/Assortment/a.csv', 'a', (e) => res(e ?? undefined))),
        new Promise<Error | undefined>((res) => s.opendir('/nope', (e) => res(e ?? undefined))),
        new Promise<Error | undefined>((res) => s.stat('/results/missing.csv', (e) => res(e ?? undefined))),
      ]);
      for (const e of errors) expect(e).toBeInstanceOf(Error);
    } finally {
      c.end();
    }
  });

  it('discards an upload whose connection drops before CLOSE', async () => {
    const c = await connect(sftp.server.port, loginA.username, loginA.password!);
    const s = await sftpOf(c);
    const handle = await new Promise<Buffer>((res, rej) => s.open('/Assortment/dropped.csv', 'w', (e, h) => (e ? rej(e) : res(h))));
    await new Promise<void>((res, rej) => s.write(handle, Buffer.from('sku\n'), 0, 4, 0, (e) => (e ? rej(e) : res())));
    c.end();
    await expect.poll(async () => (await fx.ctx.db.selectFrom('sftp_files').select('id').where('name', '=', 'dropped.csv').execute()).length, { timeout: 5000 }).toBe(0);
  });

  it('caps concurrent sessions per login', async () => {
    const held = [await connect(sftp.server.port, loginB.username, loginB.password!), await connect(sftp.server.port, loginB.username, loginB.password!), await connect(sftp.server.port, loginB.username, loginB.password!)];
    try {
      await expect(connect(sftp.server.port, loginB.username, loginB.password!)).rejects.toThrow(/authentication/i);
      // Another chain's login is not affected.
      (await connect(sftp.server.port, loginA.username, loginA.password!)).end();
    } finally {
      for (const c of held) c.end();
    }
    await expect.poll(async () => {
      try {
        (await connect(sftp.server.port, loginB.username, loginB.password!)).end();
        return true;
      } catch {
        return false;
      }
    }, { timeout: 5000 }).toBe(true);
  });

  it('closes idle connections, and every node presents the same persisted host key', async () => {
    const idle = new SftpServer(fx.ctx, { port: 0, idleTimeoutSeconds: 1 });
    await idle.start();
    try {
      const keys: Buffer[] = [];
      const c = new ssh2.Client();
      const closed = new Promise<number>((res) => c.on('close', () => res(Date.now())));
      await new Promise<void>((res, rej) => {
        c.on('ready', () => res());
        c.on('error', rej);
        c.connect({ host: '127.0.0.1', port: idle.port, username: loginA.username, password: loginA.password, hostVerifier: (key: Buffer) => (keys.push(key), true) });
      });
      const start = Date.now();
      expect((await closed) - start).toBeLessThan(4000);
      const c2 = new ssh2.Client();
      await new Promise<void>((res, rej) => {
        c2.on('ready', () => res());
        c2.on('error', rej);
        c2.connect({ host: '127.0.0.1', port: sftp.server.port, username: loginA.username, password: loginA.password, hostVerifier: (key: Buffer) => (keys.push(key), true) });
      });
      c2.end();
      expect(keys).toHaveLength(2);
      expect(keys[0]!.equals(keys[1]!)).toBe(true);
      expect(await fx.ctx.db.selectFrom('sftp_host_keys').select('id').execute()).toHaveLength(1);
    } finally {
      await idle.stop();
    }
  });
});
