import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SHARED = path.resolve(ROOT, '..', 'shared', 'datasets');
export const HAS_SHARED = existsSync(path.join(SHARED, 'adult', 'adult.csv'));
/** Reason shown when a test needs ../shared (absent on a user's fresh clone; CI always has it). */
export const SHARED_SKIP = HAS_SHARED ? '' : '../shared/datasets is absent (a fresh clone without the shared data)';
export const CPS = path.join(ROOT, 'node_modules', '@stdlib', 'datasets-berndt-cps-wages-1985', 'data', 'data.csv');
