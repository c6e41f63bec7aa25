/** Option parsers shared by commands: each rejects bad values with a clear message (exit 2). */
import { InputError } from '../errors.js';

export function positiveInt(name: string) {
  return (v: string): number => {
    const x = Number(v);
    if (!Number.isInteger(x) || x <= 0) throw new InputError(`${name} must be a positive whole number, got "${v}"`);
    return x;
  };
}

export function nonNegativeInt(name: string) {
  return (v: string): number => {
    const x = Number(v);
    if (!Number.isInteger(x) || x < 0) throw new InputError(`${name} must be a whole number >= 0, got "${v}"`);
    return x;
  };
}

export function positiveNumber(name: string) {
  return (v: string): number => {
    const x = Number(v);
    if (!Number.isFinite(x) || x <= 0) throw new InputError(`${name} must be a positive number, got "${v}"`);
    return x;
  };
}

export function nonNegativeNumber(name: string) {
  return (v: string): number => {
    const x = Number(v);
    if (!Number.isFinite(x) || x < 0) throw new InputError(`${name} must be a number >= 0, got "${v}"`);
    return x;
  };
}
