/** The pipeline: discover, read, classify and parse, build one model per cluster, run the rules, filter, report. */
import path from "node:path";
import { defaultConfig, findConfigFile, loadConfig, type ResolvedConfig } from "../config/config.js";
import { UsageError } from "../config/errors.js";
import { compareClusterNames } from "../model/group.js";
import type { ClusterModel, Loc, ParseProblem, SourceFile } from "../model/types.js";
import { coverageOf, type CoverageGap } from "../model/observed/coverage.js";
import { showsState } from "../model/observed/shows.js";
import { RULES, RULE_IDS } from "../rules/index.js";
import type { Finding, RelatedLocation, Severity, SeverityOrOff } from "../types.js";
import type { ClusterFinding, Rule, RuleReport } from "./rule.js";
import { severityResolver } from "./severity.js";
import { annotationSuppressions, findSuppressions, matchSuppression, type Suppression } from "./suppressions.js";
import { Fingerprints, fingerprintKey } from "./fingerprint.js";
import { SeenFindings } from "./seen-findings.js";
import { FindingList, makeFinding } from "./finding-list.js";
import { sha256Hex } from "./sha256.js";
import { ownString } from "./own-string.js";
import { drive, prepareInput, type GroupResult, type Shard } from "./drive.js";
import { countChecked, totalChecked, type CheckedCounts } from "./checked.js";
import { discoveryNotices } from "./notices.js";

export const TOOL_VERSION = "0.1.0";

const RULES_IN_ORDER: readonly Rule[] = [...RULES.filter((r) => !r.meta.symptom), ...RULES.filter((r) => r.meta.symptom)];

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
  /** Called as each cluster is linted. */
  onClusterProgress?: (done: number, total: number) => void;
  /** Called once, before the first cluster is read, with the number of clusters the run will lint. */
  onClusters?: (total: number) => void;
  /** Called with the length of each file's text once read. */
  onRead?: (chars: number) => void;
  /** Lint only the clusters that fall to this part (`--shard K/N`). */
  shard?: Shard;
  /** Release each cluster's model once linted (the CLI, lint()): memory stays bounded by the largest cluster. By default LintRun.clusters keeps them all. */
  releaseModels?: boolean;
  /** `--ignore-pattern GLOB` (relative to cwd), beside the config's `ignore:`. */
  ignorePatterns?: string[];
  /** `--include-vendored`: also read vendor/, node_modules/ and testdata/. */
  includeVendored?: boolean;
  /** Files that are never inputs (the baseline given with --baseline/--write-baseline). */
  excludeFiles?: string[];
}

/** What a part of a sharded run records, so that `merge` can check and join the parts. */
export interface ShardInfo {
  /** 1-based part and the number of parts. */
  index: number;
  total: number;
  /** Digest of every cluster identity of the whole input (the same in every part of one run). */
  input: string;
  /** Identities of the clusters this part linted. */
  clusters: string[];
  /** Cluster models this part built (the whole run names clusters in findings when there is more than one). */
  models: number;

}

export interface JsonReport {
  version: 1;
  tool: { name: "kube-netlint"; version: string };
  summary: { files: number; errors: number; warnings: number; infos: number; suppressed: number; baselined?: number };
  results: (Finding & { cluster?: string })[];
  /** Snapshots only: the checks that could not run for want of an input, and how to get it. */
  coverage?: CoverageGap[];
  /** Parts of a sharded run (`--shard`) only: what `merge` needs to check the parts and to format the whole. */
  shard?: ShardInfo;
  /** Sharded runs: every file that held a networking artifact (JUnit lists them). */
  files?: string[];
  /** Sharded runs: the rules' metadata (SARIF lists them). */
  rules?: { id: string; severity: Severity; advisory: boolean; summary: string; docsUrl: string }[];
  /** Networking artifacts the rules had to check, per kind (all zero: nothing was checked). */
  checked?: CheckedCounts;
}

