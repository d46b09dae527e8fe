import type { JsonReport } from "../engine/lint.js";
import { RESULTS_PER_PIECE, type FormatOutput } from "./index.js";

/** `file:line:col: severity rule-id message`, one finding a line: for grep, editors and CI logs. */
export function formatCompact(report: JsonReport): FormatOutput {
  if (report.results.length <= RESULTS_PER_PIECE) return compactLines(report, 0, report.results.length);
  return { pieces: compactPieces(report) };
}

function* compactPieces(report: JsonReport): Iterable<string> {
  for (let i = 0; i < report.results.length; i += RESULTS_PER_PIECE) yield compactLines(report, i, Math.min(i + RESULTS_PER_PIECE, report.results.length));
}

function compactLines(report: JsonReport, from: number, to: number): string {
  const lines: string[] = [];
  for (let i = from; i < to; i++) {
    const r = report.results[i]!;
    lines.push(`${r.file}:${r.line}:${r.column}: ${r.severity} ${r.ruleId} ${r.message.split("\n").map((l) => l.trim()).join(" ")}\n`);
  }
  return lines.join("");
}
