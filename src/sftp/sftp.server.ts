import type { AddressInfo } from 'node:net';
import client from 'prom-client';
import type { AuthContext, Connection, Server } from 'ssh2';
import type { AppContext } from '../platform/context.js';
import type { BackgroundService } from '../platform/background-service.js';
import { admitAttempt, recordFailure, recordSuccess, releaseAttempt, sftpKeys } from '../security/index.js';
import { verifyPassword } from '../platform/passwords.js';
import { ensureHostKey } from './host-key.js';
import { deleteAbandonedUploads, purgeFinishedUploads } from './sftp-files.repository.js';
import { serveSftp, type SftpLoginInfo } from './sftp-session.js';
import { findSftpUserByUsername, publicKeysOf, recordLogin } from './sftp-users.repository.js';
import { parsePublicKeyLine } from './sftp-users.service.js';

const SWEEP_EVERY_MS = 10 * 60_000;
/** An upload not written to for this long belongs to a dead connection or node. */
const ABANDONED_AFTER_MS = 6 * 3600_000;
const MAX_CHANNELS_PER_CONNECTION = 4;

/** What one authentication request proved. */
type Verdict = { kind: 'ok'; login: SftpLoginInfo } | { kind: 'offer-accepted' } | { kind: 'offer-refused' } | { kind: 'failed' };

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
  private server: Server | undefined;
  private ssh2: typeof import('ssh2') | undefined;
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
    // Loaded here, not at import: CLI commands load this module but never start the server.
    const ssh2 = (this.ssh2 = (await import('ssh2')).default);
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
      const purged = await purgeFinishedUploads(this.ctx.db, new Date(this.ctx.clock.now().getTime() - this.ctx.config.sftpUploadRetentionHours * 3600_000));
      if (purged) this.ctx.log.info({ count: purged, retention_hours: this.ctx.config.sftpUploadRetentionHours }, 'deleted processed sftp uploads past their retention');
    } catch (err) {
      this.ctx.log.error({ err }, 'sweeping abandoned sftp uploads failed');
    }
  }

  /**
   * One authentication request. Password and public-key attempts pass the shared throttle (per
   * login and per source address, in the database): while a counter waits, every method is refused,
   * even the right password. A key offered without a signature (the client asking whether it would
   * do) is checked against the throttle but never counts as a failure.
   */
  private async authenticate(actx: AuthContext, ip: string): Promise<SftpLoginInfo | 'partial' | 'throttled' | undefined> {
    if (actx.method !== 'password' && actx.method !== 'publickey') return undefined;
    const admission = await admitAttempt(this.ctx, sftpKeys(actx.username, ip));
    if (!admission.ok) return 'throttled';
    const ticket = admission.ticket;
    let verdict: Verdict;
    try {
      verdict = await this.verify(actx);
    } catch (err) {
      await releaseAttempt(this.ctx, ticket);
      throw err;
    }
    if (verdict.kind === 'ok') await recordSuccess(this.ctx, ticket);
    else if (verdict.kind === 'failed') await recordFailure(this.ctx, ticket);
    else await releaseAttempt(this.ctx, ticket);
    return verdict.kind === 'ok' ? verdict.login : verdict.kind === 'offer-accepted' ? 'partial' : undefined;
  }

  private async verify(actx: AuthContext): Promise<Verdict> {
    const user = await findSftpUserByUsername(this.ctx.db, actx.username);
    const ok = (u: NonNullable<typeof user>): Verdict => ({ kind: 'ok', login: { userId: u.id, chainId: u.chain_id, username: u.username } });
    if (actx.method === 'password') {
      // Always run the hash so an unknown user costs the same time as a wrong password.
      const match = await verifyPassword(actx.password, user?.password_hash ?? undefined);
      return match && user && user.disabled_at === null ? ok(user) : { kind: 'failed' };
    }
    if (actx.method !== 'publickey') return { kind: 'failed' };
    // Without a signature the client only asks whether this key would do.
    const refused: Verdict = actx.signature ? { kind: 'failed' } : { kind: 'offer-refused' };
    if (!user || user.disabled_at !== null) return refused;
    const match = publicKeysOf(user)
      .map((line, i) => parsePublicKeyLine(line, `public_keys[${i}]`))
      .find((k) => k.blob.equals(actx.key.data));
    if (!match) return refused;
    if (!actx.signature || !actx.blob) return { kind: 'offer-accepted' };
    const parsed = this.ssh2!.utils.parseKey(match.line);
    const key = Array.isArray(parsed) ? parsed[0] : parsed;
    if (!key || key instanceof Error || key.verify(actx.blob, actx.signature, actx.hashAlgo) !== true) return { kind: 'failed' };
    return ok(user);
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
      this.authenticate(actx, ip).then(
        (result) => {
          if (result === 'partial') return actx.accept();
          if (result === 'throttled') {
            this.metrics.authFailures.inc();
            ctx.log.warn({ ip, username: actx.username, method: actx.method }, 'sftp login refused: too many failed logins (throttled)');
            return actx.reject(['password', 'publickey']);
          }
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
