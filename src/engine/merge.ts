/**
 * `kube-netlint merge`: join the JSON reports of the parts of a sharded run (`--shard K/N`) into the
 * report the whole run would have written. Every doubt is an error (exit 2), never a wrong merge:
 * a file that is not a whole report, another version, a part given twice, parts of different runs
 * or of different N, parts that overlap, a part missing.
 */
import { compareClusterNames } from "../model/group.js";
import { UsageError } from "../config/errors.js";
import type { Finding } from "../types.js";
import { compareFindings, TOOL_VERSION, type JsonReport } from "./lint.js";

export interface ReportPart {
  /** The file it was read from, for messages. */
  file: string;
  text: string;
}

export interface MergedReport {
  report: JsonReport;
  /** Every file that held a networking artifact in any part. */
  files: string[];
  rules: NonNullable<JsonReport["rules"]>;
}

function parsePart(p: ReportPart): JsonReport & { shard: NonNullable<JsonReport["shard"]> } {
  let value: unknown;
  try {
    value = JSON.parse(p.text);
  } catch (e) {
    throw new UsageError(`${p.file}: not a complete JSON report (${(e as Error).message}): a truncated file, or a part that did not finish?`);
  }
  const r = value as Partial<JsonReport> | null;
  if (!r || typeof r !== "object" || r.version !== 1 || r.tool?.name !== "kube-netlint" || !Array.isArray(r.results) || !r.summary || typeof r.summary !== "object") {
    throw new UsageError(`${p.file}: not a kube-netlint JSON report (lint each part with --shard K/N -f json)`);
  }
  if (r.tool.version !== TOOL_VERSION) throw new UsageError(`${p.file}: written by kube-netlint ${String(r.tool.version)}, and this is ${TOOL_VERSION}: merge the parts with the version that linted them`);
  const s = r.shard;
  if (!s || typeof s !== "object" || !Number.isInteger(s.index) || !Number.isInteger(s.total) || typeof s.input !== "string" || !Array.isArray(s.clusters) || typeof s.models !== "number") {
    throw new UsageError(`${p.file}: not a part of a sharded run (it has no shard section: lint with --shard K/N -f json)`);
  }
  return r as JsonReport & { shard: NonNullable<JsonReport["shard"]> };
}

export function mergeReports(parts: readonly ReportPart[]): MergedReport {
  if (parts.length === 0) throw new UsageError("merge needs the JSON reports of the parts, e.g. kube-netlint merge part-*.json -f sarif -o report.sarif");
  const reports = parts.map((p) => ({ file: p.file, r: parsePart(p) }));
  const first = reports[0]!;
  const byIndex = new Map<number, string>();
  const owner = new Map<string, string>();
  for (const { file, r } of reports) {
    const s = r.shard;
    if (s.total !== first.r.shard.total) throw new UsageError(`${file} is part ${s.index} of ${s.total}, but ${first.file} is part ${first.r.shard.index} of ${first.r.shard.total}: parts of different splits`);
    if (s.input !== first.r.shard.input) throw new UsageError(`${file} and ${first.file} are parts of runs over different inputs (their clusters differ): lint every part over the same paths`);
    const twice = byIndex.get(s.index);
    if (twice !== undefined) throw new UsageError(`${twice} and ${file} are both part ${s.index} of ${s.total}: a part given twice`);
    byIndex.set(s.index, file);
    for (const c of s.clusters) {
      const other = owner.get(c);
      if (other !== undefined) throw new UsageError(`${other} and ${file} overlap: both linted cluster ${c}`);
      owner.set(c, file);
    }
  }
  const total = first.r.shard.total;
  const missing: number[] = [];
  for (let k = 1; k <= total; k++) if (!byIndex.has(k)) missing.push(k);
  if (missing.length) throw new UsageError(`part${missing.length === 1 ? "" : "s"} ${missing.join(", ")} of ${total} missing: merge needs every part`);

  reports.sort((a, b) => a.r.shard.index - b.r.shard.index);
  const results: (Finding & { cluster?: string })[] = reports.flatMap(({ r }) => r.results);
  // Stable: findings that tie (one file, one place, one rule) come from one part, in its order.
  results.sort(compareFindings);
  const models = reports.reduce((n, { r }) => n + r.shard.models, 0);
  if (models <= 1) for (const f of results) delete f.cluster;
  const summary: JsonReport["summary"] = { files: 0, errors: 0, warnings: 0, infos: 0, suppressed: 0 };
  let baselined: number | undefined;
  for (const { r } of reports) {
    summary.files += Number(r.summary.files) || 0;
    summary.suppressed += Number(r.summary.suppressed) || 0;
    if (r.summary.baselined !== undefined) baselined = (baselined ?? 0) + (Number(r.summary.baselined) || 0);
  }
  for (const f of results) {
    if (f.severity === "error") summary.errors++;
    else if (f.severity === "warning") summary.warnings++;
    else summary.infos++;
  }
  if (baselined !== undefined) summary.baselined = baselined;
  const files = [...new Set(reports.flatMap(({ r }) => r.files ?? []))];
  const rules = first.r.rules ?? [];
  const report: JsonReport = { version: 1, tool: { name: "kube-netlint", version: TOOL_VERSION }, summary, results };
  // Artifacts checked, per kind: the sum of the parts'.
  if (reports.some(({ r }) => r.checked)) {
    const checked: Record<string, number> = {};
    for (const { r } of reports) for (const [k, v] of Object.entries(r.checked ?? {})) checked[k] = (checked[k] ?? 0) + (Number(v) || 0);
    report.checked = checked as unknown as NonNullable<JsonReport["checked"]>;
  }
  // Snapshot coverage gaps: each part's, in cluster order as one run gives them.
  if (reports.some(({ r }) => r.coverage)) {
    report.coverage = reports.flatMap(({ r }) => r.coverage ?? []).sort((a, b) => compareClusterNames(a.cluster, b.cluster));
  }
  return { report, files, rules };
}
