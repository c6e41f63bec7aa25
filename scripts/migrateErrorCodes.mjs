#!/usr/bin/env node
// One-off migration (issue 15): error classes now carry their code (src/errors.ts), so
// `new PrivacyError('E_PRIVACY', msg, opts)` becomes `new PrivacyError(msg, opts)` and
// `new PrivacyError('E_BUDGET', ...)` becomes `new BudgetError(...)`. This rewrites every such call under
// src/ (or the files given) by the (class, code) table below and fixes the imports from errors.js.
// Run it after merging a branch written against the old three-argument constructors, then type-check.
// A (class, code) pair not in the table is reported and left as it is.
// Usage: node scripts/migrateErrorCodes.mjs [file.ts ...]
import { readFileSync, writeFileSync } from 'node:fs';
import { execSync } from 'node:child_process';
const MAP = {
  'PrivacyError,E_PRIVACY': 'PrivacyError', 'PrivacyError,E_BUDGET': 'BudgetError', 'PrivacyError,E_MODEL_VERSION': 'PrivacyStateVersionError',
  'InputError,E_INPUT': 'InputError', 'InputError,E_VALUE': 'ValueError', 'InputError,E_CSV': 'CsvError', 'InputError,E_COLUMN': 'ColumnError',
  'InputError,E_SCHEMA': 'SchemaValueError', 'InputError,E_FILE_NOT_FOUND': 'FileNotFoundError', 'InputError,E_EMPTY_TABLE': 'EmptyTableError',
  'InputError,E_MODEL': 'ModelError',
  'ModelError,E_MODEL': 'ModelError', 'ModelError,E_MODEL_VERSION': 'ModelVersionError', 'ModelError,E_OUTPUT_EXISTS': 'OutputExistsError', 'ModelError,E_SCHEMA': 'SchemaError',
  'SchemaError,E_SCHEMA': 'SchemaError', 'SchemaError,E_COLUMN': 'SchemaColumnError',
  'EvaluationError,E_EVALUATION': 'EvaluationError', 'LlmError,E_LLM': 'LlmError',
  'PrivsynthError,E_INPUT': 'InputError', 'PrivsynthError,E_OUTPUT_EXISTS': 'OutputExistsError', 'PrivsynthError,E_OUTPUT': 'OutputError',
};
const ALL = new Set(['PrivsynthError', 'CodedError', 'MultiError', 'CancelledError', 'InternalError', ...Object.values(MAP), ...Object.keys(MAP).map((k) => k.split(',')[0])]);
const files = process.argv.length > 2 ? process.argv.slice(2) : execSync("grep -rlE \"new [A-Za-z]+Error\\(\\s*('E_|$)\" src || true", { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
for (const f of files) {
  let s = readFileSync(f, 'utf8');
  const before = s;
  s = s.replace(/new (\w+Error)\((\s*)'(E_[A-Z_]+)',\s*/g, (m, cls, ws, code) => {
    const to = MAP[`${cls},${code}`];
    if (!to) { console.error(`no mapping for ${cls},${code} in ${f}`); return m; }
    return `new ${to}(${ws}`;
  });
  if (s === before) continue;
  // fix the imports from errors.js: add the classes now used, drop the ones no longer used in code
  const re = /import \{([^}]*)\} from '((?:\.\.?\/)+errors\.js)';/g;
  const imports = [...s.matchAll(re)];
  if (!imports.length) { console.error(`no errors import in ${f}`); writeFileSync(f, s); continue; }
  const code = s.replace(re, '').replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/.*$/gm, '');
  const used = (n) => new RegExp(`\\b${n}\\b`).test(code);
  const have = new Set(imports.flatMap((m) => m[1].split(',').map((x) => x.trim().replace(/^type\s+/, ''))).filter(Boolean));
  imports.forEach((m, i) => {
    const names = m[1].split(',').map((x) => x.trim()).filter(Boolean);
    const keep = names.filter((n) => { const bare = n.replace(/^type\s+/, ''); return !ALL.has(bare) || used(bare); });
    if (i === 0) for (const n of [...new Set(Object.values(MAP))].sort()) if (!have.has(n) && new RegExp(`\\bnew ${n}\\(`).test(code)) keep.push(n);
    s = s.replace(m[0], keep.length ? `import { ${keep.join(', ')} } from '${m[2]}';` : '');
  });
  writeFileSync(f, s);
  console.log('rewrote', f);
}
