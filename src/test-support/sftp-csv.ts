import { indexColumns } from '../sftp/csv/columns.js';
import { preflightCsv } from '../sftp/csv/csv-preflight.js';
import { readCsv, type CsvHeader } from '../sftp/csv/csv-reader.js';
import { fileScope, type FileScope, type VendorDirectory } from '../sftp/csv/file-scope.js';
import { typeItem, type TypedRow } from '../sftp/csv/rows.js';

export interface ParsedSftpCsv {
  header: CsvHeader;
  scope: FileScope;
  /** Typed rows in file order (bad records as row errors). Streams: one record in memory at a time. */
  rows: AsyncGenerator<TypedRow>;
}

/**
 * The one-piece parse of an SFTP CSV from any byte source, built from the same pieces the SFTP job
 * uses on stored chunks (StoredCsvRows): the tests' reference for what a file means. `open()` is
 * called twice (a byte-level preflight, then the parse), so any whole-file problem (empty, not UTF-8,
 * a line over the cap, unknown name or columns) throws CsvFileError before the first row is handed out.
 */
export async function openSftpCsv(
  open: () => AsyncIterable<Buffer>,
  fileName: string,
  directory: VendorDirectory,
  opts: { maxLineBytes: number },
): Promise<ParsedSftpCsv> {
  await preflightCsv(open(), opts);
  const { header, items } = await readCsv(open(), opts);
  const scope = fileScope(fileName, header, directory);
  const index = indexColumns(header, scope);
  async function* rows(): AsyncGenerator<TypedRow> {
    for await (const item of items) yield typeItem(item, header, index, scope, directory);
  }
  return { header, scope, rows: rows() };
}
