/**
 * SHA-256 (FIPS 180-4) of a string's UTF-8 bytes, as lowercase hex. Fingerprints hash a few short
 * keys per run; loading node:crypto for them cost more start-up time than a whole pre-commit run
 * spends hashing. test/fingerprint.test.ts checks it against node:crypto.
 */
import { createRequire } from "node:module";

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

/** Buffers reused by every call: a run may hash a fingerprint for each of several 100,000 findings. */
const encoder = new TextEncoder();
let data = new Uint8Array(256);
let view = new DataView(data.buffer);
const w = new Int32Array(64);

export function sha256Hex(text: string): string {
  const native = nativeHash();
  return native ? native("sha256", text, "hex") : hexOf(sha256(text), 8);
}

/**
 * The first 128 bits of the hash as 32 hex digits (a fingerprint), one flat string: a slice of the
 * native 64 digits would be a slice object keeping them alive (120 bytes a fingerprint, not 56;
 * 19 MB of 300,000 findings), the join copies the 32.
 */
export function sha256Hex128(text: string): string {
  const native = nativeHash();
  if (!native) return hexOf(sha256(text), 4);
  const hex = native("sha256", text, "hex");
  return [hex.slice(0, 8), hex.slice(8, 32)].join("");
}

/**
 * After the first NATIVE_AFTER hashes of a run, node:crypto's one-shot hash() (Node >= 20.12) takes
 * over: it hashes a fingerprint key in about a third of this file's time, which is 0.7 s of a file
 * with 300,000 findings; a run with few findings never loads it. Same digest either way.
 */
const NATIVE_AFTER = 1000;
type NativeHash = (algorithm: string, data: string, encoding: "hex") => string;
let calls = 0;
let native: NativeHash | null | undefined;
function nativeHash(): NativeHash | null | undefined {
  if (native !== undefined || ++calls <= NATIVE_AFTER) return native;
  try {
    const hash = (createRequire(import.meta.url)("node:crypto") as { hash?: NativeHash }).hash;
    native = typeof hash === "function" ? hash : null;
  } catch {
    native = null;
  }
  return native;
}

const state = new Int32Array(8);
const hexCodes: number[] = [];
const HEX_DIGITS = "0123456789abcdef";

/** The first `words` words of the state as hex, built as one flat string (not a tree of concatenations). */
function hexOf(h: Int32Array, words: number): string {
  hexCodes.length = words * 8;
  for (let i = 0; i < words; i++) {
    const x = h[i]!;
    for (let j = 0; j < 8; j++) hexCodes[i * 8 + j] = HEX_DIGITS.charCodeAt((x >>> (28 - 4 * j)) & 15);
  }
  return String.fromCharCode.apply(null, hexCodes);
}

function sha256(text: string): Int32Array {
  // UTF-8 is at most 3 bytes per UTF-16 unit; the message, a 1 bit, zeros, and the length in bits
  // as a 64-bit big-endian number, in 64-byte blocks.
  const room = text.length * 3 + 72;
  if (data.length < room) {
    data = new Uint8Array(Math.max(room, data.length * 2));
    view = new DataView(data.buffer);
  }
  const length = encoder.encodeInto(text, data).written;
  const blocks = Math.ceil((length + 9) / 64);
  const end = blocks * 64;
  data[length] = 0x80;
  data.fill(0, length + 1, end);
  const bits = length * 8;
  view.setUint32(end - 8, Math.floor(bits / 0x100000000));
  view.setUint32(end - 4, bits >>> 0);

  let h0 = 0x6a09e667, h1 = 0xbb67ae85 | 0, h2 = 0x3c6ef372, h3 = 0xa54ff53a | 0, h4 = 0x510e527f, h5 = 0x9b05688c | 0, h6 = 0x1f83d9ab, h7 = 0x5be0cd19;
  for (let offset = 0; offset < end; offset += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getInt32(offset + i * 4);
    for (let i = 16; i < 64; i++) {
      const a = w[i - 15]!;
      const b = w[i - 2]!;
      const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
      const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
      w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) | 0;
    }
    let a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, k = h7;
    for (let i = 0; i < 64; i++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const t1 = (k + S1 + ((e & f) ^ (~e & g)) + K[i]! + w[i]!) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      k = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    h0 = (h0 + a) | 0;
    h1 = (h1 + b) | 0;
    h2 = (h2 + c) | 0;
    h3 = (h3 + d) | 0;
    h4 = (h4 + e) | 0;
    h5 = (h5 + f) | 0;
    h6 = (h6 + g) | 0;
    h7 = (h7 + k) | 0;
  }
  state[0] = h0;
  state[1] = h1;
  state[2] = h2;
  state[3] = h3;
  state[4] = h4;
  state[5] = h5;
  state[6] = h6;
  state[7] = h7;
  return state;
}