export interface LintRun {
  report: JsonReport;
  /** Every cluster's model; empty with options.releaseModels. */
  clusters: ClusterModel[];
  /** Every file that held a networking artifact (display paths), findings or not. */
  files: string[];
  /** How many cluster models were linted. */
  clusterCount: number;
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

function prepare(paths: readonly string[], options: LintOptions) {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const config = resolveConfig(cwd, options.config);
  if (options.facts) config.facts = { ...config.facts, ...options.facts };
  return prepareInput(paths, cwd, config, options);
}

/** Build every cluster model for paths, all kept in memory (inspect). Lint drives one cluster at a time instead. */
export function buildModel(paths: readonly string[], options: LintOptions = {}) {
  const prep = prepare(paths, options);
  const groups: GroupResult[] = [];
  const problems: ParseProblem[] = [];
  const result = drive(prep, options, (g) => {
    groups.push(g);
    problems.push(...g.problems);
  });
  groups.sort((a, b) => compareClusterNames(a.name, b.name));
  const clusters = groups.flatMap((g) => g.clusters);
  const { cwd, config, found, useStdin } = prep;
  return { cwd, config, clusters, problems, found, useStdin, filesRead: result.filesRead, notices: result.notices };
}

export function runLint(paths: readonly string[], options: LintOptions = {}): LintRun {
  const prep = prepare(paths, options);
  const { cwd, config, found, useStdin } = prep;
  const severity = severityResolver(config, options.rules ?? {});
  const list = new FindingList();
  const fingerprints = new Fingerprints();
  const seen = new SeenFindings();
  const suppressionsByFile = new Map<SourceFile, Suppression[]>();
  const inline = options.inlineConfig !== false;
  // A file's suppressions are read while its group is linted: its objects are in that group's models.
  let groupClusters: readonly ClusterModel[] = [];
  const objectsOf = (file: SourceFile) => groupClusters.flatMap((c) => (c.files.includes(file) ? c.objects.filter((o) => o.file === file) : []));
  const suppressionsOf = (file: SourceFile) => {
    let s = suppressionsByFile.get(file);
    if (!s) suppressionsByFile.set(file, (s = inline ? [...findSuppressions(file), ...(file.text.includes("kube-netlint.io/ignore") ? annotationSuppressions(file, objectsOf(file)) : [])] : []));
    return s;
  };
  let suppressed = 0;

  /** Emit a finding; once its position is known, the report's Loc resolved: a plain one that retains no lazy lookup. */
  const emit = (rule: Rule, report: RuleReport, cluster: ClusterModel | null): Loc | undefined => {
    const sev = severity.resolve(rule.meta, report.severity, report.loc.file.absPath, report.advisory);
    if (sev === "off") return undefined;
    const range = locToRange(report.loc);
    const resolved: Loc = { file: report.loc.file, start: report.loc.start, end: report.loc.end };
    // The finding's own copy serves the repeat check too: the rule's message (pieces of a template) is not kept.
    const message = ownString(report.message);
    if (!seen.add(rule.meta.id, range.file, range.line, range.column, message)) return resolved;
    if (matchSuppression(suppressionsOf(report.loc.file), rule.meta.id, range.line)) {
      suppressed++;
      return resolved;
    }
    const related = report.related?.length
      ? report.related.map((r): RelatedLocation => {
          const rr = locToRange(r.loc);
          const rel: RelatedLocation = { file: rr.file, line: rr.line, column: rr.column, endLine: rr.endLine, endColumn: rr.endColumn, message: ownString(r.message) };
          if (r.causeRuleId) rel.causeRuleId = r.causeRuleId;
          return rel;
        })
      : undefined;
    const finding = makeFinding(rule.meta.id, sev as Severity, message, range, report.fix ?? null, report.field ? ownString(report.field) : undefined, related);
    list.push(finding, cluster ? cluster.name : undefined, fingerprints.first(fingerprintKey(rule.meta.id, resolved)));
    return resolved;
  };

  /** Lint one cluster: every enabled rule over its model. Symptom rules run last and see what the others found in this cluster: the causes they name. */
  const observedNotices: string[] = [];
  const coverage: CoverageGap[] = [];
  let anySnapshot = false;
  const lintCluster = (cluster: ClusterModel, problems: readonly ParseProblem[]) => {
    const inCluster = new Set(cluster.files);
    for (const p of problems) if (inCluster.has(p.loc.file)) cluster.parseProblems.push(p);
    const found: ClusterFinding[] = [];
    // Only symptom rules read found, and only about the state the input shows.
    const forSymptoms = showsState(cluster.observed);
    for (const rule of RULES_IN_ORDER) {
      if (!severity.enabled(rule.meta) || rule.meta.id === "meta/unused-suppression") continue;
      // A report's lazy Loc (its closures and path) is not kept for the symptom rules once resolved.
      const report = (r: RuleReport) => {
        const loc = emit(rule, r, cluster);
        if (forSymptoms) found.push({ ruleId: rule.meta.id, loc: loc ?? r.loc, message: r.message });
      };
      rule.check({ cluster, findings: found, report });
    }
    observedNotices.push(...cluster.observed.notices);
    if (cluster.isSnapshot) {
      anySnapshot = true;
      coverage.push(...coverageOf(cluster));
    }
  };

  // Suppressions that suppressed nothing (a file belongs to one group: its suppressions are settled once the group is linted).
  const unusedRule = RULES.find((r) => r.meta.id === "meta/unused-suppression")!;
  const reportUnused = (clusters: readonly ClusterModel[]) => {
    if (!(inline && severity.enabled(unusedRule.meta))) return;
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
  };

  // One cluster group at a time: built, linted, released.
  const kept: { name: string; clusters: ClusterModel[] }[] = [];
  const artifactFiles = new Set<string>();
  let clusterCount = 0;
  let objectCount = 0;
  const checked = countChecked([]);
  const templates: NonNullable<GroupResult["raw"]["templates"]> = [];
  const result = drive(prep, options, (g) => {
    groupClusters = g.clusters;
    const counts = countChecked(g.clusters);
    for (const k of Object.keys(checked) as (keyof CheckedCounts)[]) checked[k] += counts[k];
    if (g.raw.templates) templates.push(...g.raw.templates);
    for (const cluster of g.clusters) {
      clusterCount++;
      objectCount += cluster.objects.length;
      lintCluster(cluster, g.problems);
      for (const f of cluster.files) if (f.text !== "" || f.format !== "text") artifactFiles.add(f.path);
    }
    reportUnused(g.clusters);
    suppressionsByFile.clear();
    seen.clear();
    if (!options.releaseModels) kept.push({ name: g.name, clusters: g.clusters });
  });
  kept.sort((a, b) => compareClusterNames(a.name, b.name));
  const clusters = kept.flatMap((k) => k.clusters);
  groupClusters = [];
  const notices = [...result.notices, ...discoveryNotices(found, { templates }), ...observedNotices];
  // Findings name their cluster when the run has more than one (or is a part of a sharded run).
  const nameClusters = !(clusterCount <= 1 && !options.shard);

  // --context: the model saw everything, the report covers only the paths given.
  let keep: ((f: Finding) => boolean) | undefined;
  if (options.context) {
    const wanted = new Set(found.files.filter((f) => f.explicit || paths.some((p) => isInside(cwd, p, f.absPath))).map((f) => f.path));
    const dirs = paths.filter((p) => p !== "-").map((p) => path.resolve(cwd, p));
    const changed = (file: string) => wanted.has(file) || dirs.some((d) => isInside(cwd, d, path.resolve(cwd, file))) || (useStdin && file === (options.stdinFilename ?? "<stdin>"));
    keep = (f) => changed(f.file) || involvesChanged(f, changed);
  }
  const reported = list.finish(compareFindings, fingerprints, nameClusters, keep);
  const summary = { files: result.filesRead, errors: 0, warnings: 0, infos: 0, suppressed };
  for (const f of reported) {
    if (f.severity === "error") summary.errors++;
    else if (f.severity === "warning") summary.warnings++;
    else summary.infos++;
  }
  if (totalChecked(checked) === 0 && (!options.shard || result.linted.length > 0)) notices.push(nothingCheckedNotice(paths, result.filesRead, objectCount));
  const report: JsonReport = { version: 1, tool: { name: "kube-netlint", version: TOOL_VERSION }, summary, results: reported, checked };
  if (anySnapshot) report.coverage = coverage.sort((a, b) => compareClusterNames(a.cluster, b.cluster));
  if (options.shard) {
    report.shard = { index: options.shard.index, total: options.shard.total, input: sha256Hex(result.allGroups.join("\n")).slice(0, 32), clusters: result.linted, models: clusterCount };
    if (result.linted.length === 0) notices.push(`part ${options.shard.index} of ${options.shard.total}: no cluster of the ${result.allGroups.length} in the input falls to this part: nothing was checked here`);
  }
  return { report, clusters, files: [...artifactFiles], clusterCount, config, notices, filesRead: result.filesRead };
}

function nothingCheckedNotice(paths: readonly string[], filesRead: number, objects: number): string {
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
