/**
 * Applying the rules' fixes: exact text edits carried by findings. Edits of one file are applied
 * from the end so offsets stay valid; an edit overlapping one already taken waits for the next
 * pass (the caller lints again until nothing changes).
 */
import type { Finding, TextEdit } from "../types.js";

export interface FileFix {
  file: string;
  before: string;
  after: string;
  applied: number;
}

/** Apply the non-overlapping fixes of `findings` to the given texts (display path -> text). */
export function applyFixes(findings: readonly Finding[], texts: ReadonlyMap<string, string>): FileFix[] {
  const byFile = new Map<string, { edits: TextEdit[]; count: number }[]>();
  for (const f of findings) {
    if (!f.fix || f.fix.edits.length === 0) continue;
    const list = byFile.get(f.fix.file) ?? [];
    list.push({ edits: [...f.fix.edits].sort((a, b) => a.start - b.start), count: 1 });
    byFile.set(f.fix.file, list);
  }
  const out: FileFix[] = [];
  for (const [file, fixes] of byFile) {
    const before = texts.get(file);
    if (before === undefined) continue;
    const taken: TextEdit[] = [];
    let applied = 0;
    for (const fix of fixes) {
      const overlaps = fix.edits.some((e) => taken.some((t) => e.start < t.end && t.start < e.end || (e.start === t.start && e.end === t.end)));
      if (overlaps || fix.edits.some((e) => e.start < 0 || e.end > before.length || e.end < e.start)) continue;
      for (const e of fix.edits) taken.push(e);
      applied++;
    }
    if (applied === 0) continue;
    let after = before;
    for (const e of [...taken].sort((a, b) => b.start - a.start)) after = after.slice(0, e.start) + e.text + after.slice(e.end);
    if (after !== before) out.push({ file, before, after, applied });
  }
  return out;
}

/** A unified diff of one file (for --fix-dry-run), with three lines of context. */
export function unifiedDiff(file: string, before: string, after: string): string {
  const a = before.split("\n");
  const b = after.split("\n");
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length - 1;
  let endB = b.length - 1;
  while (endA >= start && endB >= start && a[endA] === b[endB]) {
    endA--;
    endB--;
  }
  const ctxStart = Math.max(0, start - 3);
  const ctxEndA = Math.min(a.length - 1, endA + 3);
  const ctxEndB = Math.min(b.length - 1, endB + 3);
  const lines = [`--- a/${file}`, `+++ b/${file}`, `@@ -${ctxStart + 1},${ctxEndA - ctxStart + 1} +${ctxStart + 1},${ctxEndB - ctxStart + 1} @@`];
  for (let i = ctxStart; i < start; i++) lines.push(` ${a[i]}`);
  for (let i = start; i <= endA; i++) lines.push(`-${a[i]}`);
  for (let i = start; i <= endB; i++) lines.push(`+${b[i]}`);
  for (let i = endA + 1; i <= ctxEndA; i++) lines.push(` ${a[i]}`);
  return lines.join("\n") + "\n";
}
