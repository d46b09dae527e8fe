/** `kube-netlint merge REPORT.json... [-f FORMAT] [-o FILE]`: the parts of a sharded run as one report (docs/fleet.md). */
import { readFileSync } from "node:fs";
import path from "node:path";
import { UsageError } from "../config/errors.js";
import { ruleDocPath } from "../engine/docs.js";
import { describeFsError } from "../model/load.js";
import { mergeReports } from "../engine/merge.js";
import type { RuleInfo } from "../formatters/index.js";
import { parseMaxWarnings, pickFormat, writeReport, type Io, type Values } from "./run.js";

export async function mergeCommand(files: string[], values: Values, io: Io): Promise<number> {
  const format = pickFormat(values, io);
  const maxWarnings = parseMaxWarnings(values);
  if (values.shard !== undefined) throw new UsageError("merge --shard: merge joins parts, it does not lint one");
  const parts = files.map((file) => {
    try {
      return { file, text: readFileSync(path.resolve(io.cwd, file), "utf8") };
    } catch (e) {
      throw new UsageError(`${file}: cannot read: ${describeFsError(e as NodeJS.ErrnoException)}`);
    }
  });
  const { report, files: artifactFiles, rules } = mergeReports(parts);
  const infos: RuleInfo[] = rules.map((r) => {
    const info: RuleInfo = { id: r.id, severity: r.severity, advisory: r.advisory, summary: r.summary, docsUrl: r.docsUrl };
    if (format === "sarif") {
      try {
        info.docs = readFileSync(ruleDocPath(r.id), "utf8");
      } catch {
        /* a page missing from this installation: the summary stands in */
      }
    }
    return info;
  });
  const warnings = report.summary.warnings;
  if (values.quiet) {
    report.results = report.results.filter((r) => r.severity === "error");
    report.summary.warnings = 0;
    report.summary.infos = 0;
  }
  return writeReport(report, artifactFiles, infos, format, values, io, warnings, maxWarnings);
}
