/** Commands and options (CLI.md). Every user mistake becomes one line on stderr and exit code 2. */
import { existsSync, readFileSync } from "node:fs";
import { writeViaRename } from "../write-file.js";
import { applyBaseline, makeBaseline, readBaseline } from "../engine/baseline.js";
import { applyFixes, unifiedDiff } from "../engine/fix.js";
import type { RuleInfo } from "../formatters/index.js";
import path from "node:path";
import { parseArgs } from "node:util";
import { UsageError } from "../config/errors.js";
import { ruleDocPath, ruleDocsUrl } from "../engine/docs.js";
import { runInspect } from "../engine/inspect.js";
import { printConfig } from "../engine/print-config.js";
import { tuneHeap } from "./heap.js";
import { runLint, TOOL_VERSION, type JsonReport, type LintOptions } from "../engine/lint.js";
import type { Shard } from "../engine/drive.js";
import { FORMAT_NAMES, loadFormatter, piecesOf, type FormatName, type FormatOutput } from "../formatters/index.js";
import { coverageLine } from "../model/observed/coverage.js";
import { RULES, findRule } from "../rules/index.js";
import { closest } from "../rules/lib/closest.js";
import type { SeverityOrOff } from "../types.js";

export interface Io {
  stdout(s: string): void;
  stderr(s: string): void;
  readStdin(): Promise<string>;
  isTTY: boolean;
  /** Whether stderr is a terminal (for the progress display). */
  stderrIsTTY?: boolean;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

const HELP = `kube-netlint ${TOOL_VERSION}: lint Kubernetes networking configuration offline

Usage:
  kube-netlint [lint] [PATH...]        lint files, directories, globs; '-' reads stdin (default: .)
  kube-netlint inspect [PATH...]       print the cluster model the rules see (JSON)
  kube-netlint rules [--format json|markdown]
  kube-netlint explain RULE-ID         print a rule's documentation
  kube-netlint init                    write a commented starter .kube-netlint.yaml
  kube-netlint collect -o DIR          dump a live cluster's networking artifacts with kubectl into DIR
                                       (kube-netlint collect --help; then kube-netlint DIR lints it offline)
  kube-netlint merge REPORT.json...    join the JSON reports of --shard parts into one report (any --format)

Options:
  -f, --format NAME        pretty (default on a TTY), compact (default otherwise), json, sarif, junit, github
  -o, --output-file FILE   write the report to FILE (atomically) instead of stdout
  -c, --config FILE        config file (default: nearest .kube-netlint.yaml upward)
      --no-config          use no config file
      --rule ID=SEVERITY   off|info|warning|error (repeatable)
      --context DIR        build the model from DIR, report only on PATH...
      --stdin-filename N   the name stdin's content is reported under
      --max-warnings N     exit 1 when more than N warnings
      --quiet              report errors only
      --no-inline-config   ignore inline suppression comments
      --ignore-pattern G   never read files matching glob G (repeatable; beside the config's ignore:)
      --include-vendored   also read vendor/, node_modules/ and testdata/ directories
      --print-config FILE  print the effective rules and facts for FILE (JSON), lint nothing
      --color, --no-color  force colour on or off
      --baseline FILE      report only findings not recorded in FILE
      --write-baseline F   record the current findings in F (and exit 0)
      --fix                apply the safe automatic fixes
      --fix-dry-run        show the fixes as a diff, change nothing
      --no-progress        no progress display
      --shard K/N          lint only the clusters that fall to part K of N (1-based); auto/N takes K
                           from JOB_COMPLETION_INDEX (a Kubernetes Indexed Job). docs/fleet.md
  -h, --help               this help
  -v, --version            the version

Exit codes: 0 no error-severity finding; 1 errors (or too many warnings); 2 usage error or unreadable input.
`;

/** The option table (parseArgs'): examples/fleet/ is checked against it. */
export const OPTIONS = {
  format: { type: "string", short: "f" },
  "output-file": { type: "string", short: "o" },
  config: { type: "string", short: "c" },
  "no-config": { type: "boolean" },
  rule: { type: "string", multiple: true },
  context: { type: "string" },
  "stdin-filename": { type: "string" },
  "max-warnings": { type: "string" },
  quiet: { type: "boolean" },
  "no-inline-config": { type: "boolean" },
  "ignore-pattern": { type: "string", multiple: true },
  "include-vendored": { type: "boolean" },
  "print-config": { type: "string" },
  color: { type: "boolean" },
  "no-color": { type: "boolean" },
  "no-progress": { type: "boolean" },
  baseline: { type: "string" },
  "write-baseline": { type: "string" },
  fix: { type: "boolean" },
  "fix-dry-run": { type: "boolean" },
  shard: { type: "string" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "v" },
} as const;

export const COMMANDS = new Set(["lint", "inspect", "rules", "explain", "init", "merge"]);

export async function run(argv: string[], io: Io): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (e) {
    if (e instanceof UsageError) {
      for (const line of e.message.split("\n")) io.stderr(`kube-netlint: ${line}\n`);
      return 2;
    }
    const err = e as Error;
    io.stderr(`kube-netlint: internal error: ${err.message}. Please report it with the input that caused it.\n`);
    if (io.env.KUBE_NETLINT_DEBUG) io.stderr(`${err.stack}\n`);
    return 2;
  }
}

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    const msg = (e as Error).message.replace(/\. To specify a positional argument.*$/s, "").replace(/^Unknown option '(.*)'$/, "unknown option $1");
    throw new UsageError(`${msg} (kube-netlint --help lists the options)`);
  }
}

