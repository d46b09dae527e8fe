/**
 * A finding's identity that survives unrelated edits: the rule, the file, and the text of the
 * flagged line(s) and token — not line numbers, not the message (which names other files'
 * lines) — plus an ordinal among identical findings in the same file. SARIF
 * partialFingerprints and baselines use it.
 */
import { sha256Hex128 } from "./sha256.js";
import type { Loc } from "../model/types.js";

export function fingerprintKey(ruleId: string, loc: Loc): string {
  const { lines, text } = loc.file;
  const first = lines.position(loc.start).line;
  const last = lines.position(Math.max(loc.start, loc.end - 1)).line;
  const context: string[] = [];
  for (let l = first; l <= Math.min(last, first + 5); l++) context.push(lines.lineText(l).trim().replace(/\s+/g, " "));
  const token = text.slice(loc.start, Math.min(loc.end, loc.start + 200)).replace(/\s+/g, " ");
  return `${ruleId}\0${loc.file.path}\0${context.join("\n")}\0${token}`;
}

/** Hash keys in order, numbering repeats of the same key so each finding gets its own identity. */
export function assignFingerprints(keys: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return keys.map((k) => {
    const n = seen.get(k) ?? 0;
    seen.set(k, n + 1);
    return sha256Hex128(`${k}\0${n}`);
  });
}

/**
 * assignFingerprints without keeping every finding's key until the report is sorted: a finding's
 * print with ordinal 0, sha256(key \0 0), is computed when it is emitted and stands for its key
 * (equal keys, equal prints); a key is kept only once it repeats, for the later ordinals. 300,000
 * findings in one file kept 45 MB of keys alive for this.
 *
 * The prints seen are a hash set of its own: open addressing over the print's first 28 bits (its
 * first seven hex digits, already uniformly spread) in an Int32Array. A Map of 300,000 prints cost
 * 0.4 s to fill (hashing each new string, growing its table); this costs a few ms.
 */
export class Fingerprints {
  /** Every distinct first print, in the order first seen. */
  private readonly prints: string[] = [];
  /** hashOf each of prints (the table grows without reading the prints again). */
  private hashes = new Int32Array(512);
  /** Slots of the hash set: 1 + an index into prints, 0 when empty. */
  private slots = new Int32Array(1024);
  /** First print -> key, for the prints seen more than once. */
  private readonly repeated = new Map<string, string>();

  /** The print of a key with ordinal 0. */
  first(key: string): string {
    const print = sha256Hex128(`${key}\0${0}`);
    const { slots, prints } = this;
    const mask = slots.length - 1;
    const h = hashOf(print);
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const slot = slots[i]!;
      if (slot === 0) {
        const index = prints.push(print) - 1;
        slots[i] = index + 1;
        if (index === this.hashes.length) {
          const hashes = new Int32Array(this.hashes.length * 2);
          hashes.set(this.hashes);
          this.hashes = hashes;
        }
        this.hashes[index] = h;
        if (prints.length * 2 > slots.length) this.grow();
        return print;
      }
      if (prints[slot - 1] === print) {
        if (!this.repeated.has(print)) this.repeated.set(print, key);
        return print;
      }
    }
  }

  /** The fingerprints of findings in report order, from their first prints: what assignFingerprints gives for their keys. */
  assign(firsts: readonly string[]): string[] {
    if (this.repeated.size === 0) return firsts.slice();
    const ordinal = new Map<string, number>();
    return firsts.map((print) => {
      const key = this.repeated.get(print);
      if (key === undefined) return print;
      const n = ordinal.get(print) ?? 0;
      ordinal.set(print, n + 1);
      return n === 0 ? print : sha256Hex128(`${key}\0${n}`);
    });
  }

  private grow(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    const { hashes } = this;
    for (let index = 0, n = this.prints.length; index < n; index++) {
      let i = hashes[index]! & mask;
      while (slots[i] !== 0) i = (i + 1) & mask;
      slots[i] = index + 1;
    }
    this.slots = slots;
  }
}

/** The first seven hex digits of a print as a number (a print is lowercase hex). */
function hashOf(print: string): number {
  let h = 0;
  for (let i = 0; i < 7; i++) {
    const c = print.charCodeAt(i);
    h = (h << 4) | (c <= 0x39 ? c - 0x30 : c - 0x57);
  }
  return h;
}
