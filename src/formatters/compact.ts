import type { JsonReport } from "../engine/lint.js";
import { RESULTS_PER_PIECE, type FormatOutput } from "./index.js";

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * `file:line:col: severity rule-id message`, one finding a line: for grep, editors and CI logs.
 * A run with findings ends with a summary line (it has no `file:line:col:` prefix, so problem
 * matchers pass it over); a clean run prints nothing. More than RESULTS_PER_PIECE findings are
 * given in pieces (the same text).
 */
export function formatCompact(report: JsonReport): FormatOutput {
  if (!report.results.length) return "";
  if (report.results.length <= RESULTS_PER_PIECE) return compactLines(report, 0, report.results.length) + summaryLine(report);
  return { pieces: compactPieces(report) };
}

/** Lines per piece: a piece stays well under V8's largest ordinary heap object (see json.ts). */
const LINES_PER_PIECE = 100;

function* compactPieces(report: JsonReport): Iterable<string> {
  for (let i = 0; i < report.results.length; i += LINES_PER_PIECE) yield compactLines(report, i, Math.min(i + LINES_PER_PIECE, report.results.length));
  yield summaryLine(report);
}

function compactLines(report: JsonReport, from: number, to: number): string {
  const lines: string[] = [];
  for (let i = from; i < to; i++) {
    const r = report.results[i]!;
    lines.push(`${r.file}:${r.line}:${r.column}: ${r.severity} ${r.ruleId} ${r.message.split("\n").map((l) => l.trim()).join(" ")}\n`);
  }
  return lines.join("");
}

function summaryLine(report: JsonReport): string {
  const s = report.summary;
  const extra = [s.suppressed ? `${s.suppressed} suppressed` : "", s.baselined ? `${s.baselined} baselined` : ""].filter(Boolean);
  return `${plural(report.results.length, "problem")} (${plural(s.errors, "error")}, ${plural(s.warnings, "warning")}, ${plural(s.infos, "info", "infos")}) in ${plural(s.files, "file")} read${extra.length ? `; ${extra.join(", ")}` : ""}\n`;
}
