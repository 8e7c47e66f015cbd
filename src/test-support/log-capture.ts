import { Writable } from 'node:stream';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { createLogger } from '../platform/logger.js';

/** A real logger (our redaction and serialisers included) writing into memory, for tests that read the log. */
export interface CapturedLog {
  readonly logger: Logger;
  /** Everything written since the start or the last clear(). */
  text(): string;
  clear(): void;
}

export function captureLog(logLevel: Config['logLevel']): CapturedLog {
  let text = '';
  const sink = new Writable({
    write(chunk, _enc, cb) {
      text += chunk.toString();
      cb();
    },
  });
  return { logger: createLogger({ logLevel }, sink), text: () => text, clear: () => void (text = '') };
}
