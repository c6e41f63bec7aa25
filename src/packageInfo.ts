/** What the package knows about itself: its version (from package.json) and its root (which holds models/). */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
export const PRIVSYNTH_VERSION: string = (require('../package.json') as { version: string }).version;

/** The project root (holds models/), from src/ or dist/. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
