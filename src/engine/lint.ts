/** The pipeline: discover, read, classify and parse, build one model per cluster, run the rules, filter, report. */
import path from "node:path";
import { defaultConfig, findConfigFile, loadConfig, type ResolvedConfig } from "../config/config.js";
import { UsageError } from "../config/errors.js";
import { buildClusters } from "../model/cluster.js";
import { discover, displayPath, type DiscoveredFile } from "../model/discover.js";
import { loadInputs, type FileToLoad } from "../model/load.js";
import { makeReadPolicy } from "../model/read-policy.js";
import type { ClusterModel, Loc, SourceFile } from "../model/types.js";
import { RULES, RULE_IDS } from "../rules/index.js";
import type { Finding, RelatedLocation, Severity, SeverityOrOff } from "../types.js";
import type { Rule, RuleReport } from "./rule.js";
import { severityResolver } from "./severity.js";
import { annotationSuppressions, findSuppressions, matchSuppression, type Suppression } from "./suppressions.js";
import { Fingerprints, fingerprintKey } from "./fingerprint.js";
import { SeenFindings } from "./seen-findings.js";
import { countChecked, totalChecked, type CheckedCounts } from "./checked.js";
import { discoveryNotices } from "./notices.js";

export const TOOL_VERSION = "0.1.0";

export interface LintOptions {
  /** Working directory: paths, the config search and reported file names are relative to it. */
  cwd?: string;
  /** Config file path; null = no config file; undefined = search upward from cwd. */
  config?: string | null;
  /** `--rule ID=SEVERITY` overrides. */
  rules?: Record<string, SeverityOrOff>;
  /** Build the model from everything under this directory, report only on the paths. */
  context?: string;
  /** Content of stdin when a path is `-`. */
  stdin?: string;
  stdinFilename?: string;
  /** false = ignore inline suppression comments. */
  inlineConfig?: boolean;
  /** Extra facts that override the config file's. */
  facts?: Record<string, unknown>;
  /** Called as files are read. */
  onProgress?: (done: number, total: number) => void;
  /** `--ignore-pattern GLOB` (relative to cwd), beside the config's `ignore:`. */
  ignorePatterns?: string[];
  /** `--include-vendored`: also read vendor/, node_modules/ and testdata/. */
  includeVendored?: boolean;
  /** Files that are never inputs (the baseline given with --baseline/--write-baseline). */
  excludeFiles?: string[];
}

export interface JsonReport {
  version: 1;
  tool: { name: "kube-netlint"; version: string };
  summary: { files: number; errors: number; warnings: number; infos: number; suppressed: number; baselined?: number };
  results: (Finding & { cluster?: string })[];
  /** Networking artifacts the rules had to check, per kind (all zero: nothing was checked). */
  checked?: CheckedCounts;
}

export interface LintRun {
  report: JsonReport;
  clusters: ClusterModel[];
  config: ResolvedConfig;
  /** Lines for stderr: skipped files, inputs with no networking artifact. */
  notices: string[];
  filesRead: number;
}

export function resolveConfig(cwd: string, config: string | null | undefined): ResolvedConfig {
  if (config === null) return defaultConfig(cwd);
  const file = config === undefined ? findConfigFile(cwd) : path.resolve(cwd, config);
  if (!file) return defaultConfig(cwd);
  return loadConfig(file, RULE_IDS);
}

export function locToRange(loc: Loc): { file: string; line: number; column: number; endLine: number; endColumn: number } {
  const s = loc.file.lines.position(loc.start);
  const e = loc.file.lines.position(Math.max(loc.start, loc.end));
  return { file: loc.file.path, line: s.line, column: s.column, endLine: e.line, endColumn: Math.max(e.column, e.line === s.line ? s.column : 1) };
}

