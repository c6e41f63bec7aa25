import { describe, expect, it } from 'vitest';
import { dateCellParts, datePattern, formatDate, isDatePattern, parseDate } from '../../src/metadata/DateFormat.js';
import { Rng } from '../../src/rng.js';

describe('DateFormat', () => {
  it('reads US, EU and unpadded patterns as UTC and refuses dates that do not exist', () => {
    expect(parseDate('03/04/2021', 'MM/DD/YYYY')).toBe(Date.UTC(2021, 2, 4));
    expect(parseDate('04.03.2021', 'DD.MM.YYYY')).toBe(Date.UTC(2021, 2, 4));
    expect(parseDate('4/3/2021', 'D/M/YYYY')).toBe(Date.UTC(2021, 2, 4));
    expect(parseDate('03/04/2021 07:05', 'MM/DD/YYYY HH:mm')).toBe(Date.UTC(2021, 2, 4, 7, 5));
    expect(parseDate('02/30/2021', 'MM/DD/YYYY')).toBeNaN();
    expect(parseDate('13/01/2021', 'MM/DD/YYYY')).toBeNaN();
    expect(parseDate('2021-03-04', 'MM/DD/YYYY')).toBeNaN();
  });

  it('writes what it reads (2,000 seeded days from 1900 to 2100, every pattern)', () => {
    const rng = new Rng(3);
    const patterns = ['MM/DD/YYYY', 'DD.MM.YYYY', 'D/M/YYYY', 'YYYY/MM/DD', 'DD-MM-YYYY HH:mm:ss'];
    for (let i = 0; i < 2000; i++) {
      const p = patterns[i % patterns.length]!;
      const t = Date.UTC(1900, 0, 1) + rng.int(73_000) * 86_400_000 + (p.includes('HH') ? rng.int(86_400) * 1000 : 0);
      expect(parseDate(formatDate(t, p), p)).toBe(t);
    }
  });

  it('splits cells into fields and builds patterns; two-digit years are not guessed', () => {
    expect(dateCellParts('03/04/2021')).toMatchObject({ fields: ['03', '04', '2021'], separator: '/', timePattern: '' });
    expect(dateCellParts('03/04/21')).toBeNull();
    expect(dateCellParts('03/04-2021')).toBeNull();
    expect(datePattern('DMY', '.', true, true, '')).toBe('DD.MM.YYYY');
    expect(datePattern('MDY', '/', false, false, ' HH:mm')).toBe('M/D/YYYY HH:mm');
    expect(isDatePattern('MM/DD/YYYY')).toBe(true);
    expect(isDatePattern('MM/YYYY')).toBe(false);
  });
});