async function dispatch(argv: string[], io: Io): Promise<number> {
  // collect has options of its own (-o DIR, --context NAME): it parses its own arguments, and loads only when used.
  if (argv[0] === "collect") return (await import("./collect.js")).collectCommand(argv.slice(1), io);
  const { values, positionals } = parse(argv);
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  if (values.version) {
    io.stdout(`${TOOL_VERSION}\n`);
    return 0;
  }
  const [first, ...rest] = positionals;
  const command = first !== undefined && COMMANDS.has(first) && !existsSync(path.resolve(io.cwd, first)) ? first : "lint";
  const paths = command === "lint" && first !== "lint" ? positionals : rest;
  switch (command) {
    case "rules":
      return rulesCommand(values.format, io);
    case "explain":
      return explainCommand(paths, io);
    case "init":
      return initCommand(io);
    case "inspect":
      return inspectCommand(paths, values, io);
    case "merge":
      return (await import("./merge.js")).mergeCommand(paths, values, io);
    default:
      if (values["print-config"] !== undefined) return printConfigCommand(values["print-config"], values, io);
      return lintCommand(paths, values, io);
  }
}

export type Values = ReturnType<typeof parse>["values"];

function parseRuleFlags(list: string[] | undefined): Record<string, SeverityOrOff> {
  const out: Record<string, SeverityOrOff> = {};
  for (const item of list ?? []) {
    const m = /^([^=]+)=(off|info|warning|warn|error)$/.exec(item);
    if (!m) throw new UsageError(`--rule ${item}: expected ID=off|info|warning|error`);
    if (!findRule(m[1]!)) throw new UsageError(`--rule ${item}: unknown rule id ${m[1]} (kube-netlint rules lists them)`);
    out[m[1]!] = (m[2] === "warn" ? "warning" : m[2]) as SeverityOrOff;
  }
  return out;
}

async function lintOptions(paths: string[], values: Values, io: Io): Promise<LintOptions> {
  const options: LintOptions = { cwd: io.cwd, rules: parseRuleFlags(values.rule), inlineConfig: !values["no-inline-config"] };
  if (values["no-config"]) options.config = null;
  else if (values.config !== undefined) {
    if (!existsSync(path.resolve(io.cwd, values.config))) throw new UsageError(`--config ${values.config}: no such file`);
    options.config = values.config;
  }
  if (values.context !== undefined) {
    if (!existsSync(path.resolve(io.cwd, values.context))) throw new UsageError(`--context ${values.context}: no such directory`);
    options.context = values.context;
  }
  if (values["stdin-filename"] !== undefined) options.stdinFilename = values["stdin-filename"];
  if (values["ignore-pattern"]?.length) options.ignorePatterns = values["ignore-pattern"];
  if (values["include-vendored"]) options.includeVendored = true;
  // The baseline is never an input, whatever its name.
  const baselines = [values.baseline, values["write-baseline"]].filter((b): b is string => !!b);
  if (baselines.length) options.excludeFiles = baselines;
  if (paths.includes("-")) options.stdin = await io.readStdin();
  return options;
}

