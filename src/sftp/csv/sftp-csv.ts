import { indexColumns } from './columns.js';
import { preflightCsv } from './csv-preflight.js';
import { readCsv, type CsvHeader } from './csv-reader.js';
import { fileScope, type FileScope, type VendorDirectory } from './file-scope.js';
import { typeRow, type TypedRow } from './rows.js';

export interface ParsedSftpCsv {
  header: CsvHeader;
  scope: FileScope;
  /** Typed rows in file order (bad records as row errors). Streams: one record in memory at a time. */
  rows: AsyncGenerator<TypedRow>;
}

/**
 * Opens an uploaded CSV for processing, independent of where its bytes live: `open()` is called
 * twice (a byte-level preflight, then the parse), so any whole-file problem (empty, not UTF-8, a line
 * over the cap, unknown name or columns) throws CsvFileError before the first row is handed out.
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
  const columnCount = header.columns.length;
  async function* rows(): AsyncGenerator<TypedRow> {
    for await (const item of items) {
      if (item.type === 'bad_record') {
        yield { kind: 'error', line: item.line, vendorRefs: '', sku: undefined, barcode: undefined, code: 'UNREADABLE_ROW', message: item.message };
        continue;
      }
      yield typeRow(item.cells, item.line, index, columnCount, header.delimiter, scope, directory);
    }
  }
  return { header, scope, rows: rows() };
}
