import fs from 'node:fs';

/**
 * The data directory holds the SQLite database, the secret key file and demo credentials: a directory
 * we create is 0700. An existing one is left as it is (it may be shared, e.g. /tmp); the files in it
 * that matter are made 0600 one by one (tighten).
 */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/** Makes an existing file owner-only when group or others have any access to it. */
export function tighten(file: string): void {
  try {
    const st = fs.statSync(file);
    if ((st.mode & 0o077) !== 0) fs.chmodSync(file, st.mode & 0o700);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/** Creates `file` empty with mode 0600 unless it exists (so SQLite's -wal/-shm, which copy its mode, are 0600 too). */
export function createPrivateFile(file: string): void {
  try {
    fs.closeSync(fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY, 0o600));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}
