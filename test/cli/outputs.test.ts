/**
 * Outputs and errors of issue 17, as a user meets them through the built CLI (bin/privsynth.js):
 * bad output locations refused before any work, a formula-like header through `run`, `evaluate` on a
 * synthetic file with other columns, an edited manifest, `info | head`, budgets without meaningful
 * protection, and every input column's fate in the report and `info`.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CPS, ROOT, BIN, cli } from '../helpers.js';

const CPS_SCHEMA = path.join(ROOT, 'datasets', 'cps-1985.schema.json');

/** 300 rows, 11 columns: 3 PII/id columns dropped by inspect, 4 formula-like headers, "-" as a category. */
function elevenColumns(file: string): void {
  let s = 'patient_id,email,@score,=total,+gain,-loss,group,age,name,visits,notes\n';
  let x = 7;
  const r = (): number => ((x = (x * 16807) % 2147483647) / 2147483647);
  const names = ['Ann Lee', 'Bob Stone', 'Carla Diaz', 'Dan Wu', 'Eve Park'];
  for (let i = 0; i < 300; i++) {
    s += [1000 + i, `user${i}@example.com`, (r() * 100).toFixed(1), (r() * 10).toFixed(2), Math.floor(r() * 5), (r() * 3).toFixed(1), ['a', 'b', '-'][Math.floor(r() * 3)], 20 + Math.floor(r() * 50), `${names[i % 5]} ${i}`, Math.floor(r() * 9), `note ${Math.floor(r() * 1000)} text`].join(',') + '\n';
  }
  writeFileSync(file, s);
}

let dir: string;
let eleven: string;
let runOut: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'privsynth-outputs-'));
  eleven = path.join(dir, 'eleven.csv');
  elevenColumns(eleven);
  writeFileSync(path.join(dir, 'afile'), 'x\n');
  runOut = path.join(dir, 'run');
  const r = cli('run', eleven, '-o', runOut, '--no-dp', '--epochs', '3', '-q');
  if (r.code !== 0) throw new Error(`run failed: ${r.err}`);
}, 120_000);

describe('output locations are checked before any work', () => {
  const cases: [string, (d: string) => string[], RegExp][] = [
    ['run -o /proc/outdir (used to spin forever at 100% CPU)', () => ['run', CPS, '-o', '/proc/outdir'], /does not accept new files/],
    ['run -o under a file (ENOTDIR)', (d) => ['run', CPS, '-o', path.join(d, 'afile', 'out')], /is a file, not a directory/],
    ['run -o with a missing parent', (d) => ['run', CPS, '-o', path.join(d, 'no', 'such', 'out')], /does not exist/],
    ['fit -o under a file', (d) => ['fit', CPS, '-o', path.join(d, 'afile', 'model')], /is a file, not a directory/],
    ['sample -o into /proc', () => ['sample', 'no-model-needed', '-n', '5', '-o', '/proc/x.csv'], /does not accept new files/],
    ['inspect -o with a missing parent', (d) => ['inspect', CPS, '-o', path.join(d, 'none', 's.json')], /does not exist/],
    ['evaluate -o under a file', (d) => ['evaluate', '--train', CPS, '--holdout', CPS, '--synthetic', CPS, '-o', path.join(d, 'afile', 'r.json')], /is a file, not a directory/],
  ];
  for (const [name, args, message] of cases) {
    it(name, () => {
      if ((args(dir)[2] ?? '').startsWith('/proc') || args(dir).includes('/proc/x.csv')) {
        if (!existsSync('/proc/self')) return; // not Linux: no /proc to test
      }
      const r = cli(...args(dir));
      expect(r.code, r.err).toBe(2);
      expect(r.err).toMatch(/E_OUTPUT/);
      expect(r.err).toMatch(message);
      expect(r.err).not.toMatch(/internal error|ENOTDIR|EACCES/);
      // before reading or training: node's start-up plus a few stat calls (generous for a loaded machine)
      expect(r.ms).toBeLessThan(5000);
    });
  }
  it('leaves no temporary files behind', () => {
    expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([]);
  });
});

describe('run with formula-like headers and a "-" category', () => {
  it('evaluates the real names and values (the CSV escapes them for spreadsheets)', () => {
    const rep = JSON.parse(readFileSync(path.join(runOut, 'report.json'), 'utf8'));
    const evaluated = rep.evaluation.columns.evaluated.map((c: { name: string }) => c.name);
    for (const n of ['@score', '=total', '+gain', '-loss', 'group']) expect(evaluated).toContain(n);
    expect(rep.evaluation.columns.missingFromSynthetic).toEqual([]);
    expect(rep.evaluation.columns.unseenCategories).toEqual([]);
    // the written CSV keeps the spreadsheet-safe escape
    expect(readFileSync(path.join(runOut, 'synthetic.csv'), 'utf8').split('\n')[0]).toContain("'=total");
  });
});

