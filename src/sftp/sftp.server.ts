import type { AddressInfo } from 'node:net';
import client from 'prom-client';
import ssh2, { type AuthContext, type Connection } from 'ssh2';
import type { AppContext } from '../context.js';
import type { BackgroundService } from '../server.js';
import { verifyPassword } from '../shared/passwords.js';
import { ensureHostKey } from './host-key.js';
import { deleteAbandonedUploads } from './sftp-files.repository.js';
import { serveSftp, type SftpLoginInfo } from './sftp-session.js';
import { findSftpUserByUsername, publicKeysOf, recordLogin } from './sftp-users.repository.js';
import { parsePublicKeyLine } from './sftp-users.service.js';

const SWEEP_EVERY_MS = 10 * 60_000;
/** An upload not written to for this long belongs to a dead connection or node. */
const ABANDONED_AFTER_MS = 6 * 3600_000;
const MAX_CHANNELS_PER_CONNECTION = 4;

interface SftpMetrics {
  connections: client.Gauge;
  authFailures: client.Counter;
}

function metricsOf(ctx: AppContext): SftpMetrics {
  const r = ctx.metrics.registry;
  const existing = r.getSingleMetric('comanda_sftp_connections') as client.Gauge | undefined;
  if (existing) return { connections: existing, authFailures: r.getSingleMetric('comanda_sftp_auth_failures_total') as client.Counter };
  return {
    connections: new client.Gauge({ name: 'comanda_sftp_connections', help: 'Authenticated SFTP connections', registers: [r] }),
    authFailures: new client.Counter({ name: 'comanda_sftp_auth_failures_total', help: 'Refused SFTP logins (wrong password, unknown key, session cap)', registers: [r] }),
  };
}

/**
 * The SFTP server (role `sftp`): ssh2 in server mode, one login per chain, SFTP subsystem only.
 * Shell, exec, other subsystems and port forwarding are refused (no listener = ssh2 refuses; the
 * explicit handlers below also log the attempt).
 */
export class SftpServer implements BackgroundService {
  readonly name = 'sftp';
  private server: ssh2.Server | undefined;
  private readonly connections = new Set<Connection>();
  private readonly cleanups = new Set<Promise<void>>();
  private readonly sessionsPerUser = new Map<string, number>();
  private sweeper: NodeJS.Timeout | undefined;
  private readonly metrics: SftpMetrics;

  constructor(
    private readonly ctx: AppContext,
    private readonly opts: { port?: number; host?: string; idleTimeoutSeconds?: number; maxSessionsPerLogin?: number } = {},
  ) {
    this.metrics = metricsOf(ctx);
  }

