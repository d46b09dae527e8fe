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
 */
export class Fingerprints {
  /** First print -> null when seen once, the key when seen again. */
  private readonly seen = new Map<string, string | null>();

  /** The print of a key with ordinal 0. */
  first(key: string): string {
    const print = sha256Hex128(`${key}\0${0}`);
    const had = this.seen.get(print);
    if (had === undefined) this.seen.set(print, null);
    else if (had === null) this.seen.set(print, key);
    return print;
  }

  /** The fingerprints of findings in report order, from their first prints: what assignFingerprints gives for their keys. */
  assign(firsts: readonly string[]): string[] {
    const ordinal = new Map<string, number>();
    return firsts.map((print) => {
      const key = this.seen.get(print);
      if (key === null || key === undefined) return print;
      const n = ordinal.get(print) ?? 0;
      ordinal.set(print, n + 1);
      return n === 0 ? print : sha256Hex128(`${key}\0${n}`);
    });
  }
}
