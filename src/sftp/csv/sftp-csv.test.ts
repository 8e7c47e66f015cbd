import { describe, expect, it } from 'vitest';
import { CsvFileError, detectDelimiter } from './csv-reader.js';
import { VendorDirectory } from './file-scope.js';
import { csvField as csvCell } from '../../platform/csv/csv-writer.js';
import { encodeStepResults, formatResultLine, resultHeader, type StepResult } from './results-csv.js';
import { decodeResults, encodeResults } from '../../jobs/result-codec.js';
import type { JobRowResult } from '../../jobs/jobs.types.js';
import type { CatalogRow, PromotionRow, RowError, TypedRow } from './rows.js';
import { openSftpCsv } from '../../test-support/sftp-csv.js';

const directory = new VendorDirectory([
  { id: 'v1', code: 's8ym', external_id: 'STORE-1' },
  { id: 'v2', code: 'k2pq', external_id: 'STORE-2' },
  { id: 'v3', code: 'm3rt', external_id: null },
]);
const MAX_LINE = 64 * 1024;

/** The file as the database would stream it: in chunks of `chunk` bytes (boundaries anywhere). */
function source(content: string | Buffer, chunk = 7): () => AsyncIterable<Buffer> {
  const buf = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return async function* () {
    for (let i = 0; i < buf.length; i += chunk) yield buf.subarray(i, i + chunk);
  };
}

async function parse(name: string, content: string | Buffer, chunk?: number): Promise<TypedRow[]> {
  const { rows } = await openSftpCsv(source(content, chunk), name, directory, { maxLineBytes: MAX_LINE });
  const out: TypedRow[] = [];
  for await (const r of rows) out.push(r);
  return out;
}

async function refusal(name: string, content: string | Buffer): Promise<CsvFileError> {
  try {
    await parse(name, content);
  } catch (err) {
    if (err instanceof CsvFileError) return err;
    throw err;
  }
  throw new Error('expected the file to be refused');
}

