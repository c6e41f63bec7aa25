#!/usr/bin/env node
/**
 * Writes test/fixtures/messy/: small generated files with the messy values real hospital and bank
 * exports have (issue 17). Seeded through src/rng.ts (build first: npx tsc -p tsconfig.build.json),
 * so the files are the same on every run; nothing is copied from ../shared.
 *
 *   node scripts/makeMessyFixtures.mjs [out-dir]     (default test/fixtures/messy)
 *
 * lab.csv            numeric lab value with ~1.5% junk (n/a, -, unknown, ., ?), percent, US dates,
 *                    site codes with leading zeros, zip codes (PII: dropped, with a reason), patient ids
 * bank.csv           semicolon CSV: decimal commas with dot thousands (1.234,56), EU dates (04.03.2021),
 *                    percent with a decimal comma (3,5%)
 * money.csv          $1,234.50 amounts, 1,234 thousands-separated counts, ISO dates with junk
 * adult_like.csv     UCI Adult's style: "?" for missing categories, leading spaces
 * dates_ambiguous.csv two d/m/y columns: one whose days never pass 12, one whose days do (evidence)
 * floats.parquet     DOUBLE N(0,1), DECIMAL(10,2), FLOAT; and the same as floats.json / floats.jsonl
 */
import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let Rng;
try {
  ({ Rng } = await import(path.join(ROOT, 'dist', 'rng.js')));
} catch {
  console.error('makeMessyFixtures: build first (npx tsc -p tsconfig.build.json): it uses dist/rng.js');
  process.exit(2);
}
const OUT = path.resolve(process.argv[2] ?? path.join(ROOT, 'test', 'fixtures', 'messy'));
mkdirSync(OUT, { recursive: true });
const rng = new Rng(17);
const pick = (r, xs) => xs[r.int(xs.length)];
const pad = (x, n) => String(x).padStart(n, '0');
const csvQuote = (s, d) => (s.includes(d) || s.includes('"') ? `"${s.replace(/"/g, '""')}"` : s);
const write = (name, header, rows, d = ',') => {
  const text = [header.join(d), ...rows.map((r) => r.map((c) => csvQuote(String(c), d)).join(d))].join('\n') + '\n';
  writeFileSync(path.join(OUT, name), text);
};
const group = (int, sep) => int.replace(/\B(?=(\d{3})+$)/g, sep);
const day = (r, y0, years) => new Date(Date.UTC(y0, 0, 1) + r.int(years * 365) * 86_400_000);

// ---- lab.csv: 400 rows
{
  const r = rng.fork('lab');
  const JUNK = ['n/a', '-', 'unknown', '.', '?', 'n/a'];
  const rows = [];
  for (let i = 0; i < 400; i++) {
    const age = 20 + r.int(70);
    const glucose = i % 67 === 5 ? JUNK[Math.floor(i / 67) % JUNK.length] : (70 + 40 * r.uniform() + age / 4).toFixed(1);
    const hba1c = `${(4.5 + 3 * r.uniform()).toFixed(1)}%`;
    const d = day(r, 2019, 3);
    const visit = `${pad(d.getUTCMonth() + 1, 2)}/${pad(d.getUTCDate(), 2)}/${d.getUTCFullYear()}`;
    const site = pad(pick(r, [123, 456, 789, 1011, 42]), 5);
    const zip = pad(r.int(9999) + 1, 5);
    rows.push([`P${pad(10000 + i, 6)}`, age, glucose, hba1c, visit, site, zip, pick(r, ['F', 'M'])]);
  }
  write('lab.csv', ['patient_id', 'age', 'glucose_mg_dl', 'hba1c', 'visit_date', 'site_code', 'zip', 'sex'], rows);
}

