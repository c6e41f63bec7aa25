import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BudgetError,
  ColumnError,
  CsvError,
  EmptyTableError,
  EvaluationError,
  FileNotFoundError,
  InputError,
  LlmError,
  ModelError,
  ModelVersionError,
  OutputError,
  OutputExistsError,
  PrivacyError,
  PrivacyStateVersionError,
  PrivsynthError,
  SchemaColumnError,
  SchemaError,
  SchemaValueError,
  ValueError,
} from '../src/errors.js';

describe('error classes carry their code', () => {
  // [class, the code it must carry, the area class it must still be an instance of]
  const cases: [new (m: string) => PrivsynthError, string, abstract new (...a: never[]) => PrivsynthError][] = [
    [InputError, 'E_INPUT', InputError],
    [FileNotFoundError, 'E_FILE_NOT_FOUND', InputError],
    [CsvError, 'E_CSV', InputError],
    [EmptyTableError, 'E_EMPTY_TABLE', InputError],
    [ColumnError, 'E_COLUMN', InputError],
    [ValueError, 'E_VALUE', InputError],
    [SchemaValueError, 'E_SCHEMA', InputError],
    [SchemaError, 'E_SCHEMA', SchemaError],
    [SchemaColumnError, 'E_COLUMN', SchemaError],
    [ModelError, 'E_MODEL', ModelError],
    [ModelVersionError, 'E_MODEL_VERSION', ModelError],
    [PrivacyError, 'E_PRIVACY', PrivacyError],
    [BudgetError, 'E_BUDGET', PrivacyError],
    [PrivacyStateVersionError, 'E_MODEL_VERSION', PrivacyError],
    [EvaluationError, 'E_EVALUATION', EvaluationError],
    [LlmError, 'E_LLM', LlmError],
    [OutputExistsError, 'E_OUTPUT_EXISTS', PrivsynthError],
    [OutputError, 'E_OUTPUT', PrivsynthError],
  ];
  for (const [Cls, code, Area] of cases) {
    it(`${Cls.name}: ${code}, exit 2, a ${Area.name}`, () => {
      const e = new Cls('something is wrong');
      expect(e.code).toBe(code);
      expect(e.exitCode).toBe(2);
      expect(e).toBeInstanceOf(Area);
      expect(e).toBeInstanceOf(PrivsynthError);
      expect(e.name).toBe(Cls.name);
      expect(e.describe()).toBe(`${code}: something is wrong`);
    });
  }

  it('keeps location, hint, cause and an explicit exit code', () => {
    const cause = new Error('root');
    const e = new ValueError('bad cell', { location: { file: 'a.csv', row: 3, column: 'age' }, hint: 'fix it', cause, exitCode: 1 });
    expect(e.describe()).toBe('E_VALUE: bad cell (file a.csv, row 3, column "age")\n  hint: fix it');
    expect(e.cause).toBe(cause);
    expect(e.exitCode).toBe(1);
  });
});

describe('error codes are spelled in src/errors.ts only', () => {
  it('no call site in src/ passes a code string to an error constructor', () => {
    const src = path.resolve(import.meta.dirname, '../src');
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.ts') && p !== path.join(src, 'errors.ts')) {
          const text = readFileSync(p, 'utf8');
          for (const m of text.matchAll(/new \w*Error\(\s*'E_[A-Z_]+'/g)) offenders.push(`${path.relative(src, p)}: ${m[0]}`);
        }
      }
    };
    walk(src);
    expect(offenders).toEqual([]);
  });
});
