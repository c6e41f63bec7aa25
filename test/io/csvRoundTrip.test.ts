/**
 * Property: any table of strings written with the CSV writer's `csvField` (no formula
 * neutralisation) and read back with `parseCsv` gives the same header and cells, whatever the cells
 * hold: quotes, delimiters, CR/LF, leading/trailing space, empty strings, any Unicode code point.
 * Fixed seed and bounded runs: deterministic and a few seconds.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { csvField } from '../../src/io/TableWriter.js';
import { parseCsv } from '../../src/io/parseCsv.js';

const SEED = 20240601;

/** Characters that matter to CSV, mixed with arbitrary code points (NUL excluded: the reader rejects it by design). */
const cellChar = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('"', ',', '\n', '\r', '\r\n', ' ', '\t', ';', '|', "'", '=', '+', '-', '@', '\u00a0', '\u2028', '\ufeff', 'é', '中', '😀', 'a') },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }).filter((c) => c !== '\u0000') },
);
const cell = fc.string({ unit: cellChar, maxLength: 12 });
/** Header names: non-empty once trimmed, unique, no surrounding space (the reader trims header names). */
const headerName = fc
  .string({ unit: cellChar, minLength: 1, maxLength: 8 })
  .map((s) => s.trim())
  .filter((s) => s.length > 0);

const table = fc.integer({ min: 1, max: 6 }).chain((width) =>
  fc.record({
    header: fc.uniqueArray(headerName, { minLength: width, maxLength: width }),
    rows: fc.array(fc.array(cell, { minLength: width, maxLength: width }), { maxLength: 12 }),
  }),
);

function writeCsv(header: string[], rows: string[][]): string {
  return [header, ...rows].map((r) => r.map((v) => csvField(v, false)).join(',')).join('\n') + '\n';
}

describe('CSV round trip: csvField then parseCsv', () => {
  it('gives back the same header and cells', () => {
    fc.assert(
      fc.property(table, ({ header, rows }) => {
        const parsed = parseCsv(writeCsv(header, rows), { delimiter: ',' });
        expect(parsed.header).toEqual(header);
        expect(parsed.rowCount).toBe(rows.length);
        for (let j = 0; j < header.length; j++) expect(parsed.columns[j]).toEqual(rows.map((r) => r[j]));
      }),
      { seed: SEED, numRuns: 1500 },
    );
  });

  it('also with the delimiter sniffed, when header names hold no other candidate delimiter', () => {
    const plain = table.filter(({ header }) => header.every((h) => !/[;\t|"]/.test(h)));
    fc.assert(
      fc.property(plain, ({ header, rows }) => {
        const parsed = parseCsv(writeCsv(header, rows));
        expect(parsed.delimiter).toBe(',');
        expect(parsed.header).toEqual(header);
        for (let j = 0; j < header.length; j++) expect(parsed.columns[j]).toEqual(rows.map((r) => r[j]));
      }),
      { seed: SEED + 1, numRuns: 500 },
    );
  });

  it('with CRLF line ends and a BOM', () => {
    fc.assert(
      fc.property(table, ({ header, rows }) => {
        const text = '\ufeff' + [header, ...rows].map((r) => r.map((v) => csvField(v, false)).join(',')).join('\r\n') + '\r\n';
        const parsed = parseCsv(text, { delimiter: ',' });
        expect(parsed.header).toEqual(header);
        for (let j = 0; j < header.length; j++) expect(parsed.columns[j]).toEqual(rows.map((r) => r[j]));
      }),
      { seed: SEED + 2, numRuns: 500 },
    );
  });
});
