/**
 * scripts/checkImports.mjs (run by `npm test`): on a copy of src/, ARCHITECTURE.md and the script, it passes
 * as the tree is, and fails for an import its room rule does not allow, a file cycle, a room without a rule,
 * and an ARCHITECTURE.md room table that disagrees with the script.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A copy of what the script reads; `edit` changes it before the run. */
function check(edit: (root: string) => void = () => {}): { status: number | null; out: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'privsynth-imports-'));
  dirs.push(root);
  cpSync(path.join(ROOT, 'src'), path.join(root, 'src'), { recursive: true });
  mkdirSync(path.join(root, 'scripts'));
  cpSync(path.join(ROOT, 'scripts', 'checkImports.mjs'), path.join(root, 'scripts', 'checkImports.mjs'));
  cpSync(path.join(ROOT, 'ARCHITECTURE.md'), path.join(root, 'ARCHITECTURE.md'));
  edit(root);
  const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'checkImports.mjs')], { encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}
const append = (root: string, file: string, text: string): void => writeFileSync(path.join(root, 'src', file), readFileSync(path.join(root, 'src', file), 'utf8') + text);

describe('scripts/checkImports.mjs', () => {
  it('passes on the tree as it is', () => {
    const r = check();
    expect(r.out).toMatch(/0 cycle\(s\), 0 not allowed; room rules: \d+ rooms, 0 violation\(s\)/);
    expect(r.status).toBe(0);
  });

  it('fails for an import the room rule does not allow (privacy may not import sampling)', () => {
    const r = check((root) => append(root, 'privacy/planBudget.ts', "\nimport type { Condition } from '../sampling/conditions.js';\nexport type X = Condition;\n"));
    expect(r.out).toContain('ROOM RULE: privacy/planBudget.ts imports sampling/conditions.ts, but privacy may not import sampling');
    expect(r.status).toBe(1);
  });

  it('fails for a file cycle', () => {
    const r = check((root) => {
      writeFileSync(path.join(root, 'src', 'table', 'a.ts'), "import { b } from './b.js';\nexport const a = () => b;\n");
      writeFileSync(path.join(root, 'src', 'table', 'b.ts'), "import { a } from './a.js';\nexport const b = () => a;\n");
    });
    expect(r.out).toContain('CYCLE (2 files): table/a.ts -> table/b.ts -> table/a.ts');
    expect(r.status).toBe(1);
  });

  it('fails for a room without a rule', () => {
    const r = check((root) => {
      mkdirSync(path.join(root, 'src', 'newroom'));
      writeFileSync(path.join(root, 'src', 'newroom', 'x.ts'), 'export const x = 1;\n');
    });
    expect(r.out).toContain('ROOM without a rule: src/newroom');
    expect(r.status).toBe(1);
  });

  it('fails when ARCHITECTURE.md disagrees with ROOM_RULES', () => {
    const r = check((root) => {
      const f = path.join(root, 'ARCHITECTURE.md');
      writeFileSync(f, readFileSync(f, 'utf8').replace('| `privacy` | `rng.ts` |', '| `privacy` | `rng.ts` `table` |'));
    });
    expect(r.out).toContain('ARCHITECTURE.md and scripts/checkImports.mjs disagree on room privacy');
    expect(r.status).toBe(1);
  });
});
