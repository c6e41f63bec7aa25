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
  | { kind: 'pattern'; column: string; regex: string };

export const CONSTRAINT_KINDS = ['range', 'inequality', 'fixedCombinations', 'sum', 'pattern'] as const;
