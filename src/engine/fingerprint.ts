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
