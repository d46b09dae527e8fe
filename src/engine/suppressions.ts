/**
 * Inline suppressions in YAML files and Corefiles (also a ConfigMap's Corefile, whose comments are
 * lines of the YAML file): `# kube-netlint-disable-next-line ID[, ID] -- reason`,
 * `# kube-netlint-disable-line ID`, `# kube-netlint-disable-file ID`, and ranges
 * `# kube-netlint-disable ID -- reason` ... `# kube-netlint-enable ID`. JSON takes no comments.
 *
 * And the object annotation `kube-netlint.io/ignore: "ID[,ID] -- reason"`, which suppresses those
 * rules for findings on that object: unlike a comment, it survives `helm template` and `kustomize build`.
 */
import type { K8sObject, SourceFile } from "../model/types.js";

export const IGNORE_ANNOTATION = "kube-netlint.io/ignore";

export interface Suppression {
  file: SourceFile;
  kind: "next-line" | "line" | "file" | "range" | "object";
  /** How the suppression is written, for messages ("kube-netlint-disable-next-line", "the kube-netlint.io/ignore annotation of ConfigMap coredns"). */
  label?: string;
  /** For a range or an object: the last line covered per rule id ("*" = every id); absent = to the end of the file. */
  ends?: Map<string, number>;
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

const DIRECTIVE = /(^|[ \t])#[ \t]*kube-netlint-(disable-next-line|disable-line|disable-file|disable|enable)(?![\w-])([^\n]*)/gm;

const idsOf = (body: string) => body.replace(/\r$/, "").split(/\s--\s|\s--$|^--\s|^--$/)[0]!.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);

export function findSuppressions(file: SourceFile): Suppression[] {
  if (file.format === "json" || !file.text.includes("kube-netlint-")) return [];
  const out: Suppression[] = [];
  const open: Suppression[] = [];
  for (const m of file.text.matchAll(DIRECTIVE)) {
    const hashAt = m.index! + m[1]!.length;
    const pos = file.lines.position(hashAt);
    const ruleIds = idsOf(m[3]!);
    if (m[2] === "enable") {
      // Closes the open ranges for these ids (no id: every open range).
      for (const r of open) {
        for (const id of ruleIds.length ? ruleIds : [...r.ruleIds, "*"]) {
          if ((id === "*" || r.ruleIds.length === 0 || r.ruleIds.includes(id)) && !r.ends!.has(id)) r.ends!.set(id, pos.line);
        }
      }
      continue;
    }
    const kind = (m[2] === "disable" ? "range" : m[2]!.slice("disable-".length)) as Suppression["kind"];
    const lineEnd = file.lines.lineEnd(pos.line);
    const sup: Suppression = {
      file,
      kind,
      label: `kube-netlint-${m[2]}`,
      ruleIds,
      targetLine: kind === "file" ? 0 : kind === "line" || kind === "range" ? pos.line : pos.line + 1,
      line: pos.line,
      column: pos.column,
      endColumn: lineEnd - file.lines.lineStart(pos.line) + 1,
      used: new Set(),
    };
    if (kind === "range") {
      sup.ends = new Map();
      open.push(sup);
    }
    out.push(sup);
  }
  return out;
}

/** `kube-netlint.io/ignore` annotations of the objects of one file: each covers its object's lines. */
export function annotationSuppressions(file: SourceFile, objects: readonly K8sObject[]): Suppression[] {
  const out: Suppression[] = [];
  const seen = new Set<string>();
  for (const o of objects) {
    if (o.file !== file) continue;
    const annotations = (o.value.metadata as { annotations?: Record<string, unknown> } | undefined)?.annotations;
    const value = annotations && typeof annotations === "object" ? annotations[IGNORE_ANNOTATION] : undefined;
    if (typeof value !== "string") continue;
    const at = o.rangeAt(["metadata", "annotations", IGNORE_ANNOTATION]) ?? o.loc;
    const key = `${o.loc.start}:${o.loc.end}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const pos = file.lines.position(at.start);
    const end = file.lines.position(Math.max(at.start, at.end));
    const first = file.lines.position(o.loc.start).line;
    const last = file.lines.position(Math.max(o.loc.start, o.loc.end - 1)).line;
    out.push({
      file,
      kind: "object",
      label: `the ${IGNORE_ANNOTATION} annotation of ${o.kind} ${o.name || "(unnamed)"}`,
      ruleIds: idsOf(value),
      ends: new Map([["*", last]]),
      targetLine: first,
      line: pos.line,
      column: pos.column,
      endColumn: end.line === pos.line ? end.column : file.lines.lineEnd(pos.line) - file.lines.lineStart(pos.line) + 1,
      used: new Set(),
    });
  }
  return out;
}

/** The suppression that hides a finding of `ruleId` at `line` of `file`, if any (marking it used). */
export function matchSuppression(suppressions: readonly Suppression[], ruleId: string, line: number): Suppression | undefined {
  for (const s of suppressions) {
    if (s.ends) {
      // A range or an object: from its first line to its end for this rule (or for every rule), else to the end of the file.
      const last = s.ends.get(ruleId) ?? s.ends.get("*") ?? Number.MAX_SAFE_INTEGER;
      if (line < s.targetLine || line > last) continue;
    } else if (s.targetLine !== 0 && s.targetLine !== line) continue;
    if (s.ruleIds.length === 0 || s.ruleIds.includes(ruleId)) {
      s.used.add(s.ruleIds.length === 0 ? "*" : ruleId);
      return s;
    }
  }
  return undefined;
}