export function pickFormat(values: Values, io: Io): FormatName {
  const f = values.format ?? (io.isTTY && !values["output-file"] ? "pretty" : "compact");
  if (!(FORMAT_NAMES as readonly string[]).includes(f)) throw new UsageError(`--format ${f}: expected one of ${FORMAT_NAMES.join(", ")}`);
  return f as FormatName;
}

/** Write a file atomically: a temporary file beside it, then a rename. */
export function writeAtomically(file: string, content: FormatOutput): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    writeViaRename(file, tmp, content);
  } catch (e) {
    throw new UsageError(`${file}: cannot write: ${(e as Error).message}`);
  }
}

export function useColor(values: Values, io: Io): boolean {
  if (values["no-color"]) return false;
  if (values.color) return true;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== "") return false;
  if (io.env.FORCE_COLOR !== undefined) return io.env.FORCE_COLOR !== "0";
  return io.isTTY;
}

/** Progress on stderr: only on a terminal, never under CI, and only for long runs (thousands of files, or a fleet of clusters). */
function progress(values: Values, io: Io & { stderrIsTTY?: boolean }): Pick<LintOptions, "onProgress" | "onClusterProgress"> | undefined {
  if (values["no-progress"] || !io.stderrIsTTY || io.env.CI === "true" || io.env.CI === "1") return undefined;
  let last = 0;
  let shown = false;
  const files = [0, 0];
  const clusters = [0, 0];
  const draw = (final: boolean) => {
    if (files[1]! < 2000 && clusters[1]! < 20) return;
    const now = Date.now();
    if (!final && now - last < 100) return;
    last = now;
    if (final) {
      if (shown) io.stderr("\r\x1b[K");
      shown = false;
      return;
    }
    shown = true;
    io.stderr(`\rkube-netlint: ${clusters[1]! > 1 ? `${clusters[0]}/${clusters[1]} clusters linted, ` : ""}reading ${files[0]}/${files[1]} files`);
  };
  return {
    onProgress: (done, total) => {
      files[0] = done;
      files[1] = total;
      draw(done >= total && clusters[0]! >= clusters[1]!);
    },
    onClusterProgress: (done, total) => {
      clusters[0] = done;
      clusters[1] = total;
      draw(done >= total);
    },
  };
}

export function ruleInfos(withDocs: boolean): RuleInfo[] {
  return RULES.map((r) => {
    const info: RuleInfo = { id: r.meta.id, severity: r.meta.severity, advisory: Boolean(r.meta.advisory), summary: r.meta.summary, docsUrl: ruleDocsUrl(r.meta.id) };
    if (withDocs) {
      try {
        info.docs = readFileSync(ruleDocPath(r.meta.id), "utf8");
      } catch {
        /* a page missing from this installation: the summary stands in */
      }
    }
    return info;
  });
}

export function parseMaxWarnings(values: Values): number {
  if (values["max-warnings"] === undefined) return -1;
  if (!/^\d+$/.test(values["max-warnings"])) throw new UsageError(`--max-warnings ${values["max-warnings"]}: expected a whole number`);
  return Number(values["max-warnings"]);
}

