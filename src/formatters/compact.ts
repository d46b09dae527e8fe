import type { JsonReport } from "../engine/lint.js";

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * `file:line:col: severity rule-id message`, one finding a line: for grep, editors and CI logs.
 * A run with findings ends with a summary line (it has no `file:line:col:` prefix, so problem
 * matchers pass it over); a clean run prints nothing.
 */
export function formatCompact(report: JsonReport): string {
  if (!report.results.length) return "";
  const lines = report.results.map((r) => `${r.file}:${r.line}:${r.column}: ${r.severity} ${r.ruleId} ${r.message.split("\n").map((l) => l.trim()).join(" ")}`);
  const s = report.summary;
  const extra = [s.suppressed ? `${s.suppressed} suppressed` : "", s.baselined ? `${s.baselined} baselined` : ""].filter(Boolean);
  lines.push(
    `${plural(report.results.length, "problem")} (${plural(s.errors, "error")}, ${plural(s.warnings, "warning")}, ${plural(s.infos, "info", "infos")}) in ${plural(s.files, "file")} read${extra.length ? `; ${extra.join(", ")}` : ""}`,
  );
  return lines.join("\n") + "\n";
}
