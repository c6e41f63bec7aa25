/**
 * The messy corpus (test/fixtures/messy/, written by scripts/makeMessyFixtures.mjs): each file's inferred
 * types, and the round trip inspect -> fit (no DP, 1 epoch) -> sample, whose output columns must be written
 * in the input's own format. No input column may disappear without a reason, none may collapse to one value.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readTable } from '../../src/io/readTable.js';
import { parseCsv } from '../../src/io/parseCsv.js';
import { inferMetadataWithWarnings } from '../../src/metadata/inferMetadata.js';
import { coerceTable } from '../../src/metadata/coerceTable.js';
import { validateMetadata } from '../../src/metadata/validateMetadata.js';
import { columnFates } from '../../src/report/columnFates.js';
import type { ColumnSpec, Metadata } from '../../src/metadata/Metadata.js';
import { fit } from '../../src/jobs/fit.js';
import { sample } from '../../src/jobs/sample.js';
import { ROOT } from '../helpers.js';

const FIX = path.join(ROOT, 'test', 'fixtures', 'messy');
const dir = mkdtempSync(path.join(os.tmpdir(), 'privsynth-messy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function inspect(name: string): Promise<{ md: Metadata; by: Record<string, ColumnSpec>; warnings: string[] }> {
  const { metadata, warnings } = inferMetadataWithWarnings(await readTable(path.join(FIX, name)));
  return { md: metadata, by: Object.fromEntries(metadata.columns.map((c) => [c.name, c])), warnings: warnings.map((w) => `${w.column}: ${w.message}`) };
}

/** Output columns as strings (the CSV's own text, nothing typed). */
function readOutput(file: string): Record<string, string[]> {
  const p = parseCsv(readFileSync(file, 'utf8'), { file });
  return Object.fromEntries(p.header.map((h, j) => [h, p.columns[j]!]));
}

/** Fit without DP for one epoch, sample 300 rows; the output's cells as strings. */
async function roundTrip(name: string, opts: { dp?: boolean } = {}): Promise<{ out: Record<string, string[]>; md: Metadata; text: string }> {
  const model = path.join(dir, `${name}${opts.dp ? '-dp' : ''}-model`);
  const out = path.join(dir, `${name}${opts.dp ? '-dp' : ''}.csv`);
  await fit(path.join(FIX, name), { out: model, epochs: opts.dp ? 2 : 1, batchSize: 100, seed: 1, ...(opts.dp ? { dp: { epsilon: 10, delta: 1e-5 } } : {}) });
  await sample(model, { rows: 300, out, seed: 2 });
  return { out: readOutput(out), md: (await inspect(name)).md, text: readFileSync(out, 'utf8') };
}

/** Every value matches, and (when given) some value matches `some`. */
function expectAll(values: string[], re: RegExp, column: string): void {
  const bad = values.filter((v) => !re.test(v));
  expect(bad.slice(0, 5), `${column}: values not like ${re}`).toEqual([]);
}

/** No input column vanishes without a reason; no kept column collapses to a single value. */
function expectNoSilentLoss(md: Metadata, out: Record<string, string[]>): void {
  for (const c of md.columns) {
    if (c.action === 'drop' || c.type === 'id') {
      expect(out[c.name], c.name).toBeUndefined();
      expect(c.reason, `dropped column "${c.name}" says why`).toMatch(/dropped as/);
    } else {
      expect(out[c.name], `kept column "${c.name}" is in the output`).toBeDefined();
      expect(new Set(out[c.name]).size, `"${c.name}" did not collapse to one value`).toBeGreaterThan(1);
    }
  }
}

