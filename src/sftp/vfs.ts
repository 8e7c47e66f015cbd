import type { Folder } from './sftp-files.repository.js';

/** What a client path names in a chain's virtual file system. */
export type VPath =
  | { kind: 'root'; path: '/' }
  | { kind: 'dir'; folder: Folder; path: string }
  | { kind: 'file'; folder: Folder; name: string; path: string }
  /** Outside the tree (traversal above the root, unknown top-level names, sub-directories, bad names). */
  | { kind: 'denied'; reason: string };

const FOLDERS: Record<string, Folder> = { assortment: 'Assortment', results: 'results' };
/** File names we store: visible ASCII without separators, no leading dot or dash, at most 200 bytes. */
const FILE_NAME = /^[A-Za-z0-9_][A-Za-z0-9 ._()+-]{0,199}$/;

/** Whether a name may be stored in a folder (the same rule for SFTP and portal uploads). */
export function isStorableFileName(name: string): boolean {
  return FILE_NAME.test(name);
}

/**
 * Resolves a client path against the root `/` (the login's home). `..` above the root, NUL or control
 * characters, backslashes, anything outside `Assortment/` and `results/`, and sub-directories are
 * refused — the tree is virtual, so nothing on the server's disk is ever reachable anyway.
 * Folder names match case-insensitively and resolve to their canonical spelling.
 */
export function resolvePath(raw: string): VPath {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(raw)) return { kind: 'denied', reason: 'control characters or backslashes in the path' };
  if (raw.length > 1024) return { kind: 'denied', reason: 'path too long' };
  const parts: string[] = [];
  for (const seg of raw.split('/')) {
    if (seg === '' || seg === '.' || seg === '~') continue;
    if (seg === '..') {
      if (!parts.length) return { kind: 'denied', reason: 'the path leaves the home directory' };
      parts.pop();
      continue;
    }
    parts.push(seg);
  }
  if (parts.length === 0) return { kind: 'root', path: '/' };
  const folder = FOLDERS[parts[0]!.toLowerCase()];
  if (!folder) return { kind: 'denied', reason: `only /Assortment and /results exist (got /${parts[0]})` };
  if (parts.length === 1) return { kind: 'dir', folder, path: `/${folder}` };
  if (parts.length > 2) return { kind: 'denied', reason: 'no sub-directories' };
  const name = parts[1]!;
  if (!FILE_NAME.test(name)) return { kind: 'denied', reason: `file name not allowed: ${JSON.stringify(name)} (letters, digits, space . _ ( ) + -)` };
  return { kind: 'file', folder, name, path: `/${folder}/${name}` };
}

/**
 * realpath(3) semantics for REALPATH requests: `..` stops at the root instead of failing, so that
 * `cd ..` at the top behaves like on any server. Other requests use resolvePath and refuse traversal.
 */
export function realPath(raw: string): VPath {
  const parts: string[] = [];
  for (const seg of raw.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '' && seg !== '.') parts.push(seg);
  }
  return resolvePath(`/${parts.join('/')}`);
}
