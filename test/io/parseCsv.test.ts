import { describe, expect, it } from 'vitest';
import { parseCsv, decodeUtf8 } from '../../src/io/parseCsv.js';
import { InputError } from '../../src/errors.js';

function err(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an error');
}

describe('parseCsv', () => {
  it('parses quotes, embedded delimiters, line breaks, doubled quotes, CRLF and a BOM', () => {
    const r = parseCsv('\ufeffa,b,c\r\n"x, y","he said ""hi""","line\nbreak"\r\n1,,3');
    expect(r.header).toEqual(['a', 'b', 'c']);
    expect(r.rowCount).toBe(2);
    expect(r.columns[0]).toEqual(['x, y', '1']);
    expect(r.columns[1]).toEqual(['he said "hi"', '']);
    expect(r.columns[2]).toEqual(['line\nbreak', '3']);
  });
  it('detects semicolon and tab delimiters', () => {
    expect(parseCsv('a;b\n1;2\n').columns[1]).toEqual(['2']);
    expect(parseCsv('a\tb\n1\t2\n').columns[1]).toEqual(['2']);
  });
  it('names the row of a ragged line', () => {
    const e = err(() => parseCsv('a,b\n1,2\n3,4,5\n', { file: 'f.csv' }));
    expect(e.message).toMatch(/row 2 \(line 3\) has 3 fields, but the header has 2/);
    expect(e.location).toMatchObject({ file: 'f.csv', row: 2 });
  });
  it('rejects an unclosed quote, with the line where it starts', () => {
    expect(err(() => parseCsv('a,b\n1,"2\n3,4\n')).message).toMatch(/starts on line 2 is never closed/);
  });
  it('rejects NUL bytes, empty and duplicate header names', () => {
    expect(err(() => parseCsv('a,b\n1,\u00002\n')).message).toMatch(/NUL byte on line 2/);
    expect(err(() => parseCsv('a,,c\n1,2,3\n')).message).toMatch(/column 2 has an empty name/);
    expect(err(() => parseCsv('a,a\n1,2\n')).message).toMatch(/names column "a" twice/);
  });
  it('rejects invalid UTF-8 naming the line', () => {
    const buf = Buffer.concat([Buffer.from('a,b\n1,2\n'), Buffer.from([0xff, 0xfe, 0x2c, 0x31, 0x0a])]);
    expect(err(() => decodeUtf8(buf, 'x.csv')).message).toMatch(/not valid UTF-8 \(first bad bytes on line 3\)/);
  });
  it('reports an empty file', () => {
    expect(err(() => parseCsv('')).code).toBe('E_EMPTY_TABLE');
  });
});