  /** The port actually listened on (useful with port 0). */
  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? 0;
  }

  async start(): Promise<void> {
    const hostKey = await ensureHostKey(this.ctx);
    await this.sweep();
    this.sweeper = setInterval(() => void this.sweep(), SWEEP_EVERY_MS);
    this.sweeper.unref();
    const server = new ssh2.Server({ hostKeys: [hostKey], ident: 'Comanda' }, (conn, info) => this.onConnection(conn, info.ip));
    server.on('error', (err: Error) => this.ctx.log.error({ err }, 'sftp server error'));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port ?? this.ctx.config.sftpPort, this.opts.host ?? this.ctx.config.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.ctx.log.info({ port: this.port }, 'sftp listening');
  }

  async stop(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    const server = this.server;
    this.server = undefined;
    for (const c of this.connections) c.end();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    await Promise.all(this.cleanups);
  }

  private async sweep(): Promise<void> {
    try {
      const n = await deleteAbandonedUploads(this.ctx.db, new Date(this.ctx.clock.now().getTime() - ABANDONED_AFTER_MS));
      if (n) this.ctx.log.info({ count: n }, 'discarded abandoned sftp uploads');
    } catch (err) {
      this.ctx.log.error({ err }, 'sweeping abandoned sftp uploads failed');
    }
  }

  private async authenticate(actx: AuthContext): Promise<SftpLoginInfo | 'partial' | undefined> {
    const user = await findSftpUserByUsername(this.ctx.db, actx.username);
    if (actx.method === 'password') {
      // Always run the hash so an unknown user costs the same time as a wrong password.
      const ok = await verifyPassword(actx.password, user?.password_hash ?? undefined);
      if (!ok || !user || user.disabled_at !== null) return undefined;
      return { userId: user.id, chainId: user.chain_id, username: user.username };
    }
    if (actx.method === 'publickey') {
      if (!user || user.disabled_at !== null) return undefined;
      const match = publicKeysOf(user)
        .map((line, i) => parsePublicKeyLine(line, `public_keys[${i}]`))
        .find((k) => k.blob.equals(actx.key.data));
      if (!match) return undefined;
      // Without a signature the client only asks whether this key would do.
      if (!actx.signature || !actx.blob) return 'partial';
      const parsed = ssh2.utils.parseKey(match.line);
      const key = Array.isArray(parsed) ? parsed[0] : parsed;
      if (!key || key instanceof Error || key.verify(actx.blob, actx.signature, actx.hashAlgo) !== true) return undefined;
      return { userId: user.id, chainId: user.chain_id, username: user.username };
    }
    return undefined;
  }

  private onConnection(conn: Connection, ip: string): void {
    const ctx = this.ctx;
    this.connections.add(conn);
    let login: SftpLoginInfo | undefined;
    let channels = 0;
    const aborts: Array<() => Promise<void>> = [];
    const idle = setTimeout(() => {
      ctx.log.info({ ip, sftpUser: login?.username }, 'sftp connection idle, closing');
      conn.end();
    }, (this.opts.idleTimeoutSeconds ?? ctx.config.sftpIdleTimeoutSeconds) * 1000);
    idle.unref();
    const touch = () => idle.refresh();

    conn.on('error', (err: Error) => ctx.log.debug({ err, ip }, 'sftp connection error'));
    conn.on('authentication', (actx) => {
      touch();
      this.authenticate(actx).then(
        (result) => {
          if (result === 'partial') return actx.accept();
          if (!result) {
            if (actx.method !== 'none') {
              this.metrics.authFailures.inc();
              ctx.log.warn({ ip, username: actx.username, method: actx.method }, 'sftp login refused');
            }
            return actx.reject(['password', 'publickey']);
          }
          const open = this.sessionsPerUser.get(result.userId) ?? 0;
          if (open >= (this.opts.maxSessionsPerLogin ?? ctx.config.sftpMaxSessionsPerLogin)) {
            this.metrics.authFailures.inc();
            ctx.log.warn({ ip, username: actx.username, open }, 'sftp login refused: session cap reached');
            return actx.reject(['password', 'publickey']);
          }
          this.sessionsPerUser.set(result.userId, open + 1);
          this.metrics.connections.inc();
          login = result;
          actx.accept();
        },
        (err) => {
          ctx.log.error({ err }, 'sftp authentication failed');
          actx.reject();
        },
      );
    });

    conn.on('ready', () => {
      const who = login!;
      ctx.log.info({ ip, sftpUser: who.username, chainId: who.chainId }, 'sftp login');
      void recordLogin(ctx.db, who.userId, ctx.clock.now()).catch(() => undefined);
      conn.on('session', (accept, reject) => {
        touch();
        if (++channels > MAX_CHANNELS_PER_CONNECTION) return reject();
        const session = accept();
        session.on('sftp', (acceptSftp) => {
          const sftp = acceptSftp();
          aborts.push(serveSftp(ctx, who, sftp, touch));
        });
        const refuse = (what: string) => (_accept: unknown, rejectReq?: () => void) => {
          ctx.log.warn({ ip, sftpUser: who.username, what }, 'sftp: refused a non-SFTP request');
          rejectReq?.();
        };
        session.on('shell', refuse('shell'));
        session.on('exec', refuse('exec'));
        session.on('subsystem', refuse('subsystem'));
        session.on('pty', refuse('pty'));
        session.on('x11', refuse('x11'));
        session.on('auth-agent', refuse('auth-agent'));
        session.on('env', (_a, rejectEnv) => rejectEnv?.());
      });
      conn.on('tcpip', (_accept, rejectFwd) => {
        ctx.log.warn({ ip, sftpUser: who.username }, 'sftp: refused port forwarding');
        rejectFwd();
      });
      conn.on('request', (_accept, rejectReq, name) => {
        ctx.log.warn({ ip, sftpUser: who.username, name }, 'sftp: refused a global request');
        rejectReq?.();
      });
    });

    conn.on('close', () => {
      clearTimeout(idle);
      this.connections.delete(conn);
      if (login) {
        const open = (this.sessionsPerUser.get(login.userId) ?? 1) - 1;
        if (open > 0) this.sessionsPerUser.set(login.userId, open);
        else this.sessionsPerUser.delete(login.userId);
        this.metrics.connections.dec();
      }
      if (aborts.length) {
        const cleanup = Promise.all(aborts.map((a) => a())).then(() => undefined);
        this.cleanups.add(cleanup);
        void cleanup.finally(() => this.cleanups.delete(cleanup));
      }
    });
  }
}

/** Factory for the `sftp` role in src/server.ts. */
export function sftpService(ctx: AppContext): BackgroundService {
  return new SftpServer(ctx);
}
