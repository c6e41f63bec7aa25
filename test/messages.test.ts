/**
 * src/messages.ts, the user-facing texts in one module (the files of src/messages/, re-exported): every export is a
 * text or makes one; the rooms converted to it spell no error text, hint or warning of their own; and no fixed text
 * gathered there is spelled again anywhere else in src/.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as msg from '../src/messages.js';
import { ROOT } from './helpers.js';

const SRC = path.join(ROOT, 'src');
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));

describe('messages', () => {
  it('exports texts, and functions that make texts', () => {
    for (const [name, v] of Object.entries(msg)) expect(['string', 'function'], name).toContain(typeof v);
    expect(msg.outputExists('the output', 'a.csv')).toBe('the output a.csv already exists');
    expect(msg.optionsUnsupported(['--condition', '--rebalance'], 'mst')).toBe('--condition, --rebalance: the mst synthesizer does not support these options (only dp-vae does)');
  });

  it('the converted rooms build no user-facing error, hint or warning from a literal text', () => {
    // A PrivsynthError (any *Error class but the programming errors) whose message is a literal, a `hint:` or a
    // warning's `message:` given as one. Programming errors (InternalError, and Error, RangeError, TypeError thrown
    // on impossible internal states) keep their texts where they are thrown.
    const literal = /new (?!(?:Error|RangeError|TypeError|InternalError)\()[A-Za-z]*Error\(\s*['`"]|\b(?:hint|message):\s*['`"]/g;
    const rooms = ['cli', 'jobs', 'privacy', 'transformers', 'sampling', 'metadata', 'evaluation', 'nn', 'io', 'synthesizers', 'text'];
    const converted = rooms.flatMap((r) => files(path.join(SRC, r)));
    for (const f of converted) {
      const src = readFileSync(f, 'utf8');
      expect(src.match(literal), path.relative(SRC, f)).toBeNull();
    }
  });

  it('no fixed text of messages.ts is spelled again in src/', () => {
    const texts = Object.entries(msg).filter(([, v]) => typeof v === 'string' && v.length >= 15) as [string, string][];
    const spelled: string[] = [];
    for (const f of files(SRC)) {
      if (path.relative(SRC, f).startsWith('messages')) continue; // messages.ts and messages/
      const src = readFileSync(f, 'utf8');
      for (const [name, t] of texts) if (src.includes(t.replace(/\n/g, '\\n')) || src.includes(t)) spelled.push(`${path.relative(SRC, f)} spells msg.${name}`);
    }
    expect(spelled).toEqual([]);
  });
});
