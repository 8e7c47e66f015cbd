import fs from 'node:fs';
import type { Attributes } from 'ssh2';
import type { SftpFile } from './sftp-files.repository.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function dirAttrs(writable: boolean, mtime: number): Attributes {
  return { mode: fs.constants.S_IFDIR | (writable ? 0o755 : 0o555), uid: 0, gid: 0, size: 0, atime: mtime, mtime };
}

export function fileAttrs(file: SftpFile): Attributes {
  const mtime = Math.floor(Date.parse(file.sealedAt ?? file.createdAt) / 1000);
  return { mode: fs.constants.S_IFREG | (file.folder === 'results' ? 0o444 : 0o644), uid: 0, gid: 0, size: file.size, atime: mtime, mtime };
}

/** An upload still being written: its size so far, timed now. */
export function uploadAttrs(size: number, now: number): Attributes {
  return { mode: fs.constants.S_IFREG | 0o644, uid: 0, gid: 0, size, atime: now, mtime: now };
}

/** `ls -l` style line, which OpenSSH's sftp prints for `ls -l`. */
export function longname(name: string, attrs: Attributes, owner: string): string {
  const isDir = (attrs.mode & fs.constants.S_IFMT) === fs.constants.S_IFDIR;
  const bits = attrs.mode & 0o777;
  let perms = isDir ? 'd' : '-';
  for (let shift = 6; shift >= 0; shift -= 3) {
    const b = (bits >> shift) & 7;
    perms += `${b & 4 ? 'r' : '-'}${b & 2 ? 'w' : '-'}${b & 1 ? 'x' : '-'}`;
  }
  const d = new Date(attrs.mtime * 1000);
  const date = `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
  const who = owner.slice(0, 8).padEnd(8, ' ');
  return `${perms}    1 ${who} ${who} ${String(attrs.size).padStart(8, ' ')} ${date} ${name}`;
}
