/**
 * Property: arbitrary bytes or text given to the CSV reader either parse into a well-formed table or
 * throw `InputError` — never another exception type, never a hang (each input is parsed within a
 * time bound far above its linear cost).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InputError } from '../../src/errors.js';
import { decodeUtf8, parseCsv, type ParsedCsv } from '../../src/io/parseCsv.js';

const SEED = 4242;
const TIME_LIMIT_MS = 1000;

/** Text built mostly from the characters the parser branches on. */
const structural = fc.string({
  unit: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom('"', '""', ',', ';', '\t', '|', '\n', '\r', '\r\n', ' ', 'a', 'b', '1', '\u0000', '\ufeff', 'é') },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  ),
  maxLength: 400,
});

function checkOutcome(run: () => ParsedCsv, limitMs = TIME_LIMIT_MS): void {
  const t0 = performance.now();
  let parsed: ParsedCsv | undefined;
  try {
    parsed = run();
  } catch (e) {
    if (!(e instanceof InputError)) throw new Error(`parseCsv threw ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`, { cause: e });
    expect(e.exitCode).toBe(2);
    expect(e.code).toMatch(/^E_(CSV|EMPTY_TABLE|INPUT)$/);
  }
  expect(performance.now() - t0).toBeLessThan(limitMs);
  if (!parsed) return;
  // A parsed table is well formed.
  expect(parsed.columns).toHaveLength(parsed.header.length);
  expect(new Set(parsed.header).size).toBe(parsed.header.length);
  for (const h of parsed.header) expect(h.trim()).toBe(h), expect(h).not.toBe('');
  for (const col of parsed.columns) expect(col).toHaveLength(parsed.rowCount);
}

describe('parseCsv on arbitrary input', () => {
  it('arbitrary bytes (strict UTF-8 decoding, then parsing): a table or InputError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => checkOutcome(() => parseCsv(decodeUtf8(bytes, 'fuzz.csv'), { file: 'fuzz.csv' }))),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it('structural text with the delimiter sniffed or given: a table or InputError', () => {
    fc.assert(
      fc.property(structural, fc.constantFrom(undefined, ',', ';', '\t', '|'), (text, delimiter) => checkOutcome(() => parseCsv(text, { delimiter }))),
      { seed: SEED + 1, numRuns: 4000 },
    );
  });

  it('small field and column limits are enforced as InputError', () => {
    fc.assert(
      fc.property(structural, fc.integer({ min: 0, max: 8 }), fc.integer({ min: 1, max: 4 }), (text, maxFieldLength, maxColumns) =>
        checkOutcome(() => parseCsv(text, { maxFieldLength, maxColumns })),
      ),
      { seed: SEED + 2, numRuns: 2000 },
    );
  });

  // A quadratic parser takes tens of seconds on these 1M-character inputs (the line counter used to
  // scan to the next line feed for every doubled quote); a linear one takes well under a second.
  it('large pathological inputs stay linear (many doubled quotes, many delimiters, many blank lines)', () => {
    const n = 1_000_000;
    for (const text of ['a\n"' + '""'.repeat(n / 2) + '"\n', 'a\n"' + '""'.repeat(n / 2) + '\n', ','.repeat(n), 'a\n' + '\n'.repeat(n), 'a,b\n' + '"x\n'.repeat(n / 4), '"'.repeat(n)]) {
      checkOutcome(() => parseCsv(text, { file: 'big.csv', maxColumns: 10_000_000 }), 3000);
    }
  });
});
