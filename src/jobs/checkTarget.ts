/**
 * The prediction target (`--target`) must be a kept column of the schema: `run` evaluates utility on it, and
 * dp-vae's fit measures its pairs. One check for both jobs.
 */
import { InputError } from '../errors.js';
import type { Metadata } from '../metadata/Metadata.js';
import * as msg from '../messages.js';

/** @throws InputError (exit 2) naming the file and the column, with the kept columns as the hint. */
export function checkTarget(metadata: Metadata, target: string | undefined, file: string | undefined): void {
  if (target === undefined || metadata.columns.some((c) => c.name === target && c.action === 'keep')) return;
  throw new InputError(msg.targetNotKept(target), {
    location: { ...(file !== undefined ? { file } : {}), column: target },
    hint: msg.hintChooseOneOf(metadata.columns.filter((c) => c.action === 'keep').map((c) => c.name)),
  });
}
