/** `--print-config FILE`: the effective configuration for one file (rules after preset, overrides and --rule; facts; whether it is read). */
import path from "node:path";
import { picomatch } from "../lazy-deps.js";
import { DEFAULT_SKIPPED_DIRS, isCandidateFile } from "../model/discover.js";
import { RULES } from "../rules/index.js";
import type { SeverityOrOff } from "../types.js";
import { resolveConfig, type LintOptions } from "./lint.js";
import { severityResolver } from "./severity.js";

export interface PrintedConfig {
  file: string;
  configFile: string | null;
  preset: "recommended" | "strict";
  /** Why the file is not read, when it is not. */
  ignored: string | null;
  cluster: string | null;
  facts: Record<string, unknown>;
  rules: Record<string, SeverityOrOff>;
}

export function printConfig(file: string, options: LintOptions = {}): PrintedConfig {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const config = resolveConfig(cwd, options.config);
  const abs = path.resolve(cwd, file);
  const severity = severityResolver(config, options.rules ?? {});
  const rules: Record<string, SeverityOrOff> = {};
  for (const r of RULES) {
    const base = r.meta.advisory ? (config.preset === "strict" ? "info" : "off") : r.meta.severity;
    rules[r.meta.id] = severity.configured(r.meta.id, abs) ?? base;
  }
  const rel = (base: string) => path.relative(base, abs).split(path.sep).join("/");
  const inside = (base: string) => !rel(base).startsWith("..");
  const ignores = [...config.ignore, ...(options.ignorePatterns ?? []).map((pattern) => ({ pattern, base: cwd }))];
  let ignored: string | null = null;
  const hit = ignores.find(({ pattern, base }) => inside(base) && picomatch(pattern, { dot: true })(rel(base)));
  if (hit) ignored = `ignored by ${JSON.stringify(hit.pattern)}`;
  else if (!(options.includeVendored ?? config.includeVendored) && rel(cwd).split("/").slice(0, -1).some((s) => DEFAULT_SKIPPED_DIRS.includes(s))) {
    ignored = "under vendor/, node_modules/ or testdata/: read only with --include-vendored (or when named on the command line)";
  } else if (!isCandidateFile(rel(cwd))) ignored = "not a file kube-netlint reads when walking a directory (read only when named on the command line)";
  const cluster = config.clusters.find((c) => inside(c.base) && picomatch(c.paths, { dot: true })(rel(c.base))) ?? null;
  const facts = { ...config.facts, ...(options.facts ?? {}), ...(cluster?.facts ?? {}) };
  return { file: path.relative(cwd, abs).split(path.sep).join("/") || ".", configFile: config.file, preset: config.preset, ignored, cluster: cluster?.name ?? null, facts, rules };
}
