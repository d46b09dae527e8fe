/**
 * Inline suppressions in YAML files and Corefiles (also a ConfigMap's Corefile, whose comments are
 * lines of the YAML file): `# kube-netlint-disable-next-line ID[, ID] -- reason`,
 * `# kube-netlint-disable-line ID`, `# kube-netlint-disable-file ID`. JSON takes no comments.
 */
import type { SourceFile } from "../model/types.js";

export interface Suppression {
  file: SourceFile;
  kind: "next-line" | "line" | "file";
  /** Rule ids; empty = every rule. */
  ruleIds: string[];
  /** The line the suppression applies to (0 for a whole file). */
  targetLine: number;
  /** Where the comment is, for meta/unused-suppression. */
  line: number;
  column: number;
  endColumn: number;
  used: Set<string>;
}

const DIRECTIVE = /(^|[ \t])#[ \t]*kube-netlint-disable-(next-line|line|file)\b([^\n]*)/g;

export function findSuppressions(file: SourceFile): Suppression[] {
  if (file.format === "json" || !file.text.includes("kube-netlint-disable")) return [];
  const out: Suppression[] = [];
  for (const m of file.text.matchAll(DIRECTIVE)) {
    const hashAt = m.index! + m[1]!.length;
    const pos = file.lines.position(hashAt);
    const body = m[3]!.replace(/\r$/, "").split(/\s--\s|\s--$/)[0]!;
    const ruleIds = body.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
    const kind = m[2] as Suppression["kind"];
    const lineEnd = file.lines.lineEnd(pos.line);
    out.push({
      file,
      kind,
      ruleIds,
      targetLine: kind === "file" ? 0 : kind === "line" ? pos.line : pos.line + 1,
      line: pos.line,
      column: pos.column,
      endColumn: lineEnd - file.lines.lineStart(pos.line) + 1,
      used: new Set(),
    });
  }
  return out;
}

/** The suppression that hides a finding of `ruleId` at `line` of `file`, if any (marking it used). */
export function matchSuppression(suppressions: readonly Suppression[], ruleId: string, line: number): Suppression | undefined {
  for (const s of suppressions) {
    if (s.targetLine !== 0 && s.targetLine !== line) continue;
    if (s.ruleIds.length === 0 || s.ruleIds.includes(ruleId)) {
      s.used.add(s.ruleIds.length === 0 ? "*" : ruleId);
      return s;
    }
  }
  return undefined;
}
