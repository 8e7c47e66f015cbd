import { STATUS_CODE, type SftpChannel } from './sftp-channel.js';

/** What the file system never does: changing its shape, symbolic links, extensions. */
export function serveRefusals(ch: SftpChannel): void {
  const refuse = (what: string) => (id: number) => ch.denied(id, `${what} is not allowed: upload files into Assortment/`);
  ch.on('REMOVE', refuse('removing files'));
  ch.on('RENAME', refuse('renaming files'));
  ch.on('MKDIR', refuse('creating directories'));
  ch.on('RMDIR', refuse('removing directories'));
  ch.on('SYMLINK', (id) => ch.status(id, STATUS_CODE.OP_UNSUPPORTED, 'symbolic links are not supported'));
  ch.on('READLINK', (id) => ch.status(id, STATUS_CODE.OP_UNSUPPORTED, 'symbolic links are not supported'));
  ch.on('EXTENDED', (id) => ch.status(id, STATUS_CODE.OP_UNSUPPORTED, 'extension not supported'));
}