async function lintCommand(paths: string[], values: Values, io: Io): Promise<number> {
  const format = pickFormat(values, io);
  const maxWarnings = parseMaxWarnings(values);
  const options = await lintOptions(paths, values, io);
  if (values.shard !== undefined) options.shard = parseShard(values.shard, io.env);
  Object.assign(options, progress(values, io));
  // A fleet (known before the first cluster is read) or a very large file gets a lower heap growth (cli/heap.ts).
  options.onClusters = (clusters) => void tuneHeap({ clusters }, io.env);
  options.onRead = (fileChars) => void tuneHeap({ fileChars }, io.env);
  if ((values.fix || values["fix-dry-run"]) && paths.includes("-")) throw new UsageError("--fix and --fix-dry-run need files: stdin cannot be rewritten");
  if (values.fix || values["fix-dry-run"]) await fixFiles(paths, options, Boolean(values["fix-dry-run"]), io);
  const run = runLint(paths, { ...options, releaseModels: true });
  for (const n of run.notices) io.stderr(`kube-netlint: ${n}\n`);
  const report = run.report;
  if (report.shard) {
    report.files = run.files;
    report.rules = ruleInfos(false).map(({ id, severity, advisory, summary, docsUrl }) => ({ id, severity, advisory, summary, docsUrl }));
  }
  if (values["write-baseline"]) {
    // Recording is the job: the findings go into the file, not on stdout, and the run succeeds.
    writeAtomically(path.resolve(io.cwd, values["write-baseline"]), JSON.stringify(makeBaseline(report.results), null, 2) + "\n");
    const n = report.results.length;
    io.stderr(`kube-netlint: wrote ${values["write-baseline"]}: ${n} finding${n === 1 ? "" : "s"} recorded (${report.summary.errors} error${report.summary.errors === 1 ? "" : "s"}, ${report.summary.warnings} warning${report.summary.warnings === 1 ? "" : "s"}, ${report.summary.infos} info); --baseline ${values["write-baseline"]} reports only new ones\n`);
    return 0;
  }
  if (values.baseline) {
    const { kept, baselined, stale } = applyBaseline(report.results, readBaseline(path.resolve(io.cwd, values.baseline)));
    report.results = kept;
    report.summary.baselined = baselined;
    report.summary.errors = kept.filter((r) => r.severity === "error").length;
    report.summary.warnings = kept.filter((r) => r.severity === "warning").length;
    report.summary.infos = kept.filter((r) => r.severity === "info").length;
    if (stale.length) {
      io.stderr(`kube-netlint: ${stale.length} baseline entr${stale.length === 1 ? "y no longer matches" : "ies no longer match"} (fixed or changed): run --write-baseline ${values.baseline} to shrink it\n`);
      for (const e of stale) io.stderr(`kube-netlint:   ${e.file}:${e.line} ${e.ruleId} ${e.message.slice(0, 120)}\n`);
    }
  }
  const warnings = report.summary.warnings;
  if (values.quiet) {
    report.results = report.results.filter((r) => r.severity === "error");
    report.summary.warnings = 0;
    report.summary.infos = 0;
  }
  return writeReport(report, run.files, ruleInfos(format === "sarif"), format, values, io, warnings, maxWarnings);
}

/** Format the report, write it, and the exit code: 1 for an error-severity finding or more warnings than --max-warnings. */
export async function writeReport(report: JsonReport, files: string[], rules: RuleInfo[], format: FormatName, values: Values, io: Io, warnings: number, maxWarnings: number): Promise<number> {
  // JSON and SARIF carry the coverage in the document; the text formats say it on stderr.
  if (format !== "json" && format !== "sarif") for (const g of report.coverage ?? []) io.stderr(`kube-netlint: not checked: ${coverageLine(g)}\n`);
  const formatter = await loadFormatter(format);
  const out = await formatter(report, { cwd: io.cwd, color: useColor(values, io), files, rules });
  if (values["output-file"]) writeAtomically(path.resolve(io.cwd, values["output-file"]), out);
  else for (const piece of piecesOf(out)) io.stdout(piece);
  if (report.summary.errors > 0) return 1;
  if (maxWarnings >= 0 && warnings > maxWarnings) {
    io.stderr(`kube-netlint: ${warnings} warnings, more than --max-warnings ${maxWarnings}\n`);
    return 1;
  }
  return 0;
}