describe('SFTP CSV layer', () => {
  it('reads a single-vendor catalog file with BOM, CRLF, quotes and ; delimiter', async () => {
    const rows = await parse('catalog_s8ym.csv', '\uFEFFsku;price;active\r\n"A;1";12,505;true\r\nB2;3;0\r\n\r\nC3;;1\r\n', 5);
    expect(rows).toHaveLength(3);
    const [a, b, c] = rows as CatalogRow[];
    expect(a).toMatchObject({ kind: 'catalog', line: 2, sku: 'A;1', price: 12.505, active: true });
    expect(a!.vendors.map((v) => v.code)).toEqual(['s8ym']);
    expect(b).toMatchObject({ sku: 'B2', price: 3, active: false });
    expect(c).toMatchObject({ sku: 'C3', price: undefined, active: true, line: 5 });
  });

  it('keeps line numbers and values right when a plain file turns quoted half-way (fast path → csv-parse)', async () => {
    // (csv-parse counts a CRLF inside quotes as two lines, so the embedded break here is a bare LF.)
    const csv = 'sku,price\r\nA,1\r\nB,2\r\n\r\nC,3\r\n"D\nD",4\r\nE,5\r\n"F,F",6';
    for (const chunk of [3, 16, 1000]) {
      const rows = (await parse('c_s8ym.csv', csv, chunk)) as CatalogRow[];
      expect(rows.map((r) => [r.line, r.sku, r.price]), `chunk ${chunk}`).toEqual([
        [2, 'A', 1],
        [3, 'B', 2],
        [5, 'C', 3],
        [7, 'D\nD', 4],
        [8, 'E', 5],
        [9, 'F,F', 6],
      ]);
    }
  });

  it('names the vendor by external id too, and truncates prices to 3 decimals', async () => {
    const rows = (await parse('x_STORE-2.csv', 'sku,price\nA,1.23456\n')) as CatalogRow[];
    expect(rows[0]!.vendors[0]!.id).toBe('v2');
    expect(rows[0]!.price).toBe(1.234);
  });

  it('takes prices as plain decimals only (a decimal comma only in ; files)', async () => {
    const ok = (await parse('x_STORE-2.csv', 'sku,price\nA,007\nB,0.5\nC,12.3\nD,99999.0009\n')) as CatalogRow[];
    expect(ok.map((r) => r.price)).toEqual([7, 0.5, 12.3, 99999]);
    const bad = (await parse('x_STORE-2.csv', 'sku,price\nA,.5\nB,5.\nC,1.2.3\nD,-1\nE,1e3\nF,1 000\nG,+2\nH,"1,5"\n')) as RowError[];
    expect(bad.map((r) => [r.sku, r.code])).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'].map((sku) => [sku, 'INVALID_PRICE']));
    const semi = (await parse('x_STORE-2.csv', 'sku;price\nA;1,5\nB;1.5\nC;1,5,0\n')) as TypedRow[];
    expect(semi.map((r) => (r.kind === 'catalog' ? r.price : r.kind === 'error' ? r.code : ''))).toEqual([1.5, 1.5, 'INVALID_PRICE']);
  });

  it('multi-vendor rows: list, all, all + exclude; unknown stores are row errors', async () => {
    const csv = ['sku,price,vendors,exclude', 'A,1,"s8ym,STORE-2",', 'B,2,all,', 'C,3,all,k2pq', 'D,4,nope,', 'E,5,s8ym,k2pq'].join('\n');
    const rows = await parse('catalog.csv', csv);
    expect((rows[0] as CatalogRow).vendors.map((v) => v.id)).toEqual(['v1', 'v2']);
    expect((rows[1] as CatalogRow).vendors.map((v) => v.id)).toEqual(['v1', 'v2', 'v3']);
    expect((rows[2] as CatalogRow).vendors.map((v) => v.id)).toEqual(['v1', 'v3']);
    expect(rows[3]).toMatchObject({ kind: 'error', code: 'VENDOR_NOT_FOUND', line: 5 });
    expect(rows[4]).toMatchObject({ kind: 'error', code: 'EXCLUDE_WITHOUT_ALL' });
  });

  it('a prefix with underscores is multi-vendor when the file has a vendors column', async () => {
    const rows = await parse('catalog_update.csv', 'sku,price,vendors\nA,1,m3rt\n');
    expect((rows[0] as CatalogRow).vendors.map((v) => v.code)).toEqual(['m3rt']);
  });

  it('mixed catalog and promotion rows; bad rows are reported and never stop the others', async () => {
    const csv = [
      'sku,price,active,quantity,campaign_name,start_date,end_date,promotion_type,promotion_sub_type,discounted_price,discount_value,campaign_status',
      'A,10,,,,,,,,,,',
      'B,,,,Summer,2026-12-01,2026-12-31 23:00:00,strikethrough,,8.5,,',
      'C,,,,Summer,2026-12-01,2026-12-31,same_item_bundle,percentage_value_off,,150,',
      'D,-1,,,,,,,,,,',
      'E,,1,5,,,,,,,,',
      'F,,,,Summer,2026-12-01,2026-12-31,strikethrough,,8.5,,0',
      ',5,,,,,,,,,,',
      'G,abc,,,,,,,,,,',
      'H,1,2,,,,,,,,,',
    ].join('\n');
    const rows = await parse('mixed_s8ym.csv', csv);
    expect(rows.map((r) => (r.kind === 'error' ? r.code : r.kind))).toEqual([
      'catalog',
      'promotion',
      'INVALID_DISCOUNT_VALUE',
      'INVALID_PRICE',
      // active with quantity: the documented table decides in the catalog update (partner-api.md §4).
      'catalog',
      'promotion',
      'MISSING_SKU',
      'INVALID_PRICE',
      'INVALID_ACTIVE',
    ]);
    expect(rows[1]).toMatchObject({ type: 'STRIKETHROUGH', subType: 'FINAL_PRICE', discountValue: 8.5, startTime: '2026-12-01T00:00:00', endTime: '2026-12-31T23:00:00', active: true } satisfies Partial<PromotionRow>);
    expect(rows[4]).toMatchObject({ kind: 'catalog', active: true, quantity: 5 } satisfies Partial<CatalogRow>);
    expect((rows[5] as PromotionRow).active).toBe(false);
    expect((rows[6] as RowError).line).toBe(8);
  });

  it('a record with the wrong number of cells is a row error, not a crash', async () => {
    const rows = await parse('c_s8ym.csv', 'sku,price\nA;1\nB,2\nC,3,4\n');
    expect(rows.map((r) => (r.kind === 'error' ? r.code : r.kind))).toEqual(['WRONG_COLUMN_COUNT', 'catalog', 'WRONG_COLUMN_COUNT']);
  });

  it('a stray quote stays in the value; an unclosed quote is reported as an unreadable row', async () => {
    const rows = await parse('c_s8ym.csv', 'sku,price\nA,1\n"B"x,2\nC,3\n');
    expect(rows.map((r) => (r.kind === 'error' ? r.code : r.kind))).toEqual(['catalog', 'catalog', 'catalog']);
    expect((rows[1] as CatalogRow).sku).toBe('"B"x');
    const unclosed = await parse('c_s8ym.csv', 'sku,price\nA,1\n"B,2\nC,3\n');
    expect(unclosed.map((r) => (r.kind === 'error' ? r.code : r.kind))).toEqual(['catalog', 'UNREADABLE_ROW']);
    expect(unclosed[1]!.line).toBe(4);
  });

  it('refuses an empty file', async () => {
    expect((await refusal('c_s8ym.csv', '')).code).toBe('EMPTY_FILE');
    expect((await refusal('c_s8ym.csv', '\uFEFF\r\n  \n')).code).toBe('EMPTY_FILE');
  });

  it('refuses a file that is not UTF-8 (Latin-1 export) and says where', async () => {
    const latin1 = Buffer.from('sku,price\nA,1\nCAF\xc9,2\n', 'latin1');
    const err = await refusal('c_s8ym.csv', latin1);
    expect(err.code).toBe('INVALID_ENCODING');
    expect(err.message).toContain('line 3');
    // A multi-byte character split across chunk boundaries is fine.
    expect(await parse('c_s8ym.csv', 'sku,price\nCAFÉ€,1\n', 1)).toHaveLength(1);
  });

  it('refuses a file without a header line', async () => {
    const err = await refusal('c_s8ym.csv', 'A1,10,1\nB2,20,0\n');
    expect(err.code).toBe('MISSING_HEADER');
  });

  it('refuses a wrong delimiter (tab or |) with a clear message', async () => {
    expect((await refusal('c_s8ym.csv', 'sku\tprice\nA\t1\n')).code).toBe('WRONG_DELIMITER');
    expect((await refusal('c_s8ym.csv', 'sku|price\nA|1\n')).code).toBe('WRONG_DELIMITER');
  });

  it('refuses unknown, duplicate and missing columns', async () => {
    expect((await refusal('c_s8ym.csv', 'sku,price,colour\nA,1,red\n')).message).toContain('"colour"');
    expect((await refusal('c_s8ym.csv', 'sku,price,price\nA,1,2\n')).code).toBe('DUPLICATE_COLUMNS');
    // max_sales_quantity is another name of maximum_sales_quantity (partner-api.md §4): both at once repeat it.
    expect((await refusal('c_s8ym.csv', 'sku,maximum_sales_quantity,max_sales_quantity\nA,1,2\n')).code).toBe('DUPLICATE_COLUMNS');
    const [synonym] = (await parse('c_s8ym.csv', 'sku,active,quantity,max_sales_quantity\nA,true,0,3\n')) as CatalogRow[];
    expect(synonym).toMatchObject({ kind: 'catalog', active: true, quantity: 0, maximumSalesQuantity: 3 });
    expect((await refusal('c_s8ym.csv', 'price,active\n1,1\n')).code).toBe('MISSING_COLUMNS');
    expect((await refusal('c_s8ym.csv', 'sku\nA\n')).code).toBe('MISSING_COLUMNS');
  });

  it('refuses unknown file names and stores', async () => {
    expect((await refusal('catalog.xlsx', 'sku,price\nA,1\n')).code).toBe('INVALID_FILE_NAME');
    expect((await refusal('catalog_zzzz.csv', 'sku,price\nA,1\n')).code).toBe('VENDOR_NOT_FOUND');
    expect((await refusal('catalog.csv', 'sku,price\nA,1\n')).code).toBe('MISSING_COLUMNS');
    expect((await refusal('c_s8ym.csv', 'sku,price,vendors\nA,1,all\n')).code).toBe('CONFLICTING_SCOPE');
  });

  it('refuses a 10 MB line without running out of memory or crashing', async () => {
    const huge = `sku,price\nA,1\nB,${'9'.repeat(10 * 1024 * 1024)}\nC,3\n`;
    const err = await refusal('c_s8ym.csv', Buffer.from(huge));
    expect(err.code).toBe('LINE_TOO_LONG');
    expect(err.message).toContain('Line 3');
  });

  it('detects the delimiter outside quotes only', () => {
    expect(detectDelimiter('"a,b";c;d')).toBe(';');
    expect(detectDelimiter('a,b;c,d')).toBe(',');
  });

  it('writes result lines as CSV a spreadsheet will not execute', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=cmd()')).toBe("'=cmd()");
    expect(csvCell('-12')).toBe('-12');
    expect(formatResultLine({ row: 3, vendor: 's8ym', sku: 'A', barcode: undefined, kind: 'catalog', status: 'UPDATED', message: '' })).toBe('3,s8ym,A,,catalog,UPDATED,\r\n');
  });

  it('encodes the results of a step in one pass exactly as the general writers do (CSV lines, stored chunk, counts)', () => {
    const nasty = ['', 'A-1', 'a,b', 'say "hi"', '=cmd()', '+1', '-12', '-1+2', '@x', ' lead', 'trail ', 'tab\there', 'back\\slash', 'línea', 'multi\r\nline', '\u00a0nbsp', 'x\u2028y', "'quoted", 'ok text'];
    const results: StepResult[] = [];
    nasty.forEach((v, i) => {
      results.push({ row: i + 2, vendor: 's8ym', sku: v, barcode: nasty[(i + 3) % nasty.length]!, kind: i % 2 ? 'catalog' : '', result: i % 3 ? 'UPDATED' : 'INVALID_PRICE', ...(i % 3 ? {} : { message: v || 'm' }) });
      results.push({ row: i + 100, vendor: v, sku: 'S', barcode: '', kind: 'promotion', result: v ? 'UNCHANGED' : 'SKU_NOT_FOUND', message: v });
    });
    const ok = new Set(['UPDATED', 'UNCHANGED']);
    for (const withHeader of [true, false]) {
      const got = encodeStepResults(results, withHeader, ok);
      const lines = results.map((r) => formatResultLine({ row: r.row, vendor: r.vendor, sku: r.sku, barcode: r.barcode, kind: r.kind as 'catalog', status: r.result, message: r.message ?? '' }));
      expect(got.csv).toBe((withHeader ? resultHeader() : '') + lines.join(''));
      expect(decodeResults(got.json)).toEqual(decodeResults(encodeResults(results as unknown as JobRowResult[])));
      expect(decodeResults(got.json)).toEqual(results);
      expect(got.errors).toBe(results.filter((r) => !ok.has(r.result)).length);
      expect(got.counts).toEqual({ UPDATED: 12, INVALID_PRICE: 7, UNCHANGED: 18, SKU_NOT_FOUND: 1 });
    }
    expect(encodeStepResults([], false, ok)).toEqual({ csv: '', json: '{"columns":["row","vendor","sku","barcode","kind","result","message"],"rows":[]}', errors: 0, counts: {} });
  });
});