// ---- bank.csv: semicolon, decimal commas
{
  const r = rng.fork('bank');
  const rows = [];
  for (let i = 0; i < 300; i++) {
    const bal = r.uniform() < 0.5 ? 10 + 990 * r.uniform() : 1000 + 40_000 * r.uniform();
    const [int, frac] = bal.toFixed(2).split('.');
    const balance = `${group(int, '.')},${frac}`;
    const d = day(r, 2015, 6);
    const opened = `${pad(d.getUTCDate(), 2)}.${pad(d.getUTCMonth() + 1, 2)}.${d.getUTCFullYear()}`;
    const rate = `${(0.5 + 4 * r.uniform()).toFixed(1).replace('.', ',')}%`;
    rows.push([balance, opened, rate, pick(r, ['giro', 'spar', 'depot'])]);
  }
  write('bank.csv', ['saldo', 'eroeffnet', 'zins', 'konto_typ'], rows, ';');
}

// ---- money.csv
{
  const r = rng.fork('money');
  const rows = [];
  for (let i = 0; i < 300; i++) {
    const amount = (5 + 5000 * r.uniform() ** 2).toFixed(2);
    const [int, frac] = amount.split('.');
    const price = `$${group(int, ',')}.${frac}`;
    const units = group(String(500 + r.int(20_000)), ',');
    const d = day(r, 2020, 2);
    const shipped = i % 97 === 13 ? 'unknown' : d.toISOString().slice(0, 10);
    rows.push([price, units, shipped, pick(r, ['north', 'south', 'east', 'west'])]);
  }
  write('money.csv', ['price', 'units_sold', 'shipped', 'region'], rows);
}

// ---- adult_like.csv: "?" for missing, leading spaces as in UCI's adult.data
{
  const r = rng.fork('adult');
  const rows = [];
  for (let i = 0; i < 300; i++) {
    const work = r.uniform() < 0.08 ? '?' : pick(r, ['Private', 'Self-emp', 'State-gov']);
    const occ = r.uniform() < 0.08 ? '?' : pick(r, ['Sales', 'Tech-support', 'Craft-repair', 'Adm-clerical']);
    rows.push([17 + r.int(60), ` ${work}`, ` ${occ}`, 20 + r.int(40), ` ${pick(r, ['<=50K', '>50K'])}`]);
  }
  write('adult_like.csv', ['age', 'workclass', 'occupation', 'hours-per-week', 'income'], rows);
}

// ---- dates_ambiguous.csv: "admitted" never has a day above 12; "discharged" does, and settles day/month
{
  const r = rng.fork('dates');
  const rows = [];
  for (let i = 0; i < 200; i++) {
    const a = new Date(Date.UTC(2021, r.int(12), 1 + r.int(12)));
    const b = new Date(a.getTime() + (1 + r.int(20)) * 86_400_000);
    const f = (d) => `${pad(d.getUTCDate(), 2)}/${pad(d.getUTCMonth() + 1, 2)}/${d.getUTCFullYear()}`;
    rows.push([f(a), f(b), pick(r, ['ward A', 'ward B'])]);
  }
  write('dates_ambiguous.csv', ['admitted', 'discharged', 'ward'], rows);
}

// ---- floats.parquet / .json / .jsonl through DuckDB
{
  const r = rng.fork('floats');
  const rows = [];
  for (let i = 0; i < 300; i++) rows.push({ z: r.normal(), amount: Math.round(100_000 * r.uniform()) / 100, ratio: Math.round(1000 * r.uniform()) / 1000, group: pick(r, ['a', 'b', 'c']) });
  const jsonl = rows.map((o) => JSON.stringify(o)).join('\n') + '\n';
  writeFileSync(path.join(OUT, 'floats.jsonl'), jsonl);
  writeFileSync(path.join(OUT, 'floats.json'), JSON.stringify(rows, null, 0) + '\n');
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' });
  const con = await db.connect();
  const src = path.join(OUT, 'floats.jsonl').replace(/'/g, "''");
  const dst = path.join(OUT, 'floats.parquet');
  rmSync(dst, { force: true });
  await con.run(`COPY (SELECT CAST(z AS DOUBLE) AS z, CAST(amount AS DECIMAL(10,2)) AS amount, CAST(ratio AS FLOAT) AS ratio, "group" FROM read_json_auto('${src}')) TO '${dst.replace(/'/g, "''")}' (FORMAT parquet)`);
}
console.log(`wrote ${OUT}`);