/** `--shard K/N` (1-based) or `auto/N` (K from Kubernetes' 0-based JOB_COMPLETION_INDEX). */
export function parseShard(value: string, env: NodeJS.ProcessEnv): Shard {
  const auto = /^auto\/(\d+)$/.exec(value);
  const m = auto ?? /^(\d+)\/(\d+)$/.exec(value);
  if (!m) throw new UsageError(`--shard ${value}: expected K/N, part K of N parts counted from 1 (e.g. 2/4), or auto/N`);
  const total = Number(m[auto ? 1 : 2]);
  if (!Number.isSafeInteger(total) || total < 1) throw new UsageError(`--shard ${value}: the number of parts must be 1 or more`);
  if (auto) {
    const idx = env.JOB_COMPLETION_INDEX;
    if (idx === undefined || idx === "") throw new UsageError(`--shard ${value}: JOB_COMPLETION_INDEX is not set (Kubernetes sets it in the pods of an Indexed Job); give the part as K/N instead`);
    if (!/^\d+$/.test(idx) || Number(idx) >= total) throw new UsageError(`--shard ${value}: JOB_COMPLETION_INDEX=${idx} is not a part of ${total} (expected 0 to ${total - 1}: completions must equal N)`);
    return { index: Number(idx) + 1, total };
  }
  const index = Number(m[1]);
  if (!Number.isSafeInteger(index) || index < 1 || index > total) throw new UsageError(`--shard ${value}: part ${m[1]} does not exist: parts are counted from 1 to ${total}`);
  return { index, total };
}

/** --fix: apply, lint again, until no fix applies (at most 10 passes). --fix-dry-run: print the first pass as a diff. */
async function fixFiles(paths: string[], options: LintOptions, dryRun: boolean, io: Io): Promise<void> {
  const changed = new Map<string, { abs: string; before: string; after: string }>();
  for (let pass = 0; pass < 10; pass++) {
    const run = runLint(paths, options);
    const texts = new Map<string, string>();
    const abs = new Map<string, string>();
    for (const c of run.clusters) {
      for (const f of c.files) {
        if (!f.absPath) continue;
        texts.set(f.path, changed.get(f.path)?.after ?? f.text);
        abs.set(f.path, f.absPath);
      }
    }
    const fixes = applyFixes(run.report.results, texts);
    if (fixes.length === 0) break;
    for (const fx of fixes) {
      const prev = changed.get(fx.file);
      changed.set(fx.file, { abs: abs.get(fx.file)!, before: prev?.before ?? fx.before, after: fx.after });
      if (!dryRun) writeAtomically(abs.get(fx.file)!, fx.after);
    }
    if (dryRun) break;
  }
  for (const [file, c] of [...changed.entries()].sort()) {
    if (dryRun) io.stdout(unifiedDiff(file, c.before, c.after));
    else io.stderr(`kube-netlint: fixed ${file}\n`);
  }
}

async function printConfigCommand(file: string, values: Values, io: Io): Promise<number> {
  const options = await lintOptions([], values, io);
  const out = JSON.stringify(printConfig(file, options), null, 2) + "\n";
  if (values["output-file"]) writeAtomically(path.resolve(io.cwd, values["output-file"]), out);
  else io.stdout(out);
  return 0;
}

async function inspectCommand(paths: string[], values: Values, io: Io): Promise<number> {
  if (values.format && values.format !== "json") throw new UsageError(`inspect --format ${values.format}: inspect prints JSON only`);
  const result = runInspect(paths, await lintOptions(paths, values, io));
  const out = JSON.stringify(result, null, 2) + "\n";
  if (values["output-file"]) writeAtomically(path.resolve(io.cwd, values["output-file"]), out);
  else io.stdout(out);
  return 0;
}

