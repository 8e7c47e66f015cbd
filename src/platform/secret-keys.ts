import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import { ensurePrivateDir, tighten } from './private-files.js';
import { generateKeyText, parseKey, SecretBox, SecretKeyError } from './secret-box.js';

export const KEY_FILE_NAME = 'secret.key';

type KeyConfig = Pick<Config, 'secretKey' | 'previousSecretKeys' | 'dataDir'>;

/** Where the generated key lives when COMANDA_SECRET_KEY is not set. */
export function keyFilePath(config: Pick<Config, 'dataDir'>): string {
  return path.join(config.dataDir, KEY_FILE_NAME);
}

/**
 * The key file: read it, or create it (0600, in a 0700 data directory) on first start. Two processes
 * starting together both try an exclusive create; the loser reads the winner's key.
 */
function keyFromFile(file: string): Buffer {
  let text: string;
  try {
    ensurePrivateDir(path.dirname(file));
    try {
      fs.writeFileSync(file, `${generateKeyText()}\n`, { flag: 'wx', mode: 0o600 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    tighten(file);
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new SecretKeyError(`cannot create or read the key file ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)}): set COMANDA_SECRET_KEY, or make COMANDA_DATA_DIR writable`);
  }
  const key = parseKey(text);
  if (!key) throw new SecretKeyError(`${file} does not hold a 256-bit key (base64 or hex); restore it from a backup or set COMANDA_SECRET_KEY`);
  return key;
}

/**
 * The process's key ring: COMANDA_SECRET_KEY (or the data directory's key file) seals; the keys in
 * COMANDA_SECRET_KEY_PREVIOUS only open (during a rotation). Config has validated the texts already.
 */
export function loadSecretBox(config: KeyConfig): SecretBox {
  const current = config.secretKey !== undefined ? parseKey(config.secretKey)! : keyFromFile(keyFilePath(config));
  return new SecretBox(current, config.previousSecretKeys.map((k) => parseKey(k)!));
}
