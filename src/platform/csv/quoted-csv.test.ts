import { describe, expect, it } from 'vitest';
import { csvCell, csvLine } from './quoted-csv.js';

describe('CSV cells', () => {
  it('neutralises spreadsheet formulas and quotes every cell', () => {
    for (const bad of ['=1+1', '+54911', '-2+3', '-A1', '@SUM(A1)', '\tx', '\rx']) expect(csvCell(bad)).toBe(`"'${bad}"`);
    // A plain (negative) number runs nothing: it stays a number.
    expect(csvCell('-2')).toBe('"-2"');
    expect(csvCell(-2.5)).toBe('"-2.5"');
    expect(csvCell('Leche "entera", 1 L')).toBe('"Leche ""entera"", 1 L"');
    expect(csvCell(1250.5)).toBe('"1250.5"');
    expect(csvCell(null)).toBe('""');
    expect(csvLine(['a', 'b'])).toBe('"a","b"\r\n');
  });
});
