/** GitHub Actions workflow commands: annotations on the pull request's files. */
import type { JsonReport } from "../engine/lint.js";

const COMMAND = { error: "error", warning: "warning", info: "notice" } as const;

// https://github.com/actions/toolkit (command.ts): data and property escaping.
const escapeData = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");

export function formatGithub(report: JsonReport): string {
  return report.results
    .map((f) => {
      const props = [`file=${escapeProperty(f.file)}`, `line=${f.line}`, `col=${f.column}`, `endLine=${f.endLine}`, `endColumn=${f.endColumn}`, `title=${escapeProperty(f.ruleId)}`];
      return `::${COMMAND[f.severity]} ${props.join(",")}::${escapeData(f.message)}\n`;
    })
    .join("");
}
