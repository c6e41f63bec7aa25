/**
 * The CLI as a user runs it (the built bin/privsynth.js): a real fit/sample round trip on the
 * bundled CPS 1985 data, and each bad input of the core issue: clear message, exit code 2,
 * nothing half-written.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CPS, cli } from '../helpers.js';
import { readTable } from '../../src/io/readTable.js';
import { inferMetadata } from '../../src/metadata/inferMetadata.js';


let dir: string;
let model: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'privsynth-cli-'));
  model = path.join(dir, 'model');
  const r = cli('fit', CPS, '-o', model, '--epochs', '40', '--seed', '3', '-q');
  if (r.code !== 0) throw new Error(`fit failed: ${r.err}`);
}, 120_000);

describe('fit and sample round trip on real data', () => {
  it('writes a model directory with a versioned manifest, sha256 weights and no training rows', () => {
    const files = readdirSync(model).sort();
    expect(files).toEqual(['manifest.json', 'weights.bin']);
    const m = JSON.parse(readFileSync(path.join(model, 'manifest.json'), 'utf8'));
    expect(m).toMatchObject({ kind: 'privsynth.model', version: 1, synthesizer: 'dp-vae', privacy: { differentiallyPrivate: false } });
    expect(m.weights.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(m.training.epochs).toBe(40);
    // No raw rows: a distinctive wage of a real row must not appear as a row-like record; and the
    // manifest stays small (fitted parameters only), independent of the 534 rows.
    expect(JSON.stringify(m.encoder).length).toBeLessThan(20_000);
  });

  it('samples rows with seen categories, in-range numbers, integer integers, input column order', async () => {
    const out = path.join(dir, 'syn.csv');
    const r = cli('sample', model, '-n', '3000', '-o', out, '--seed', '9', '-q');
    expect(r.code, r.err).toBe(0);
    const real = await readTable(CPS);
    const syn = await readTable(out);
    expect(syn.rowCount).toBe(3000);
    expect(syn.names).toEqual(real.names);
    const md = inferMetadata(real);
    for (const c of md.columns) {
      const col = syn.columns[syn.names.indexOf(c.name)]!;
      if (c.type === 'categorical' || c.type === 'boolean') {
        for (const v of col) expect(c.categories, c.name).toContain(v);
      } else {
        for (const v of col) {
          const x = Number(v);
          expect(x, c.name).toBeGreaterThanOrEqual(c.min as number);
          expect(x, c.name).toBeLessThanOrEqual(c.max as number);
          if (c.type === 'integer') expect(Number.isInteger(x), `${c.name}=${v}`).toBe(true);
        }
      }
    }
  });

  it('is deterministic: the same seed gives byte-identical output, another seed does not', () => {
    const a = path.join(dir, 'a.csv');
    const b = path.join(dir, 'b.csv');
    const c = path.join(dir, 'c.csv');
    expect(cli('sample', model, '-n', '500', '-o', a, '--seed', '1', '-q').code).toBe(0);
    expect(cli('sample', model, '-n', '500', '-o', b, '--seed', '1', '-q').code).toBe(0);
    expect(cli('sample', model, '-n', '500', '-o', c, '--seed', '2', '-q').code).toBe(0);
    expect(readFileSync(a, 'utf8')).toBe(readFileSync(b, 'utf8'));
    expect(readFileSync(a, 'utf8')).not.toBe(readFileSync(c, 'utf8'));
  });

  it('training is deterministic for a seed', () => {
    const m2 = path.join(dir, 'model2');
    expect(cli('fit', CPS, '-o', m2, '--epochs', '40', '--seed', '3', '-q').code).toBe(0);
    const w1 = JSON.parse(readFileSync(path.join(model, 'manifest.json'), 'utf8')).weights.sha256;
    const w2 = JSON.parse(readFileSync(path.join(m2, 'manifest.json'), 'utf8')).weights.sha256;
    expect(w2).toBe(w1);
  });

  it('writes Parquet and JSONL with the same rows as CSV', async () => {
    const csv = path.join(dir, 'p.csv');
    const pq = path.join(dir, 'p.parquet');
    const jl = path.join(dir, 'p.jsonl');
    for (const f of [csv, pq, jl]) expect(cli('sample', model, '-n', '200', '-o', f, '--seed', '4', '-q').code).toBe(0);
    const a = await readTable(csv);
    const b = await readTable(pq);
    expect(b.rowCount).toBe(200);
    expect(b.names).toEqual(a.names);
    expect(b.columns[a.names.indexOf('gender')]).toEqual(a.columns[a.names.indexOf('gender')]);
    expect(b.columns[a.names.indexOf('age')]!.map(Number)).toEqual(a.columns[a.names.indexOf('age')]!.map(Number));
    expect(readFileSync(jl, 'utf8').trim().split('\n')).toHaveLength(200);
  });

  it('inspect writes an editable schema that fit accepts back (a dropped column is not output)', () => {
    const schema = path.join(dir, 'schema.json');
    expect(cli('inspect', CPS, '-o', schema).code).toBe(0);
    const s = JSON.parse(readFileSync(schema, 'utf8'));
    s.columns.find((c: { name: string }) => c.name === 'race').action = 'drop';
    writeFileSync(schema, JSON.stringify(s));
    const m3 = path.join(dir, 'model3');
    expect(cli('fit', CPS, '-o', m3, '--schema', schema, '--epochs', '2', '-q').code).toBe(0);
    const out = path.join(dir, 'dropped.csv');
    expect(cli('sample', m3, '-n', '10', '-o', out, '-q').code).toBe(0);
    expect(readFileSync(out, 'utf8').split('\n')[0]).not.toContain('race');
  });
});

describe('bad input: clear message, exit code 2, nothing written', () => {
  function expectBad(args: string[], pattern: RegExp, mustNotExist?: string): void {
    const r = cli(...args);
    expect(r.code, r.err).toBe(2);
    expect(r.err).toMatch(pattern);
    expect(r.err).not.toMatch(/internal error|at .*\.js:\d+/);
    if (mustNotExist) expect(existsSync(mustNotExist)).toBe(false);
    if (mustNotExist) expect(readdirSync(path.dirname(mustNotExist)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }
  const write = (name: string, text: string): string => {
    const f = path.join(dir, name);
    writeFileSync(f, text);
    return f;
  };

  it('missing file', () => expectBad(['fit', path.join(dir, 'nope.csv'), '-o', path.join(dir, 'm-missing')], /cannot find the file .*nope\.csv/, path.join(dir, 'm-missing')));
  it('ragged CSV', () => expectBad(['fit', write('rag.csv', 'a,b\n1,x\n2,y,3\n'), '-o', path.join(dir, 'm-rag')], /row 2 \(line 3\) has 3 fields, but the header has 2/, path.join(dir, 'm-rag')));
  it('unreadable CSV (unclosed quote)', () => expectBad(['inspect', write('q.csv', 'a,b\n1,"x\n')], /never closed/));
  it('empty table', () => expectBad(['fit', write('empty.csv', 'a,b\n'), '-o', path.join(dir, 'm-empty')], /header but no data rows/, path.join(dir, 'm-empty')));
  // without a schema, an empty or constant column is dropped with a warning (inferMetadata) and the rest is fitted;
  // a schema that keeps one is refused (checkLearnable)
  const keepB = (name: string, type: string) => write(name, JSON.stringify({ columns: [{ name: 'a', type: 'integer', action: 'keep', nullable: false }, { name: 'b', type, action: 'keep', nullable: true }, { name: 'c', type: 'integer', action: 'keep', nullable: false }] }));
  it('a column that is entirely missing', () => {
    const rows = Array.from({ length: 30 }, (_, i) => `${i},,${i % 3}`).join('\n');
    const file = write('nullcol.csv', 'a,b,c\n' + rows + '\n');
    expectBad(['fit', file, '--schema', keepB('nullcol.schema.json', 'categorical'), '-o', path.join(dir, 'm-null')], /column "b" is entirely empty[\s\S]*hint: set "action": "drop"/, path.join(dir, 'm-null'));
    const r = cli('fit', file, '-o', path.join(dir, 'm-null-inferred'), '--no-dp', '--epochs', '1');
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/column "b": dropped: entirely empty, nothing to learn/);
  });
  it('a constant column', () => {
    const rows = Array.from({ length: 30 }, (_, i) => `${i},same,${i % 3}`).join('\n');
    const file = write('const.csv', 'a,b,c\n' + rows + '\n');
    expectBad(['fit', file, '--schema', keepB('const.schema.json', 'categorical'), '-o', path.join(dir, 'm-const')], /column "b" holds the single value "same"/, path.join(dir, 'm-const'));
    const r = cli('fit', file, '-o', path.join(dir, 'm-const-inferred'), '--no-dp', '--epochs', '1');
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/column "b": dropped: one value in every row, nothing to learn/);
  });
  it('unknown column in the schema', () => {
    const schema = write('bad-schema.json', JSON.stringify({ columns: [{ name: 'education', type: 'integer' }, { name: 'salary', type: 'numeric' }] }));
    expectBad(['fit', CPS, '--schema', schema, '-o', path.join(dir, 'm-schema')], /schema names a column "salary" that is not in the data/, path.join(dir, 'm-schema'));
  });
  it('non-numeric text in a numeric column', () => {
    const rows = Array.from({ length: 30 }, (_, i) => `${i === 17 ? 'twelve' : i},${i % 2 ? 'x' : 'y'}`).join('\n');
    const f = write('nonnum.csv', 'a,b\n' + rows + '\n');
    const schema = write('nonnum-schema.json', JSON.stringify({ columns: [{ name: 'a', type: 'numeric' }, { name: 'b', type: 'categorical' }] }));
    expectBad(['fit', f, '--schema', schema, '-o', path.join(dir, 'm-nonnum')], /"twelve" is not a number, but column "a" is numeric \(file .*nonnum\.csv, row 18, column "a"\)/, path.join(dir, 'm-nonnum'));
  });
  it('a model directory from another version', () => {
    const other = path.join(dir, 'other-model');
    cli('fit', CPS, '-o', other, '--epochs', '1', '-q');
    const mf = path.join(other, 'manifest.json');
    const m = JSON.parse(readFileSync(mf, 'utf8'));
    m.version = 99;
    writeFileSync(mf, JSON.stringify(m));
    expectBad(['sample', other, '-n', '5', '-o', path.join(dir, 'v.csv')], /format version 99; this privsynth reads version 1/, path.join(dir, 'v.csv'));
  });
  it('tampered weights', () => {
    const t = path.join(dir, 'tampered');
    cli('fit', CPS, '-o', t, '--epochs', '1', '-q');
    const wf = path.join(t, 'weights.bin');
    const buf = readFileSync(wf);
    buf[100] = buf[100]! ^ 0xff;
    writeFileSync(wf, buf);
    expectBad(['sample', t, '-n', '5', '-o', path.join(dir, 't.csv')], /does not match its manifest/, path.join(dir, 't.csv'));
  });
  it('not a model directory', () => expectBad(['info', dir], /not a privsynth model directory/));
  it('an existing output without --force', () => {
    const f = write('exists.csv', 'keep me\n');
    expectBad(['sample', model, '-n', '5', '-o', f], /already exists[\s\S]*--force/);
    expect(readFileSync(f, 'utf8')).toBe('keep me\n');
  });
  it('bad option values', () => expectBad(['sample', model, '-n', 'ten', '-o', path.join(dir, 'x.csv')], /-n must be a positive whole number/));
});
