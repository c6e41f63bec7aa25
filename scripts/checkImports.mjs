#!/usr/bin/env node
// Import-cycle check over src/**/*.ts: reads every file's import specifiers (static imports, re-exports,
// dynamic import('...') with a literal), resolves the relative ones to files, and finds the strongly
// connected components of the import graph (Tarjan). A component of more than one file, or a file that
// imports itself, is a cycle. `import type` / `export type` count too (a type-only cycle is still two
// rooms that know each other); pass --runtime to ignore them.
//
// Exit 0 when every cycle found is in ALLOWED below, 1 otherwise (each cycle printed with one import
// path through it). --rooms also lists, for information only (never failing), the cycles between
// directories (e.g. sampling <-> synthesizers/dp-vae).
//
// Second check, the room rules: a room is a top-level directory of src/ (cli, io, sampling, ...) or a file
// at src/ itself (errors.ts, pipeline.ts, ...). ROOM_RULES below says which rooms each room may import
// (errors.ts and messages.ts, the ground floor: every room). An import from one room into another that its rule does not list fails, as does
// a room without a rule. ARCHITECTURE.md holds the same table (between <!-- rooms:begin --> and
// <!-- rooms:end -->); the two must agree, so the map of the house cannot go stale.
// Usage: node scripts/checkImports.mjs [--runtime] [--list] [--rooms]
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SRC = path.join(ROOT, 'src');
const runtimeOnly = process.argv.includes('--runtime');
const listAll = process.argv.includes('--list');

/**
 * Cycles known today and allowed until their issue is done: each entry is the sorted file list of one
 * strongly connected component (paths relative to src/). A component that grows, shrinks or is new fails.
 */
const ALLOWED = [
  // none.
];

/**
 * Which rooms each room may import (besides itself, errors.ts and messages.ts, which every room may import). Keep it in
 * step with the table in ARCHITECTURE.md (checked below).
 */
const ROOM_RULES = {
  'errors.ts': [],
  'messages.ts': ['messages'], // its texts, one file per room, re-exported
  messages: [], // the texts themselves; imported through messages.ts only (not ground floor), so call sites have one door
  'env.ts': [],
  'packageInfo.ts': [],
  'rng.ts': ['random'],
  random: ['kernels', 'rng.ts'], // kernels: the normal generator's WebAssembly kernel (rooms import each other, no file cycle)
  kernels: ['env.ts', 'random'],
  security: [],
  table: ['rng.ts'],
  nn: ['env.ts', 'security'],
  privacy: ['rng.ts'],
  metadata: ['io', 'table'], // io: metadataFile writes atomically
  io: ['kernels', 'metadata', 'security', 'table', 'transformers'],
  transformers: ['metadata', 'random', 'rng.ts', 'table'],
  evaluation: ['metadata', 'rng.ts', 'table'],
  report: ['evaluation', 'io', 'metadata', 'table'],
  text: ['metadata', 'rng.ts', 'security', 'table'],
  sampling: ['metadata', 'privacy', 'random', 'rng.ts', 'table', 'transformers'],
  synthesizers: ['env.ts', 'io', 'kernels', 'metadata', 'nn', 'packageInfo.ts', 'privacy', 'random', 'rng.ts', 'sampling', 'security', 'table', 'transformers'], // sampling: the model-agnostic parts (marginals, constraints, conditions); security: worker threads switch telemetry off
  jobs: ['evaluation', 'io', 'metadata', 'packageInfo.ts', 'privacy', 'report', 'rng.ts', 'sampling', 'synthesizers', 'table', 'text'],
  'pipeline.ts': ['jobs'],
  cli: ['evaluation', 'io', 'metadata', 'nn', 'packageInfo.ts', 'pipeline.ts', 'privacy', 'report', 'sampling', 'security', 'synthesizers', 'table', 'text'],
  'publicSampling.ts': ['sampling', 'synthesizers'],
  'index.ts': ['*'],
};

/** Rooms every room may import: the error classes and the user-facing messages. */
const GROUND_FLOOR = ['errors.ts', 'messages.ts'];