/** Build the cluster models for paths (shared by lint and inspect). */
export function buildModel(paths: readonly string[], options: LintOptions = {}) {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const config = resolveConfig(cwd, options.config);
  if (options.facts) config.facts = { ...config.facts, ...options.facts };
  const inputs = paths.length ? [...paths] : ["."];
  const useStdin = inputs.includes("-");
  const diskInputs = inputs.filter((p) => p !== "-");
  if (options.context) diskInputs.push(options.context);
  const ignore = [...config.ignore, ...(options.ignorePatterns ?? []).map((pattern) => ({ pattern, base: cwd }))];
  const exclude = [config.file, ...(options.excludeFiles ?? [])].filter((f): f is string => !!f).map((f) => path.resolve(cwd, f));
  const includeVendored = options.includeVendored ?? config.includeVendored ?? false;
  const found = discover(diskInputs, { cwd, ignore, extraConfDirs: config.cniConfDirs, includeVendored, exclude });
  if (found.unmatched.length) {
    const what = found.unmatched[0]!;
    throw new UsageError(`${what}: no such file or directory, and no file matches it as a glob`);
  }
  const files: FileToLoad[] = found.files.map((f: DiscoveredFile) => ({ path: f.path, absPath: f.absPath, explicit: f.explicit }));
  if (useStdin) {
    const name = options.stdinFilename ?? "<stdin>";
    files.push({ path: options.stdinFilename ? displayPath(cwd, path.resolve(cwd, name)) : name, absPath: null, explicit: true, text: options.stdin ?? "" });
  }
  const policy = makeReadPolicy(cwd, diskInputs, config.maxFileSize);
  const raw = loadInputs(files, { policy, ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
  if (raw.unreadable.length) {
    const u = raw.unreadable[0]!;
    throw new UsageError(`${u.path}: cannot read: ${u.message}`);
  }
  const { clusters, problems } = buildClusters(raw, {
    cwd,
    policy,
    clusters: config.clusters,
    facts: config.facts,
    confDirs: found.confDirs,
  });
  return { cwd, config, raw, clusters, problems, found, useStdin };
}

export function runLint(paths: readonly string[], options: LintOptions = {}): LintRun {
  const { cwd, config, raw, clusters, problems, found, useStdin } = buildModel(paths, options);
  const severity = severityResolver(config, options.rules ?? {});
  const notices = [...raw.notices, ...discoveryNotices(found, raw)];
  const findings: (Finding & { cluster?: string })[] = [];
  const fingerprints = new Fingerprints();
  const seen = new SeenFindings();
  const suppressionsByFile = new Map<SourceFile, Suppression[]>();
  const inline = options.inlineConfig !== false;
  const objectsOf = (file: SourceFile) => clusters.flatMap((c) => (c.files.includes(file) ? c.objects.filter((o) => o.file === file) : []));
  const suppressionsOf = (file: SourceFile) => {
    let s = suppressionsByFile.get(file);
    if (!s) suppressionsByFile.set(file, (s = inline ? [...findSuppressions(file), ...(file.text.includes("kube-netlint.io/ignore") ? annotationSuppressions(file, objectsOf(file)) : [])] : []));
    return s;
  };
  let suppressed = 0;
  const multiCluster = clusters.length > 1;

  const emit = (rule: Rule, report: RuleReport, cluster: ClusterModel | null) => {
    const sev = severity.resolve(rule.meta, report.severity, report.loc.file.absPath, report.advisory);
    if (sev === "off") return;
    const range = locToRange(report.loc);
    if (!seen.add(rule.meta.id, range.file, range.line, range.column, report.message)) return;
    if (matchSuppression(suppressionsOf(report.loc.file), rule.meta.id, range.line)) {
      suppressed++;
      return;
    }
    const finding: Finding & { cluster?: string } = { ruleId: rule.meta.id, severity: sev as Severity, message: report.message, ...range, fix: report.fix ?? null };
    if (report.field) finding.field = report.field;
    if (report.related?.length) {
      finding.related = report.related.map((r): RelatedLocation => {
        const rr = locToRange(r.loc);
        return { file: rr.file, line: rr.line, column: rr.column, endLine: rr.endLine, endColumn: rr.endColumn, message: r.message };
      });
    }
    if (cluster && multiCluster) finding.cluster = cluster.name;
    // Its print with ordinal 0 for now; the ordinals among identical keys are known once sorted.
    finding.fingerprint = fingerprints.first(fingerprintKey(rule.meta.id, report.loc));
    findings.push(finding);
  };

  for (const cluster of clusters) {
    for (const p of problems) if (cluster.files.includes(p.loc.file)) cluster.parseProblems.push(p);
    for (const rule of RULES) {
      if (!severity.enabled(rule.meta) || rule.meta.id === "meta/unused-suppression") continue;
      rule.check({ cluster, report: (r) => emit(rule, r, cluster) });
    }
  }

  // Suppressions that suppressed nothing.
  const unusedRule = RULES.find((r) => r.meta.id === "meta/unused-suppression")!;
  if (inline && severity.enabled(unusedRule.meta)) {
    const files = new Set<SourceFile>();
    for (const c of clusters) for (const f of c.files) files.add(f);
    for (const file of files) {
      for (const s of suppressionsOf(file)) {
        const unused = s.ruleIds.length === 0 ? (s.used.size ? [] : ["*"]) : s.ruleIds.filter((id) => !s.used.has(id));
        for (const id of unused) {
          const start = file.lines.lineStart(s.line) + s.column - 1;
          const what = id === "*" ? "any rule" : id;
          const unknown = id !== "*" && !RULE_IDS.has(id) ? ` (${id} is not a kube-netlint rule)` : "";
          emit(unusedRule, { loc: { file, start, end: file.lines.lineStart(s.line) + s.endColumn - 1 }, message: `${s.label ?? `kube-netlint-disable-${s.kind}`} for ${what} suppresses nothing here${unknown}: remove it` }, null);
        }
      }
    }
  }

  // --context: the model saw everything, the report covers only the paths given.
  let reported = findings;
  if (options.context) {
    const wanted = new Set(found.files.filter((f) => f.explicit || paths.some((p) => isInside(cwd, p, f.absPath))).map((f) => f.path));
    const dirs = paths.filter((p) => p !== "-").map((p) => path.resolve(cwd, p));
    const changed = (file: string) => wanted.has(file) || dirs.some((d) => isInside(cwd, d, path.resolve(cwd, file))) || (useStdin && file === (options.stdinFilename ?? "<stdin>"));
    reported = findings.filter((f) => changed(f.file) || involvesChanged(f, changed));
  }
  reported.sort(compareFindings);
  const prints = fingerprints.assign(reported.map((f) => f.fingerprint!));
  reported.forEach((f, i) => (f.fingerprint = prints[i]!));
  const summary = { files: raw.filesRead, errors: 0, warnings: 0, infos: 0, suppressed };
  for (const f of reported) {
    if (f.severity === "error") summary.errors++;
    else if (f.severity === "warning") summary.warnings++;
    else summary.infos++;
  }
  const checked = countChecked(clusters);
  if (totalChecked(checked) === 0) notices.push(nothingCheckedNotice(paths, raw.filesRead, clusters));
  return { report: { version: 1, tool: { name: "kube-netlint", version: TOOL_VERSION }, summary, results: reported, checked }, clusters, config, notices, filesRead: raw.filesRead };
}

function nothingCheckedNotice(paths: readonly string[], filesRead: number, clusters: readonly ClusterModel[]): string {
  const objects = clusters.reduce((n, c) => n + c.objects.length, 0);
  const read = `${filesRead} file${filesRead === 1 ? "" : "s"} read`;
  const other = objects ? `; the ${objects} object${objects === 1 ? "" : "s"} read (RBAC, Services, apps) hold${objects === 1 ? "s" : ""} no Corefile, CNI config, CoreDNS or CNI workload, kube-proxy, kubelet or kubeadm config` : "";
  return `no networking artifact found in ${paths.length ? paths.join(" ") : "."} (${read}${other}): nothing was checked`;
}

/**
 * A finding on an unchanged file whose related location is in a changed file (the Service whose
 * selector no longer matches the relabelled Deployment) is the change's finding too: kept, and says so.
 */
function involvesChanged(f: Finding, changed: (file: string) => boolean): boolean {
  const r = f.related?.find((x) => changed(x.file));
  if (!r) return false;
  f.message += ` (involves changed file ${r.file})`;
  return true;
}

function isInside(cwd: string, dir: string, abs: string | null): boolean {
  if (!abs) return false;
  const rel = path.relative(path.resolve(cwd, dir), abs);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

export function compareFindings(a: Finding, b: Finding): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
}