function rulesCommand(format: string | undefined, io: Io): number {
  const list = RULES.map((r) => ({
    id: r.meta.id,
    severity: r.meta.advisory ? "advisory" : r.meta.severity,
    summary: r.meta.summary,
    fixable: Boolean(r.meta.fixable),
    docs: ruleDocsUrl(r.meta.id),
  }));
  if (format === "json") io.stdout(JSON.stringify(list, null, 2) + "\n");
  else if (format === "markdown") io.stdout(rulesMarkdown() + "\n");
  else if (format === undefined) {
    const width = Math.max(...list.map((r) => r.id.length));
    for (const r of list) io.stdout(`${r.id.padEnd(width)}  ${r.severity.padEnd(8)}  ${r.summary}\n`);
  } else throw new UsageError(`rules --format ${format}: expected json or markdown`);
  return 0;
}

/** The README's rules table, generated from the rules' metadata. */
export function rulesMarkdown(): string {
  const rows = RULES.map((r) => `| [\`${r.meta.id}\`](docs/rules/${r.meta.id}.md) | ${r.meta.advisory ? "advisory" : r.meta.severity} | ${r.meta.fixable ? "yes" : ""} | ${r.meta.summary} |`);
  return ["| rule | severity | fix | what it reports |", "|---|---|---|---|", ...rows].join("\n");
}

function explainCommand(args: string[], io: Io): number {
  const id = args[0];
  if (!id) throw new UsageError("explain needs a rule id, e.g. kube-netlint explain coredns/forward-loop");
  if (!findRule(id)) {
    // The full id closest to it, else the rule whose name (without the area) is it or is closest to it.
    const short = id.split("/").pop()!;
    const names = RULES.map((r) => r.meta.id.split("/")[1]!);
    const guess = closest(id, RULES.map((r) => r.meta.id)) ?? (names.includes(short) ? short : closest(short, names));
    const full = guess && !guess.includes("/") ? RULES.find((r) => r.meta.id.endsWith(`/${guess}`))!.meta.id : guess;
    throw new UsageError(`explain ${id}: unknown rule id${full ? ` (did you mean ${full}?)` : ""} (kube-netlint rules lists them)`);
  }
  let text: string;
  try {
    text = readFileSync(ruleDocPath(id), "utf8");
  } catch {
    throw new UsageError(`explain ${id}: the documentation page is missing from this installation`);
  }
  io.stdout(text.endsWith("\n") ? text : text + "\n");
  return 0;
}

const STARTER = `# kube-netlint configuration: https://github.com/kube-netlint/kube-netlint#configuration
# YAML data only, validated against schemas/config.schema.json.

# recommended: the default preset. strict: also turns on the advisory rules (as info).
extends: recommended

# Severity per rule: off, info, warning or error.
rules: {}
#  coredns/pods-insecure-missing: off
#  cni/conf-shadowed: error

# Globs (relative to this file) that are never read. vendor/, node_modules/ and testdata/ are
# skipped by default (with a notice); includeVendored: true reads them.
ignore: []
#  - "legacy/**"
# includeVendored: true

# What the repository cannot tell; the cross-file rules use these.
facts: {}
#  clusterDomain: cluster.local
#  podCIDR: 10.244.0.0/16        # comma-separated for dual stack
#  serviceCIDR: 10.96.0.0/12
#  clusterDNS: 10.96.0.10
#  containerRuntime: containerd  # or cri-o: they load CNI conf dirs differently
#  cniMaxConfNum: 1              # containerd's max_conf_num

# One repository often holds several clusters: each is linted apart.
# clusters:
#   - name: prod
#     paths: ["clusters/prod/**"]
#     facts: {podCIDR: 10.100.0.0/16}

# k3s/RKE2 config files kept outside rancher/k3s|rke2/ and config.yaml.d/ (docs/sources.md).
# k3sConfigFiles: ["infra/k3s/*.yaml"]

# Severities by path (JSON files take no comments: suppress by path here).
# overrides:
#   - files: ["nodes/*/etc/cni/net.d/87-podman-bridge.conflist"]
#     rules: {cni/conf-shadowed: off}
`;

function initCommand(io: Io): number {
  const file = path.join(io.cwd, ".kube-netlint.yaml");
  if (existsSync(file)) throw new UsageError(`${file} already exists: not overwritten`);
  writeAtomically(file, STARTER);
  io.stdout(`wrote ${path.relative(io.cwd, file) || file}\n`);
  return 0;
}