describe('messy corpus: inferred types', () => {
  it('lab.csv: lab value with junk is numeric and counts it; percent; US dates; codes keep zeros; ids and zips dropped with a reason', async () => {
    const { by, warnings } = await inspect('lab.csv');
    // the generator puts n/a, -, unknown, ., n/a and one "?" (a standard missing spelling) in rows 5, 72, ..., 340
    expect(by['glucose_mg_dl']).toMatchObject({ type: 'numeric', decimals: 1, junkCells: 5, missingRate: 0.015, nullable: true });
    expect(by['glucose_mg_dl']!.missingValues!.sort()).toEqual(['-', '.', 'n/a', 'unknown']);
    expect(by['glucose_mg_dl']!.reason).toMatch(/coerced to numeric with 5 junk cell\(s\) treated as missing/);
    expect(warnings.some((w) => /^glucose_mg_dl: coerced to numeric with 5 junk/.test(w))).toBe(true);
    expect(by['hba1c']).toMatchObject({ type: 'numeric', min: 4.5, max: 7.5, numberFormat: { decimalMark: '.', groupSeparator: '', prefix: '', suffix: '%', fixedDecimals: 1 } });
    expect(by['visit_date']).toMatchObject({ type: 'datetime', format: 'date', dateFormat: 'MM/DD/YYYY' });
    expect(by['site_code']).toMatchObject({ type: 'categorical', action: 'keep' });
    expect(by['site_code']!.categories!.sort()).toEqual(['00042', '00123', '00456', '00789', '01011']);
    expect(by['zip']).toMatchObject({ type: 'categorical', action: 'drop' });
    expect(by['zip']!.reason).toMatch(/leading zeros.*dropped as PII.*zip/);
    expect(by['patient_id']).toMatchObject({ type: 'id', action: 'drop' });
    expect(warnings.filter((w) => /dropped as/.test(w)).map((w) => w.split(':')[0]).sort()).toEqual(['patient_id', 'zip']);
  });

  it('bank.csv (semicolons): decimal commas with dot thousands, EU dates, percent with a decimal comma', async () => {
    const { by } = await inspect('bank.csv');
    expect(by['saldo']).toMatchObject({ type: 'numeric', action: 'keep', decimals: 2, numberFormat: { decimalMark: ',', groupSeparator: '.', prefix: '', suffix: '', fixedDecimals: 2 } });
    expect(by['saldo']!.max as number).toBeGreaterThan(1000); // "33.116,83" is 33116.83, not 33.11683
    expect(by['eroeffnet']).toMatchObject({ type: 'datetime', dateFormat: 'DD.MM.YYYY' });
    expect(by['zins']).toMatchObject({ type: 'numeric', numberFormat: { decimalMark: ',', groupSeparator: '', suffix: '%' } });
  });

  it('money.csv: $1,234.50 and 1,234 are numbers (not ids), the thousands reading is stated; ISO dates with junk', async () => {
    const { by, warnings } = await inspect('money.csv');
    expect(by['price']).toMatchObject({ type: 'numeric', action: 'keep', decimals: 2, numberFormat: { decimalMark: '.', groupSeparator: ',', prefix: '$', fixedDecimals: 2 } });
    expect(by['units_sold']).toMatchObject({ type: 'integer', action: 'keep', numberFormat: { groupSeparator: ',' } });
    expect(by['units_sold']!.min as number).toBeGreaterThanOrEqual(500);
    expect(warnings.some((w) => /^units_sold: .* could be .* read with "\." as the decimal mark and "," as the thousands separator/.test(w))).toBe(true);
    expect(by['shipped']).toMatchObject({ type: 'datetime', format: 'date', junkCells: 3, missingValues: ['unknown'] });
    expect(by['shipped']!.dateFormat).toBeUndefined(); // ISO stays ISO
  });

  it('adult_like.csv: "?" is missing and is the columns\' missing marker', async () => {
    const { by } = await inspect('adult_like.csv');
    expect(by['workclass']).toMatchObject({ type: 'categorical', missingMarker: '?', nullable: true });
    expect(by['workclass']!.categories).not.toContain('?');
    expect(by['age']!.missingMarker).toBeUndefined();
  });

  it('dates_ambiguous.csv: a column whose days never pass 12 is read like its neighbour that settles day/month', async () => {
    const { by, warnings } = await inspect('dates_ambiguous.csv');
    expect(by['discharged']).toMatchObject({ type: 'datetime', dateFormat: 'DD/MM/YYYY' });
    expect(by['admitted']).toMatchObject({ type: 'datetime', dateFormat: 'DD/MM/YYYY' });
    expect(warnings.some((w) => /^admitted: .*day\/month like another column/.test(w))).toBe(true);
    // alone, "/" reads month first (US), and says so
    const alone = inferMetadataWithWarnings({ names: ['d'], columns: [['03/04/2021', '12/11/2021']], rowCount: 2 });
    expect(alone.metadata.columns[0]).toMatchObject({ type: 'datetime', dateFormat: 'MM/DD/YYYY' });
    expect(alone.warnings[0]!.message).toMatch(/month first \(US convention/);
  });

  it.each(['floats.parquet', 'floats.json', 'floats.jsonl'])('%s: float columns keep their decimals (DECIMAL scale, FLOAT and DOUBLE as seen)', async (name) => {
    const { by } = await inspect(name);
    expect(by['z']).toMatchObject({ type: 'numeric', decimals: 8 });
    expect(by['amount']).toMatchObject({ type: 'numeric', decimals: 2 });
    expect(by['ratio']).toMatchObject({ type: 'numeric', decimals: 3, max: 1 });
    if (name.endsWith('.parquet')) expect(by['ratio']!.min).toBe(0.011); // a FLOAT's 0.010999999940395355, as written
  });

  it('every inferred schema validates, and the raw file coerces against it without an error', async () => {
    for (const f of readdirSync(FIX)) {
      const t = await readTable(path.join(FIX, f));
      const md = validateMetadata(JSON.parse(JSON.stringify(inferMetadataWithWarnings(t).metadata)));
      expect(() => coerceTable(t, md), f).not.toThrow();
    }
  });
});

describe('messy corpus: round trip (inspect -> fit --no-dp -> sample) keeps the input format', () => {
  it('lab.csv', async () => {
    const { out, md } = await roundTrip('lab.csv');
    expectNoSilentLoss(md, out);
    expectAll(out['glucose_mg_dl']!, /^(\d+(\.\d)?|n\/a)$/, 'glucose_mg_dl');
    expectAll(out['hba1c']!, /^\d\.\d%$/, 'hba1c');
    expectAll(out['visit_date']!, /^(0[1-9]|1[0-2])\/(0[1-9]|[12]\d|3[01])\/20(19|20|21|22)$/, 'visit_date');
    expectAll(out['site_code']!, /^(00042|00123|00456|00789|01011)$/, 'site_code');
  });

  it('bank.csv', async () => {
    const { out, md, text } = await roundTrip('bank.csv');
    expectNoSilentLoss(md, out);
    // written back as a semicolon file, so the decimal commas need no quotes (as in the input)
    expect(md.delimiter).toBe(';');
    expect(text.split('\n')[0]).toBe('saldo;eroeffnet;zins;konto_typ');
    expect(text).not.toContain('"');
    expectAll(out['saldo']!, /^\d{1,3}(\.\d{3})*,\d\d$/, 'saldo');
    expect(out['saldo']!.some((v) => v.includes('.'))).toBe(true);
    expectAll(out['eroeffnet']!, /^\d\d\.\d\d\.20(1[5-9]|2[01])$/, 'eroeffnet');
    expectAll(out['zins']!, /^\d,\d%$/, 'zins');
  });

  it('money.csv', async () => {
    const { out, md } = await roundTrip('money.csv');
    expectNoSilentLoss(md, out);
    expectAll(out['price']!, /^\$\d{1,3}(,\d{3})*\.\d\d$/, 'price');
    expectAll(out['units_sold']!, /^\d{1,3}(,\d{3})*$/, 'units_sold');
    expect(out['units_sold']!.some((v) => v.includes(','))).toBe(true);
    expectAll(out['shipped']!, /^(20(20|21|22)-\d\d-\d\d|unknown)$/, 'shipped');
  });

  it('adult_like.csv: missing categories come back as "?", never as empty cells', async () => {
    const { out, md } = await roundTrip('adult_like.csv');
    expectNoSilentLoss(md, out);
    for (const c of ['workclass', 'occupation']) {
      expectAll(out[c]!, /^[A-Za-z-]+$|^\?$/, c);
      expect(out[c]!.filter((v) => v === '?').length, `${c} has "?" rows`).toBeGreaterThan(0);
    }
  });

  it('dates_ambiguous.csv', async () => {
    const { out, md } = await roundTrip('dates_ambiguous.csv');
    expectNoSilentLoss(md, out);
    for (const c of ['admitted', 'discharged']) expectAll(out[c]!, /^(0[1-9]|[12]\d|3[01])\/(0[1-9]|1[0-2])\/202[12]$/, c);
  });

  it.each(['floats.parquet', 'floats.jsonl'])('%s: decimals survive (no -1/0/1 from N(0,1), cents kept)', async (name) => {
    const { out, md } = await roundTrip(name);
    expectNoSilentLoss(md, out);
    const frac = (v: string): number => (v.includes('.') ? v.split('.')[1]!.length : 0);
    expect(out['z']!.filter((v) => frac(v) >= 3).length).toBeGreaterThan(250);
    expect(Math.max(...out['amount']!.map(frac))).toBe(2);
    expect(out['amount']!.filter((v) => frac(v) > 0).length).toBeGreaterThan(200);
    expect(Math.max(...out['ratio']!.map(frac))).toBeLessThanOrEqual(3);
  });

  it('under DP (epsilon 10: 400 rows give no usable bounds at 1) the formats are kept (structure), the junk spellings and counts are not (read from the data)', async () => {
    const { out } = await roundTrip('lab.csv', { dp: true });
    const manifest = JSON.parse(readFileSync(path.join(dir, 'lab.csv-dp-model', 'manifest.json'), 'utf8')) as { schema: Metadata };
    const g = manifest.schema.columns.find((c) => c.name === 'glucose_mg_dl')!;
    expect(g.junkCells).toBeUndefined();
    expect(g.missingValues).toBeUndefined();
    expect(g.missingMarker).toBeUndefined(); // "n/a" was a junk spelling read from the data
    expectAll(out['hba1c']!, /^\d\.\d%$/, 'hba1c');
    expectAll(out['visit_date']!, /^\d\d\/\d\d\/\d{4}$/, 'visit_date');
  });
});

describe('messy corpus: the files are what the script writes', () => {
  it('scripts/makeMessyFixtures.mjs regenerates the CSV and JSON files byte for byte (needs dist/: the build)', () => {
    const tmp = path.join(dir, 'regen');
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'makeMessyFixtures.mjs'), tmp], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    for (const f of readdirSync(FIX).filter((x) => !x.endsWith('.parquet'))) expect(readFileSync(path.join(tmp, f), 'utf8'), f).toBe(readFileSync(path.join(FIX, f), 'utf8'));
  });
});

describe('columnFates', () => {
  it('says what happened to every column of lab.csv: kept, coerced with N junk cells, dropped and why', async () => {
    const { md } = await inspect('lab.csv');
    const fates = Object.fromEntries(columnFates(md, null, false).map((f) => [f.name, f]));
    expect(fates['glucose_mg_dl']).toMatchObject({ fate: 'kept', junkCells: 5 });
    expect(fates['glucose_mg_dl']!.reason).toMatch(/^modelled as numeric \(coerced to numeric with 5 junk cell\(s\) treated as missing \("n\/a", "-", "unknown", "\."\)\); missing written as "n\/a"$/);
    expect(fates['zip']).toMatchObject({ fate: 'dropped' });
    expect(fates['zip']!.reason).toMatch(/dropped as PII: the name "zip"/);
    expect(fates['patient_id']!.reason).toMatch(/^dropped as PII: the name "patient_id" suggests an identifier/);
    expect(fates['sex']!.reason).toBe('modelled as categorical');
  });
});
