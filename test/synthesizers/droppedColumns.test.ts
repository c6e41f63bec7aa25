/**
 * A column that is not modelled (dropped as PII, an id, free text) leaves nothing in the model
 * directory but its name, type and action: no category list, no range, DP or not. Checked on
 * vega-datasets' la-riots (63 real rows: first and last names, street addresses, neighbourhoods
 * flagged as names) and on a made-up patient table whose names are all unique.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fit } from '../../src/jobs/fit.js';
import { inspect } from '../../src/jobs/inspect.js';
import { readTable } from '../../src/io/readTable.js';
import { writeMetadataFile } from '../../src/metadata/metadataFile.js';
import { ROOT } from '../helpers.js';

const LA_RIOTS = path.join(ROOT, 'node_modules', 'vega-datasets', 'data', 'la-riots.csv');

function modelText(dir: string): string {
  // manifest and weights as text: a value stored anywhere shows up in one of them
  return readFileSync(path.join(dir, 'manifest.json'), 'utf8') + readFileSync(path.join(dir, 'weights.bin')).toString('latin1');
}

describe('dropped and unmodelled columns leave only their structure in the model file', () => {
  let dir: string;
  let patients: string;
  const names = Array.from({ length: 300 }, (_, i) => `Zelda${String.fromCharCode(65 + (i % 26))}${i} Quist${i}`);
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'privsynth-dropped-'));
    patients = path.join(dir, 'patients.csv');
    const lines = ['patient_name,home_address,age,diagnosis'];
    names.forEach((n, i) => lines.push(`${n},${1000 + i} Juniper Lane,${20 + ((i * 13) % 60)},${['I10', 'E11', 'J45'][i % 3]}`));
    writeFileSync(patients, lines.join('\n') + '\n');
  });

  for (const dp of [false, true]) {
    it(`la-riots ${dp ? 'at epsilon 1' : 'without DP'}: no name, address or neighbourhood of a dropped column is stored`, async () => {
      const inspected = await inspect(LA_RIOTS);
      const dropped = inspected.metadata.columns.filter((c) => c.action === 'drop').map((c) => c.name);
      expect(dropped).toEqual(expect.arrayContaining(['first_name', 'last_name', 'address', 'neighborhood']));
      const out = path.join(dir, `riots-${dp}`);
      // Under DP, 63 rows are too few to buy bounds: the kept columns are declared public, as a user
      // with a data dictionary would (the dropped columns stay as inferred).
      const schema = path.join(dir, `riots-${dp}.schema.json`);
      const md = { ...inspected.metadata, columns: inspected.metadata.columns.map((c) => (dp && c.action === 'keep' ? { ...c, public: true } : c)) };
      await writeMetadataFile(schema, md);
      await fit(LA_RIOTS, { out, schema, epochs: 2, seed: 1, ...(dp ? { dp: { epsilon: 1, delta: 1e-5 } } : {}) });
      const text = modelText(out);
      const raw = await readTable(LA_RIOTS);
      let checked = 0;
      for (const col of dropped) {
        for (const v of new Set(raw.columns[raw.names.indexOf(col)]!)) {
          if (typeof v !== 'string' || v.length < 4) continue;
          checked++;
          expect(text.includes(JSON.stringify(v)), `${col} value ${v} is in the model`).toBe(false);
        }
      }
      expect(checked).toBeGreaterThan(100);
      const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'));
      for (const c of manifest.schema.columns.filter((c: { action: string }) => c.action === 'drop')) {
        expect(Object.keys(c).sort()).toEqual(expect.arrayContaining(['action', 'name', 'type']));
        expect(c.categories).toBeUndefined();
        expect(c.min).toBeUndefined();
        expect(c.max).toBeUndefined();
        expect(c.missingRate).toBeUndefined();
      }
    });
  }

  it('a patient table without DP: none of the 300 unique patient names or addresses is stored', async () => {
    const out = path.join(dir, 'patients-model');
    await fit(patients, { out, epochs: 2, seed: 1 });
    const text = modelText(out);
    expect(names.filter((n) => text.includes(n))).toEqual([]);
    expect(text.includes('Juniper Lane')).toBe(false);
    // the kept columns are still there (without DP a model holds exact categories, and says so)
    expect(text).toContain('"E11"');
  });
});
