/**
 * Fast standard-normal fills for the training loop, seeded from the project's `Rng`.
 *
 * Why not `Rng.fillNormal`: its polar method draws four 32-bit words and calls log and sqrt per
 * pair through method calls, ~55 ns a value here. A TVAE step needs 500 x 128 reparameterisation
 * draws (and ~110,000 DP noise draws), which at that rate costs more than the whole onnxruntime
 * step. This fill takes its four 32-bit seed words from the given `Rng` (so every draw is still
 * determined by the seed passed in) and steps a xoshiro128** generator (xoshiro128.ts), turning each
 * 32-bit word into a normal with Marsaglia & Tsang's ziggurat (J. Stat. Softw. 5(8), 2000; 128
 * layers, tail by Marsaglia's 1964 method), ~3 ns a value.
 *
 * Bits: the signed word gives the value, its low 7 bits pick the layer; those 7 bits lie below
 * float32's 24-bit mantissa of the result, so reusing them does not bias a float32 draw.
 */
import type { Rng } from '../rng.js';
import { Xoshiro128 } from './xoshiro128.js';

const LAYERS = 128;
const R = 3.442619855899;
const V = 9.91256303526217e-3;
const M1 = 2147483648;
const KN = new Float64Array(LAYERS);
const WN = new Float64Array(LAYERS);
const FN = new Float64Array(LAYERS);
/** KN as int32 (|hz| compares as an integer in the hot loop; |hz| <= 2^31 - 1 there). */
const KI = new Int32Array(LAYERS);
{
  let dn = R;
  let tn = dn;
  const q = V / Math.exp(-0.5 * dn * dn);
  KN[0] = (dn / q) * M1;
  KN[1] = 0;
  WN[0] = q / M1;
  WN[LAYERS - 1] = dn / M1;
  FN[0] = 1;
  FN[LAYERS - 1] = Math.exp(-0.5 * dn * dn);
  for (let i = LAYERS - 2; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(V / dn + Math.exp(-0.5 * dn * dn)));
    KN[i + 1] = (dn / tn) * M1;
    tn = dn;
    FN[i] = Math.exp(-0.5 * dn * dn);
    WN[i] = dn / M1;
  }
  for (let i = 0; i < LAYERS; i++) KI[i] = Math.min(Math.floor(KN[i]!), 2147483647);
}

/** The generator of the current fill, kept for the rare slow path that runs after the hot loop. */
let gen = new Xoshiro128(1, 0, 0, 0);

/** Uniform in (0, 1). */
function uni(): number {
  return ((gen.next() >>> 0) + 0.5) / 4294967296;
}

/** The ziggurat's rejection step for a word that fell outside its layer's rectangle core. */
function slow(hz: number): number {
  for (;;) {
    const iz = hz & (LAYERS - 1);
    const x = hz * WN[iz]!;
    if (iz === 0) {
      let xt: number;
      let y: number;
      do {
        xt = -Math.log(uni()) / R;
        y = -Math.log(uni());
      } while (y + y < xt * xt);
      return hz > 0 ? R + xt : -R - xt;
    }
    if (FN[iz]! + uni() * (FN[iz - 1]! - FN[iz]!) < Math.exp(-0.5 * x * x)) return x;
    hz = gen.next();
    const jz = hz & (LAYERS - 1);
    if ((hz ^ (hz >> 31)) < KI[jz]!) return hz * WN[jz]!;
  }
}

/** Misses of the fast path, resolved after the hot loop (a call inside it slows every iteration). */
let missIdx = new Int32Array(4096);
let missHz = new Int32Array(4096);

/** Fill `out[0..length)` with independent N(0, scale^2) draws seeded by four words of `rng`. */
export function fillNormalFast(rng: Rng, out: Float32Array, scale = 1): Float32Array {
  const g = Xoshiro128.seededBy(rng);
  const n = out.length;
  if (missIdx.length < n) {
    missIdx = new Int32Array(n);
    missHz = new Int32Array(n);
  }
  const mi = missIdx;
  const mh = missHz;
  let misses = 0;
  for (let i = 0; i < n; i++) {
    const hz = g.next();
    const iz = hz & (LAYERS - 1);
    if ((hz ^ (hz >> 31)) < KI[iz]!) {
      out[i] = hz * WN[iz]! * scale;
    } else {
      mi[misses] = i;
      mh[misses++] = hz;
    }
  }
  gen = g;
  for (let k = 0; k < misses; k++) out[mi[k]!] = slow(mh[k]!) * scale;
  return out;
}