describe('report and info list every input column and its fate', () => {
  it('counts all 11 input columns and says why 3 were dropped', () => {
    const rep = JSON.parse(readFileSync(path.join(runOut, 'report.json'), 'utf8'));
    expect(rep.dataset.columns).toBe(11);
    expect(rep.columns.map((c: { name: string }) => c.name)).toEqual(['patient_id', 'email', '@score', '=total', '+gain', '-loss', 'group', 'age', 'name', 'visits', 'notes']);
    const fate = (n: string) => rep.columns.find((c: { name: string }) => c.name === n);
    expect(fate('email')).toMatchObject({ fate: 'dropped' });
    expect(fate('email').reason).toMatch(/dropped as PII: the name "email" suggests e-mail/);
    expect(fate('patient_id').reason).toMatch(/identifier/);
    expect(fate('age')).toMatchObject({ fate: 'kept', junkCells: 0, publicDeclared: false });
    const html = readFileSync(path.join(runOut, 'report.html'), 'utf8');
    expect(html.includes('Column fates')).toBe(true);
    expect(html.includes('dropped as PII: the name &quot;email&quot;')).toBe(true); // html.ts escapes quotes
  });

  it('info lists them too', () => {
    const r = cli('info', path.join(runOut, 'model'));
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/11 input columns: 8 kept, 3 dropped/);
    expect(r.out).toMatch(/email .*dropped .*PII: email/);
  });
});

describe('evaluate with a synthetic file whose columns differ', () => {
  it('names the missing and the extra columns, exit 2', () => {
    const other = path.join(dir, 'other.csv');
    writeFileSync(other, 'x,y,z\n' + Array.from({ length: 50 }, (_, i) => `${i},${i * 2},q`).join('\n') + '\n');
    const r = cli('evaluate', '--train', eleven, '--holdout', eleven, '--synthetic', other, '-q');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/columns differ/);
    expect(r.err).toMatch(/missing from it: "@score"/);
    expect(r.err).toMatch(/not in the train table: "x", "y", "z"/);
    expect(r.err).not.toMatch(/has no rows/);
  });
});

describe('info on a damaged manifest, and through a pipe', () => {
  it('a DP claim without a ledger is an inconsistent manifest (exit 2), not a TypeError', () => {
    const edited = path.join(dir, 'edited');
    cpSync(path.join(runOut, 'model'), edited, { recursive: true });
    const mf = path.join(edited, 'manifest.json');
    writeFileSync(mf, readFileSync(mf, 'utf8').replace('"differentiallyPrivate": false', '"differentiallyPrivate": true'));
    const r = cli('info', edited);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/E_MODEL: the model manifest is inconsistent/);
    expect(r.err).toContain(mf);
    expect(r.err).not.toMatch(/TypeError|internal error/);
  });

  it('info | head -1 exits quietly (no EPIPE stack trace)', () => {
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" info "${path.join(runOut, 'model')}" | head -c 20`], { encoding: 'utf8' });
    expect(r.stdout.length).toBe(20);
    expect(r.stderr).toBe('');
  });
});

describe('budgets that give no meaningful protection', () => {
  it('--epsilon 1e300 is refused before training (exit 2), with where the line is', () => {
    const r = cli('run', CPS, '--schema', CPS_SCHEMA, '-o', path.join(dir, 'weak1'), '--epsilon', '1e300', '-q');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/E_BUDGET/);
    expect(r.err).toMatch(/above 10/);
    expect(r.err).toMatch(/--allow-weak-privacy/);
    expect(r.err).not.toMatch(/\dG\b/);
    expect(existsSync(path.join(dir, 'weak1'))).toBe(false);
  });

  it('--delta 0.01 on 427 training rows (1/rows = 0.0023) is refused', () => {
    const r = cli('fit', CPS, '--schema', CPS_SCHEMA, '-o', path.join(dir, 'weak2'), '--epsilon', '1', '--delta', '0.01', '-q');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/delta 0\.01 is at least 1\/rows/);
  });

  it('--allow-weak-privacy accepts it and flags the model in fit, info and the report', () => {
    const out = path.join(dir, 'weak3');
    const r = cli('run', CPS, '--schema', CPS_SCHEMA, '-o', out, '--epsilon', '1e300', '--allow-weak-privacy', '--epochs', '2', '-q');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/WEAK PRIVACY/);
    expect(r.out).not.toMatch(/\dG\b/);
    const info = cli('info', path.join(out, 'model'));
    expect(info.out).toMatch(/WEAK PRIVACY/);
    const rep = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8'));
    expect(rep.privacy.weakBudget[0]).toMatch(/above 10/);
    const html = readFileSync(path.join(out, 'report.html'), 'utf8');
    expect(html.includes('WEAK PRIVACY')).toBe(true);
    expect(html.match(/ε = [\d.e+]+G/)?.[0] ?? null).toBeNull();
    // the CPS schema declares every bound public: the report and info say so next to epsilon
    expect(html.includes('declared public')).toBe(true);
    expect(info.out).toMatch(/DECLARED PUBLIC/);
  }, 60_000);
});
