/**
 * The numeric backend: @tensorflow/tfjs with the fastest backend that loads here.
 *
 * Order: @tensorflow/tfjs-node (native libtensorflow, an optionalDependency that cannot install
 * offline, so usually absent), then wasm (XNNPACK), then cpu. The choice can be forced with
 * PRIVSYNTH_BACKEND=node|wasm|cpu. Loading is lazy and happens once.
 */
import type * as TF from '@tensorflow/tfjs';
import { env } from '../env.js';
import * as msg from '../messages.js';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

export interface Backend {
  tf: typeof TF;
  name: BackendName;
  /** Why faster backends were not used (for `doctor` and logs). */
  notes: string[];
}

let loaded: Promise<Backend> | null = null;

export function loadBackend(prefer: string | undefined = env.backend()): Promise<Backend> {
  if (!loaded) loaded = init(prefer);
  return loaded;
}

async function init(prefer?: string): Promise<Backend> {
  const notes: string[] = [];
  // tfjs prints a hint about tfjs-node on first use; it is not useful to our users.
  const tf = (await import('@tensorflow/tfjs')) as typeof TF;
  tf.env().set('PROD', true);
  const order: BackendName[] = prefer === 'cpu' ? ['cpu'] : prefer === 'wasm' ? ['wasm', 'cpu'] : ['tensorflow', 'wasm', 'cpu'];
  for (const name of order) {
    try {
      if (name === 'tensorflow') {
        const modName = '@tensorflow/tfjs-node';
        await import(modName);
      } else if (name === 'wasm') {
        await import('@tensorflow/tfjs-backend-wasm');
      }
      if (await tf.setBackend(name)) {
        await tf.ready();
        return { tf, name, notes };
      }
      notes.push(`${name}: setBackend returned false`);
    } catch (e) {
      notes.push(`${name}: ${(e as Error).message?.split('\n')[0] ?? String(e)}`);
    }
  }
  throw new Error(msg.noTfjsBackend(notes));
}
