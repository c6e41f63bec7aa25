#!/usr/bin/env node
// Runs the whole test suite: type-check + build (the CLI tests run the built CLI), the import check
// (scripts/checkImports.mjs: no file cycles, the room rules of ARCHITECTURE.md), then vitest.
// Prints a plain closing line "N passed, N failed, N skipped" that CI reads, so a run that
// executed no test cannot pass unnoticed.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, existsSync } from 'node:fs';

const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit', shell: false });
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

let r = run(npx, ['tsc', '-p', 'tsconfig.json', '--noEmit']);
if (r.status !== 0) { console.log('0 passed, 1 failed'); process.exit(1); }
r = run(npx, ['tsc', '-p', 'tsconfig.build.json']);
if (r.status !== 0) { console.log('0 passed, 1 failed'); process.exit(1); }
// no import cycles in src/ and no import against the room rules (scripts/checkImports.mjs): a failure is counted in the closing line
const imports = run(process.execPath, ['scripts/checkImports.mjs']);
const importFailures = imports.status === 0 ? 0 : 1;

const out = '.vitest-results.json';
rmSync(out, { force: true });
r = run(npx, ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`, ...process.argv.slice(2)]);
if (!existsSync(out)) { console.log(`0 passed, ${1 + importFailures} failed`); process.exit(r.status || 1); }
const res = JSON.parse(readFileSync(out, 'utf8'));
const skipped = (res.numPendingTests ?? 0) + (res.numTodoTests ?? 0);
// A test file that fails to load (e.g. it throws at import) has no failed *tests*, only a failed
// suite: count every such file as a failure too, so the closing line never says "0 failed" for a
// run that vitest itself failed.
const brokenFiles = (res.testResults ?? []).filter((f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed'));
for (const f of brokenFiles) console.log(`FAILED to run: ${f.name}: ${String(f.message ?? '').split('\n')[0]}`);
const failed = res.numFailedTests + brokenFiles.length + importFailures;
console.log(`${res.numPassedTests} passed, ${failed} failed, ${skipped} skipped${importFailures ? ' (import check: see scripts/checkImports.mjs above)' : ''}`);
if (res.numTotalTests === 0) { console.log('no test ran'); process.exit(1); }
process.exit(failed > 0 ? 1 : (r.status ?? 1));
