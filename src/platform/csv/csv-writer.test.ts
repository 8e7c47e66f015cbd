import { describe, expect, it } from 'vitest';
import { csvCell as portalCell, csvLine as portalLine } from './quoted-csv.js';
import { formatResultLine } from '../../sftp/csv/results-csv.js';
import { csvField, csvLine } from './csv-writer.js';

const FORMULAS = ['=1+1', '+54911', '-1+2', '-A1', '@SUM(A1)', '\tcmd', '\rcmd', '=HYPERLINK("http://x","y")'];

describe('the one CSV writer', () => {
  it('prefixes every formula-looking text cell with an apostrophe, and quotes only when needed', () => {
    for (const f of FORMULAS) expect(csvField(f).replace(/^"|"$/g, '').replace(/""/g, '"')).toBe(`'${f}`);
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField(' padded ')).toBe('" padded "');
    expect(csvField(null)).toBe('');
    expect(csvLine(['a', 1, undefined, '-12', -3.5])).toBe('a,1,,-12,-3.5\r\n');
  });

  it('is the writer of the SFTP results files, job results/exports and the portal export alike', () => {
    const line = formatResultLine({ row: 2, vendor: 'v1', sku: '=cmd()', barcode: '+1', kind: 'catalog', status: 'ERROR', message: '@evil' });
    expect(line).toBe("2,v1,'=cmd(),'+1,catalog,ERROR,'@evil\r\n");
    expect(portalCell('=1+1')).toBe(`"'=1+1"`);
    expect(portalLine(['-1+2', 'ok'])).toBe(`"'-1+2","ok"\r\n`);
    // Job results and exports (jobs.view.ts, catalog.jobs.ts, catalog.cli.ts) import csvLine from here.
    expect(csvLine(['=1+1'])).toBe("'=1+1\r\n");
  });
});
