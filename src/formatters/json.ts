import type { JsonReport } from "../engine/lint.js";

export function formatJson(report: JsonReport): string {
  return JSON.stringify(report, null, 2) + "\n";
}
