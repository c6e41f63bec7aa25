/**
 * Fast standard-normal fills for the training loop, seeded from the project's `Rng`.
 *
 * Why not `Rng.fillNormal`: its polar method draws four 32-bit words and calls log and sqrt per
 * pair through method calls, ~55 ns a value here. A TVAE step needs 500 x 128 reparameterisation
 * draws (and ~110,000 DP noise draws), which at that rate costs more than the whole onnxruntime
 * step. This fill takes its four 32-bit seed words from the given `Rng` (so every draw is still
 * determined by the seed passed in) and runs the same xoshiro128** generator inline, turning each
 * 32-bit word into a normal with Marsaglia & Tsang's ziggurat (J. Stat. Softw. 5(8), 2000; 128
 * layers, tail by Marsaglia's 1964 method), ~3 ns a value.
 *
 * Bits: the signed word gives the value, its low 7 bits pick the layer; those 7 bits lie below
 * float32's 24-bit mantissa of the result, so reusing them does not bias a float32 draw.
 */
import type { Rng } from '../../rng.js';

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

/** xoshiro128** state, parked here while the rare slow path runs (int32 words keep the hot loop's types stable). */
const ST = new Int32Array(4);

function next(): number {
  const s1 = ST[1]!;
  const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
  const t = s1 << 9;
  ST[2] ^= ST[0]!;
  ST[3] ^= ST[1]!;
  ST[1] ^= ST[2]!;
  ST[0] ^= ST[3]!;
  ST[2] ^= t;
  ST[3] = rotl(ST[3]!, 11);
  return result | 0;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Uniform in (0, 1). */
function uni(): number {
  return ((next() >>> 0) + 0.5) / 4294967296;
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
    hz = next();
    const jz = hz & (LAYERS - 1);
    if ((hz ^ (hz >> 31)) < KI[jz]!) return hz * WN[jz]!;
  }
}

/** Misses of the fast path, resolved after the hot loop (a call inside it slows every iteration). */
let missIdx = new Int32Array(4096);
let missHz = new Int32Array(4096);

/** Fill `out[0..length)` with independent N(0, scale^2) draws seeded by four words of `rng`. */
export function fillNormalFast(rng: Rng, out: Float32Array, scale = 1): Float32Array {
  let s0 = rng.nextU32() | 0;
  let s1 = rng.nextU32() | 0;
  let s2 = rng.nextU32() | 0;
  let s3 = rng.nextU32() | 0;
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1;
  const n = out.length;
  if (missIdx.length < n) {
    missIdx = new Int32Array(n);
    missHz = new Int32Array(n);
  }
  const mi = missIdx;
  const mh = missHz;
  let misses = 0;
  for (let i = 0; i < n; i++) {
    const m5 = Math.imul(s1, 5);
    const hz = Math.imul((m5 << 7) | (m5 >>> 25), 9);
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    const iz = hz & (LAYERS - 1);
    if ((hz ^ (hz >> 31)) < KI[iz]!) {
      out[i] = hz * WN[iz]! * scale;
    } else {
      mi[misses] = i;
      mh[misses++] = hz;
    }
  }
  ST[0] = s0;
  ST[1] = s1;
  ST[2] = s2;
  ST[3] = s3;
  for (let k = 0; k < misses; k++) out[mi[k]!] = slow(mh[k]!) * scale;
  return out;
}
