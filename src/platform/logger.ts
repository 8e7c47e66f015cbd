import pino, { type Logger } from 'pino';
import type { Config } from '../config.js';

/** Paths that may carry secrets anywhere we log objects: censored, never printed. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.secret',
  '*.client_secret',
  '*.access_token',
  '*.authorization',
  '*.signing_secret',
];

const CENSOR = '[redacted]';

/** Query parameter names that carry credentials (`?access_token=`, `?api_key=`, `?client_secret=` …). */
const CREDENTIAL_PARAM = /^(access[_-]?token|refresh[_-]?token|id[_-]?token|token|api[_-]?key|apikey|key|secret|client[_-]?secret|password|passwd|pwd|auth|authorization|signature|sig|session|session[_-]?id|code|bearer|jwt|credentials?)$|token|secret|password|passw|api[_-]?key/i;
/** Our own credential shapes (tokens, keys, webhook secrets) wherever they appear in a URL, even in a path. */
const CREDENTIAL_SHAPE = /\b(cmd_[a-z]+_[0-9A-Za-z]{43}_[0-9A-Za-z]{6}|whsec_[A-Za-z0-9+/=]{16,})/g;

/**
 * A request URL safe to log: values of credential-looking query parameters and anything shaped like
 * one of our secrets are replaced. Partners do send `?access_token=…`; it must not reach the logs.
 */
export function redactUrl(url: string): string {
  const shaped = url.replace(CREDENTIAL_SHAPE, CENSOR);
  const q = shaped.indexOf('?');
  if (q < 0) return shaped;
  const query = shaped
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      let name = eq < 0 ? pair : pair.slice(0, eq);
      try {
        name = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        /* keep the raw name */
      }
      return eq >= 0 && CREDENTIAL_PARAM.test(name) ? `${pair.slice(0, eq)}=${CENSOR}` : pair;
    })
    .join('&');
  return `${shaped.slice(0, q)}?${query}`;
}

interface LoggedRequest {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  headers?: Record<string, unknown>;
  socket?: { remotePort?: number };
}

/** Fastify's request serializer (method, url, host, address), with the URL redacted. */
function requestSerializer(req: LoggedRequest): Record<string, unknown> {
  return {
    method: req.method,
    url: typeof req.url === 'string' ? redactUrl(req.url) : req.url,
    version: req.headers?.['accept-version'],
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

export function createLogger(config: Pick<Config, 'logLevel'>, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level: config.logLevel,
      base: { service: 'comanda' },
      redact: { paths: REDACT_PATHS, censor: CENSOR },
      serializers: { req: requestSerializer },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

type LogMethod = (...args: unknown[]) => void;
const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;

/**
 * A request's child logger, created only when something is logged at an enabled level: at the usual
 * warn/info levels most requests log nothing, and pino's child() (bindings serialised, redaction
 * set up) was a measurable share of a hot GET. Behaves as the child it stands for.
 */
class LazyChildLogger {
  private real: Logger | undefined;
  constructor(
    readonly parent: Logger,
    private readonly bindings: pino.Bindings,
    private readonly opts: pino.ChildLoggerOptions,
  ) {}
  get level(): string {
    return this.parent.level;
  }
  isLevelEnabled(level: string): boolean {
    return this.parent.isLevelEnabled(level);
  }
  child(bindings: pino.Bindings, opts?: pino.ChildLoggerOptions): Logger {
    return this.materialise().child(bindings, opts);
  }
  /** The real child, created on first use. */
  materialise(): Logger {
    return (this.real ??= this.parent.child(this.bindings, this.opts));
  }
}
for (const level of LEVELS) {
  Object.defineProperty(LazyChildLogger.prototype, level, {
    value: function (this: LazyChildLogger, ...args: unknown[]) {
      if (this.parent.isLevelEnabled(level)) (this.materialise()[level] as LogMethod)(...args);
    },
  });
}

/** Fastify's childLoggerFactory: request loggers that cost nothing until used. */
export function lazyChildLogger(logger: Logger, bindings: pino.Bindings, opts: pino.ChildLoggerOptions): Logger {
  return new LazyChildLogger(logger, bindings, opts) as unknown as Logger;
}
