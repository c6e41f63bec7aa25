/** Option parsers shared by commands: each rejects bad values with a clear message (exit 2). */
import { InputError } from '../errors.js';
import * as msg from '../messages.js';

export function positiveInt(name: string) {
  return (v: string): number => {
    const x = Number(v);
    if (!Number.isInteger(x) || x <= 0) throw new InputError(msg.mustBePositiveInt(name, v));
    return x;
  };
}

export function nonNegativeInt(name: string) {
  return (v: string): number => {
    const x = Number(v);
    if (!Number.isInteger(x) || x < 0) throw new InputError(msg.mustBeNonNegativeInt(name, v));
    return x;
  };
}

export function positiveNumber(name: string) {
  return (v: string): number => {
    const x = Number(v);
    if (!Number.isFinite(x) || x <= 0) throw new InputError(msg.mustBePositiveNumber(name, v));
    return x;
  };
}

export function nonNegativeNumber(name: string) {
  return (v: string): number => {
    const x = Number(v);
    if (!Number.isFinite(x) || x < 0) throw new InputError(msg.mustBeNonNegativeNumber(name, v));
    return x;
  };
}
