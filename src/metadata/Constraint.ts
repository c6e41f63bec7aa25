/**
 * The constraint entries of a schema (`Metadata.constraints`): their JSON shape only. Validation against the
 * schema is constraintProblems.ts; enforcement on sampled rows is sampling/constraints.ts, which re-exports these.
 */
export type InequalityOp = '<' | '<=' | '>' | '>=';

export type Constraint =
  | { kind: 'range'; column: string; min?: number | string; max?: number | string }
  | { kind: 'inequality'; left: string; op: InequalityOp; right: string }
  | { kind: 'fixedCombinations'; columns: string[]; allowed?: string[][] }
  /** total = Σ parts + offset (offset default 0), e.g. CPS's age = education + experience + 6. */
  | { kind: 'sum'; total: string; parts: string[]; offset?: number }
  | { kind: 'pattern'; column: string; regex: string }
  /**
   * `to` is a declared function of `from` (public structure), e.g. UCI Adult's education-num, the ordinal code of
   * its education: {"Preschool": "1", ..., "Doctorate": "16"}. Values as strings, read as the `to` column's type.
   */
  | { kind: 'mapping'; from: string; to: string; map: Record<string, string> };

export const CONSTRAINT_KINDS = ['range', 'inequality', 'fixedCombinations', 'sum', 'pattern', 'mapping'] as const;
