import type { JsonReport } from "../engine/lint.js";

/** `file:line:col: severity rule-id message`, one finding a line: for grep, editors and CI logs. */
export function formatCompact(report: JsonReport): string {
  return report.results.map((r) => `${r.file}:${r.line}:${r.column}: ${r.severity} ${r.ruleId} ${r.message.split("\n").map((l) => l.trim()).join(" ")}`).join("\n") + (report.results.length ? "\n" : "");
}
