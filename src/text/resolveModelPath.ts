/**
 * Finds the GGUF file for `--llm-model <nameOrPath>`: an existing file path, else a file of that
 * name (with or without `.gguf`) in the project's `models/` folder. privsynth never downloads a
 * model: a missing one is an error that says where to put it.
 */
import { openSync, readSync, closeSync, statSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { LlmError } from '../errors.js';
import * as msg from '../messages.js';

const GGUF_MAGIC = 'GGUF';

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function readMagic(p: string): string {
  const fd = openSync(p, 'r');
  try {
    const buf = Buffer.alloc(4);
    const n = readSync(fd, buf, 0, 4, 0);
    return buf.subarray(0, n).toString('latin1');
  } finally {
    closeSync(fd);
  }
}

/**
 * @param nameOrPath a path to a .gguf file, or the name of one in `<projectRoot>/models/`
 * @param projectRoot the folder holding `models/`
 * @returns the absolute path of an existing GGUF file
 * @throws LlmError (E_LLM) when nothing is found (listing where it looked and what `models/` holds), or the file is not GGUF
 */
export function resolveModelPath(nameOrPath: string, projectRoot: string): string {
  if (!nameOrPath || !nameOrPath.trim()) {
    throw new LlmError(msg.NO_LLM_MODEL, { hint: modelsHint(projectRoot) });
  }
  const modelsDir = path.resolve(projectRoot, 'models');
  const candidates = [path.resolve(nameOrPath)];
  const base = path.basename(nameOrPath);
  if (base === nameOrPath || !path.isAbsolute(nameOrPath)) {
    candidates.push(path.join(modelsDir, nameOrPath));
    if (!nameOrPath.toLowerCase().endsWith('.gguf')) candidates.push(path.join(modelsDir, nameOrPath + '.gguf'));
  }
  const found = candidates.find(isFile);
  if (!found) {
    const present = listGguf(modelsDir);
    throw new LlmError(
      msg.llmModelNotFound(nameOrPath, [...new Set(candidates)], modelsDir, present),
      { hint: modelsHint(projectRoot) },
    );
  }
  const magic = readMagic(found);
  if (magic !== GGUF_MAGIC) {
    throw new LlmError(msg.notGguf(found), { location: { file: found }, hint: modelsHint(projectRoot) });
  }
  return found;
}

function listGguf(dir: string): string[] | null {
  try {
    return readdirSync(dir).filter((f) => f.toLowerCase().endsWith('.gguf')).sort();
  } catch {
    return null;
  }
}

function modelsHint(projectRoot: string): string {
  return msg.hintModels(path.resolve(projectRoot, 'models'));
}