function walk(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Comments out (strings kept), so commented-out imports do not count. */
function stripComments(src) {
  return src.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

/** The module specifiers `file` imports: [specifier, typeOnly]. */
function specifiers(file) {
  const src = stripComments(readFileSync(file, 'utf8'));
  const found = [];
  // import x from '...'; import { a } from '...'; import type {...} from '...'; export {...} from '...'; export * from '...'
  const re = /(?:^|[;\n])\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]/g;
  for (let m; (m = re.exec(src)); ) {
    const clause = m[3].trim();
    // import { type A, type B } from: every name type-only
    const allTypeNames = /^\{[\s\S]*\}$/.test(clause) && clause.slice(1, -1).split(',').map((s) => s.trim()).filter(Boolean).every((s) => s.startsWith('type '));
    found.push([m[4], Boolean(m[2]) || allTypeNames]);
  }
  // side-effect imports: import '...'
  for (const m of src.matchAll(/(?:^|[;\n])\s*import\s*['"]([^'"]+)['"]/g)) found.push([m[1], false]);
  // dynamic imports with a literal specifier
  for (const m of src.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push([m[1], false]);
  return found;
}

/** The .ts file a relative specifier names ('./x.js' -> x.ts), or null (a package, or not under src/). */
function resolve(from, spec) {
  if (!spec.startsWith('.')) return null;
  const base = path.resolve(path.dirname(from), spec);
  for (const c of [base.replace(/\.js$/, '.ts'), base.replace(/\.mjs$/, '.mts'), `${base}.ts`, path.join(base, 'index.ts')]) {
    if (c.startsWith(SRC) && existsSync(c) && statSync(c).isFile()) return c;
  }
  return null;
}

const files = walk(SRC).sort();
const edges = new Map(files.map((f) => [f, new Set()]));
for (const f of files) {
  for (const [spec, typeOnly] of specifiers(f)) {
    if (runtimeOnly && typeOnly) continue;
    const to = resolve(f, spec);
    if (to) edges.get(f).add(to);
  }
}

// Tarjan's strongly connected components (iterative, so deep import chains cannot overflow the stack)
function tarjan() {
  let index = 0;
  const idx = new Map();
  const low = new Map();
  const onStack = new Set();
  const stack = [];
  const comps = [];
  for (const root of files) {
    if (idx.has(root)) continue;
    const work = [[root, [...edges.get(root)], 0]];
    idx.set(root, index);
    low.set(root, index++);
    stack.push(root);
    onStack.add(root);
    while (work.length) {
      const frame = work[work.length - 1];
      const [v, next] = frame;
      if (frame[2] < next.length) {
        const w = next[frame[2]++];
        if (!idx.has(w)) {
          idx.set(w, index);
          low.set(w, index++);
          stack.push(w);
          onStack.add(w);
          work.push([w, [...edges.get(w)], 0]);
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1][0];
        low.set(parent, Math.min(low.get(parent), low.get(v)));
      }
      if (low.get(v) === idx.get(v)) {
        const comp = [];
        let w;
        do {
          w = stack.pop();
          onStack.delete(w);
          comp.push(w);
        } while (w !== v);
        if (comp.length > 1 || edges.get(v).has(v)) comps.push(comp);
      }
    }
  }
  return comps;
}

/** One cycle through the component, as a path a -> b -> ... -> a (breadth-first, within the component). */
function witness(comp) {
  const inComp = new Set(comp);
  const start = [...comp].sort()[0];
  const prev = new Map([[start, null]]);
  const queue = [start];
  while (queue.length) {
    const v = queue.shift();
    for (const w of edges.get(v)) {
      if (!inComp.has(w)) continue;
      if (w === start) {
        const p = [v];
        while (prev.get(p[0])) p.unshift(prev.get(p[0]));
        return [...p, start];
      }
      if (!prev.has(w)) {
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

const rel = (f) => path.relative(SRC, f).split(path.sep).join('/');
const key = (list) => [...list].sort().join('\n');
const allowed = new Set(ALLOWED.map(key));
let failures = 0;
const comps = tarjan();
for (const comp of comps) {
  const names = comp.map(rel).sort();
  const ok = allowed.has(key(names));
  if (!ok) failures++;
  if (!ok || listAll) {
    console.log(`${ok ? 'allowed' : 'CYCLE'} (${names.length} files): ${witness(comp).map(rel).join(' -> ')}`);
    if (names.length > 2) console.log(`  component: ${names.join(', ')}`);
  }
}
const stale = ALLOWED.filter((a) => !comps.some((c) => key(c.map(rel)) === key(a)));
for (const s of stale) {
  failures++;
  console.log(`allowed cycle no longer found (remove it from ALLOWED in scripts/checkImports.mjs): ${s.join(', ')}`);
}
if (process.argv.includes('--rooms')) {
  const room = (f) => {
    const parts = rel(f).split('/');
    return parts.length === 1 ? '.' : parts.slice(0, -1).join('/');
  };
  const pairs = new Set();
  for (const [a, bs] of edges) for (const b of bs) if (room(a) !== room(b) && room(a) !== '.' && room(b) !== '.') pairs.add(`${room(a)}\t${room(b)}`);
  const both = [...pairs].filter((p) => { const [a, b] = p.split('\t'); return a < b && pairs.has(`${b}\t${a}`); });
  for (const p of both.sort()) console.log(`rooms import each other: ${p.replace('\t', ' <-> ')}`);
}
// ---- room rules
const roomOf = (f) => rel(f).split('/')[0];
let ruleFailures = 0;
const seenRooms = new Set(files.map(roomOf));
for (const r of [...seenRooms].sort()) {
  if (!(r in ROOM_RULES)) {
    ruleFailures++;
    console.log(`ROOM without a rule: src/${r}: add it to ROOM_RULES in scripts/checkImports.mjs and to the table in ARCHITECTURE.md`);
  }
}
for (const [a, bs] of edges) {
  const ra = roomOf(a);
  const rule = ROOM_RULES[ra];
  if (!rule || rule.includes('*')) continue;
  for (const b of bs) {
    const rb = roomOf(b);
    if (rb === ra || GROUND_FLOOR.includes(rb) || rule.includes(rb)) continue;
    ruleFailures++;
    console.log(`ROOM RULE: ${rel(a)} imports ${rel(b)}, but ${ra} may not import ${rb} (it may import: ${rule.join(', ') || 'nothing but errors.ts and messages.ts'}). Move the code, or change ROOM_RULES and ARCHITECTURE.md together.`);
  }
}
// the table in ARCHITECTURE.md must say the same
const archFile = path.join(ROOT, 'ARCHITECTURE.md');
const arch = existsSync(archFile) ? readFileSync(archFile, 'utf8') : '';
const block = arch.match(/<!-- rooms:begin -->([\s\S]*?)<!-- rooms:end -->/);
if (!block) {
  ruleFailures++;
  console.log('ARCHITECTURE.md has no room table between <!-- rooms:begin --> and <!-- rooms:end -->');
} else {
  const documented = new Map();
  for (const line of block[1].split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 4 || !cells[1].startsWith('`')) continue; // header, separator, prose
    const room = cells[1].replace(/`/g, '').replace(/^src\//, '').replace(/\/$/, '');
    documented.set(room, [...cells[2].matchAll(/`([^`]+)`/g)].map((m) => m[1].replace(/^src\//, '').replace(/\/$/, '')).filter((x) => !GROUND_FLOOR.includes(x)));
  }
  const same = (x, y) => [...x].sort().join(' ') === [...y].sort().join(' ');
  for (const r of new Set([...Object.keys(ROOM_RULES), ...documented.keys()])) {
    const code = (ROOM_RULES[r] ?? []).filter((x) => !GROUND_FLOOR.includes(x));
    const doc = documented.get(r);
    if (!(r in ROOM_RULES) || !doc || !same(code, doc)) {
      ruleFailures++;
      console.log(`ARCHITECTURE.md and scripts/checkImports.mjs disagree on room ${r}: the table says ${doc ? doc.join(', ') || '(nothing)' : '(no row)'}, ROOM_RULES says ${r in ROOM_RULES ? code.join(', ') || '(nothing)' : '(no rule)'}`);
    }
  }
}
console.log(`import check: ${files.length} files, ${comps.length} cycle(s), ${failures} not allowed; room rules: ${seenRooms.size} rooms, ${ruleFailures} violation(s)`);
process.exit(failures || ruleFailures ? 1 : 0);
