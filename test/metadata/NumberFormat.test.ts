import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatNumber, parseFormattedNumber, type NumberFormat } from '../../src/metadata/NumberFormat.js';

const fmt = (f: Partial<NumberFormat>): NumberFormat => ({ decimalMark: '.', groupSeparator: '', prefix: '', suffix: '', ...f });

describe('NumberFormat', () => {
  it('writes money, decimal commas, percents and negatives as such files do', () => {
    expect(formatNumber(1234.5, fmt({ groupSeparator: ',', prefix: '$', fixedDecimals: 2 }))).toBe('$1,234.50');
    expect(formatNumber(-1234.5, fmt({ groupSeparator: ',', prefix: '$', fixedDecimals: 2 }))).toBe('-$1,234.50');
    expect(formatNumber(958.47, fmt({ decimalMark: ',', groupSeparator: '.' }), 2)).toBe('958,47');
    expect(formatNumber(1234567.891, fmt({ decimalMark: ',', groupSeparator: '.' }), 2)).toBe('1.234.567,89');
    expect(formatNumber(43.5, fmt({ suffix: '%' }), 1)).toBe('43.5%');
    expect(formatNumber(43, fmt({ suffix: '%' }), 1)).toBe('43%');
    expect(formatNumber(1234, fmt({ groupSeparator: ',' }), 0)).toBe('1,234');
    expect(formatNumber(-0.001, fmt({ fixedDecimals: 2 }))).toBe('0.00'); // no "-0.00"
  });

  it('reads what it writes, affixes optional, and refuses what does not fit', () => {
    const money = fmt({ groupSeparator: ',', prefix: '$', fixedDecimals: 2 });
    expect(parseFormattedNumber('$1,234.50', money)).toBe(1234.5);
    expect(parseFormattedNumber('-$1,234.50', money)).toBe(-1234.5);
    expect(parseFormattedNumber('$-5.00', money)).toBe(-5);
    expect(parseFormattedNumber('1234.50', money)).toBe(1234.5);
    expect(parseFormattedNumber('1,23.50', money)).toBeNaN();
    expect(parseFormattedNumber('12,5', fmt({ decimalMark: ',' }))).toBe(12.5);
    expect(parseFormattedNumber('3,5 %', fmt({ decimalMark: ',', suffix: ' %' }))).toBe(3.5);
    expect(parseFormattedNumber('abc', money)).toBeNaN();
  });

  it('round-trips every value rounded to its decimals, in every separator style (fast-check, seed 17)', () => {
    const styles: NumberFormat[] = [
      fmt({ groupSeparator: ',', prefix: '$', fixedDecimals: 2 }),
      fmt({ decimalMark: ',', groupSeparator: '.', suffix: ' €' }),
      fmt({ decimalMark: ',', suffix: '%' }),
      fmt({ groupSeparator: ' ' }),
      fmt({ groupSeparator: "'" }),
    ];
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: styles.length - 1 }), (m, d, k) => {
        const x = m / 10 ** d;
        const f = styles[k]!;
        const dec = f.fixedDecimals ?? d;
        const s = formatNumber(x, f, d);
        expect(parseFormattedNumber(s, f)).toBeCloseTo(Number(x.toFixed(dec)), 10);
      }),
      { seed: 17, numRuns: 500 },
    );
  });
});
