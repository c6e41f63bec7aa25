/** jobs/: the stages. Re-exported by ../messages.ts, which call sites import. */

// ---- the jobs -------------------------------------------------------------------------------------------

export const targetNotKept = (target: string): string => `--target "${target}" is not a kept column of the data`;
export const tooFewRowsToSplit = (rows: number, holdoutFraction: number): string => `the table has too few rows (${rows}) to split off a ${holdoutFraction} holdout`;
export const HINT_LARGER_TABLE = 'use a larger table or another --holdout-fraction';
export const keepTableNeedsCsv = (out: string): string => `keepTable needs a CSV output, not ${out}`;
/** What schema inference decided about a column that the user should hear (fit and run without --schema). */
export const inferredColumnWarning = (column: string, text: string): string => `column "${column}": ${text}`;
