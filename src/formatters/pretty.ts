/** The human format, drawn by eslint-formatter-pretty from ESLint-shaped results. */
import path from "node:path";
import { ruleDocsUrl } from "../engine/docs.js";
import type { JsonReport } from "../engine/lint.js";
import type { FormatContext } from "./index.js";

export async function formatPretty(report: JsonReport, context: FormatContext): Promise<string> {
  if (!context.color) process.env.FORCE_COLOR = "0";
  const { default: pretty } = await import("eslint-formatter-pretty");
  const byFile = new Map<string, JsonReport["results"]>();
  for (const r of report.results) {
    const list = byFile.get(r.file) ?? [];
    list.push(r);
    byFile.set(r.file, list);
  }
  const rulesMeta: Record<string, { docs: { url: string } }> = {};
  const results = [...byFile.entries()].map(([file, findings]) => {
    for (const f of findings) rulesMeta[f.ruleId] = { docs: { url: ruleDocsUrl(f.ruleId) } };
    return {
      filePath: path.resolve(context.cwd, file),
      messages: findings.map((f) => ({
        ruleId: f.ruleId,
        severity: f.severity === "error" ? 2 : 1,
        message: withCauses(f.severity === "info" ? `(info) ${f.message}` : f.message, f.related),
        line: f.line,
        column: f.column,
        endLine: f.endLine,
        endColumn: f.endColumn,
      })),
      errorCount: findings.filter((f) => f.severity === "error").length,
      warningCount: findings.filter((f) => f.severity !== "error").length,
    };
  });
  // The formatter prints paths relative to the process's working directory.
  const out = (pretty as unknown as (r: unknown, d: unknown) => string)(results, { rulesMeta, cwd: context.cwd });
  return out ? out + "\n" : "";
}

/** "caused by RULE at FILE:LINE" for each related location that is another finding's, unless the message already says so. */
function withCauses(message: string, related: JsonReport["results"][number]["related"]): string {
  const missing = (related ?? []).filter((r) => r.causeRuleId && !message.includes(`${r.causeRuleId} at ${r.file}:${r.line}`));
  return missing.length ? `${message} (${missing.map((r) => `caused by ${r.causeRuleId} at ${r.file}:${r.line}`).join("; ")})` : message;
}
