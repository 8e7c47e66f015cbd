import crypto from 'node:crypto';

/** The request id: the client's `X-Request-Id` when it is a short token of safe characters, else a new UUID. */
export function requestIdOf(given: string | string[] | undefined): string {
  return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : crypto.randomUUID();
}
