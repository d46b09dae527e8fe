/** The config file: discovery upward from the working directory, YAML/JSON parsing, JSON Schema validation. */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { yamlLibrary } from "../lazy-deps.js";
import { validateConfig } from "../generated/validators.js";
import type { SeverityOrOff } from "../types.js";
import { UsageError } from "./errors.js";
import { checkFacts } from "./facts.js";

export const CONFIG_FILE_NAMES = [".kube-netlint.yaml", ".kube-netlint.yml", ".kube-netlint.json"];

export interface ClusterConfig {
  name: string;
  paths: string[];
  base: string;
  facts: Record<string, unknown>;
}

export interface ResolvedConfig {
  file: string | null;
  /** Directory that relative paths in the config are relative to. */
  dir: string;
  preset: "recommended" | "strict";
  rules: Record<string, SeverityOrOff>;
  ignore: { pattern: string; base: string }[];
  facts: Record<string, unknown>;
  clusters: ClusterConfig[];
  overrides: { files: string[]; base: string; rules: Record<string, SeverityOrOff> }[];
  cniConfDirs: string[];
  maxFileSize: number;
  /** Globs of k3s/RKE2 config files outside the standard paths, with the directory they are relative to. */
  k3sConfigFiles?: { patterns: string[]; base: string };
  /** Also read vendor/, node_modules/ and testdata/. */
  includeVendored?: boolean;
}

export const DEFAULT_MAX_FILE_SIZE = 20 * 1024 * 1024;

export function findConfigFile(cwd: string): string | null {
  let dir = path.resolve(cwd);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = path.join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

export function defaultConfig(cwd: string): ResolvedConfig {
  return { file: null, dir: cwd, preset: "recommended", rules: {}, ignore: [], facts: {}, clusters: [], overrides: [], cniConfDirs: [], maxFileSize: DEFAULT_MAX_FILE_SIZE };
}

const normalizeSeverity = (s: string): SeverityOrOff => (s === "warn" ? "warning" : (s as SeverityOrOff));

function normalizeRules(rules: Record<string, string> | undefined): Record<string, SeverityOrOff> {
  const out: Record<string, SeverityOrOff> = {};
  for (const [id, sev] of Object.entries(rules ?? {})) out[id] = normalizeSeverity(sev);
  return out;
}

function pointerToField(pointer: string): string {
  if (!pointer) return "(top level)";
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s, i) => (/^\d+$/.test(s) ? `[${s}]` : i === 0 ? s : `.${s}`))
    .join("");
}

export function loadConfig(file: string, knownRuleIds: ReadonlySet<string>): ResolvedConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new UsageError(`${file}: cannot read the config file: ${(e as Error).message}`);
  }
  let data: unknown;
  let lineOf = (_segments: string[]): number | null => null;
  if (file.endsWith(".json")) {
    try {
      data = JSON.parse(text);
    } catch (e) {
      throw new UsageError(`${file}: invalid JSON: ${(e as Error).message}`);
    }
  } else {
    const doc = yamlLibrary().parseDocument(text, { prettyErrors: false, uniqueKeys: true, logLevel: "error" });
    if (doc.errors.length) {
      const e = doc.errors[0]!;
      const line = text.slice(0, e.pos[0]).split("\n").length;
      throw new UsageError(`${file}:${line}: invalid YAML: ${e.message.split("\n")[0]}`);
    }
    // The config is data, never code: no custom tags, no aliases beyond a small count.
    data = doc.toJS({ maxAliasCount: 100 }) ?? {};
    lineOf = (segments) => {
      const node = doc.getIn(segments.map((s) => (/^\d+$/.test(s) ? Number(s) : s)), true) as { range?: [number, number, number] } | undefined;
      const at = node?.range?.[0];
      return at === undefined ? null : text.slice(0, at).split("\n").length;
    };
  }
  // Every mistake at once, each with the file, the field (and the line in YAML): one edit, one run.
  const errors: string[] = [];
  const report = (segments: string[], what: string) => {
    const line = lineOf(segments);
    errors.push(`${file}${line ? `:${line}` : ""}: ${pointerToField(segments.length ? "/" + segments.map((s) => s.replace(/~/g, "~0").replace(/\//g, "~1")).join("/") : "")}: ${what}`);
  };
  if (!validateConfig(data)) {
    const seen = new Set<string>();
    for (const err of validateConfig.errors ?? []) {
      // A value that fails `enum` under an anyOf/oneOf reports once; `if` wrappers add nothing.
      if (err.keyword === "if") continue;
      let what = err.message ?? "is invalid";
      if (err.keyword === "additionalProperties") what = `unknown field "${(err.params as { additionalProperty: string }).additionalProperty}"`;
      else if (err.keyword === "enum") what = `must be one of ${(err.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(", ")}`;
      else if (err.keyword === "propertyNames") what = `rule ids look like "area/name"`;
      else if (err.keyword === "type") what = `must be ${(err.params as { type: string }).type}`;
      const segments = err.instancePath ? err.instancePath.slice(1).split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~")) : [];
      if (err.keyword === "propertyNames" && (err.params as { propertyName?: string }).propertyName) segments.push((err.params as { propertyName: string }).propertyName);
      const key = `${segments.join("/")}\0${what}`;
      if (seen.has(key)) continue;
      seen.add(key);
      report(segments, what);
    }
  }
  const cfg = (data && typeof data === "object" ? data : {}) as {
    extends?: "recommended" | "strict"; rules?: Record<string, string>; ignore?: string[]; facts?: Record<string, unknown>;
    clusters?: { name: string; paths: string[]; facts?: Record<string, unknown> }[];
    overrides?: { files: string[]; rules: Record<string, string> }[]; cniConfDirs?: string[]; maxFileSize?: number;
    k3sConfigFiles?: string[];
    includeVendored?: boolean;
  };
  const dir = path.dirname(path.resolve(file));
  const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);
  const checkIds = (rules: unknown, where: string[]) => {
    if (!isRecord(rules)) return;
    for (const id of Object.keys(rules)) {
      if (/^[a-z0-9-]+\/[a-z0-9-]+$/.test(id) && !knownRuleIds.has(id)) report([...where, id], "unknown rule id (kube-netlint rules lists them)");
    }
  };
  checkIds(cfg.rules, ["rules"]);
  if (Array.isArray(cfg.overrides)) cfg.overrides.forEach((o, i) => checkIds(isRecord(o) ? o.rules : undefined, ["overrides", String(i), "rules"]));
  if (isRecord(cfg.facts)) for (const [field, what] of checkFacts(cfg.facts)) report(["facts", field], what);
  const names = new Set<string>();
  if (Array.isArray(cfg.clusters)) {
    cfg.clusters.forEach((c, i) => {
      if (!isRecord(c)) return;
      if (typeof c.name === "string") {
        if (names.has(c.name)) report(["clusters", String(i), "name"], `the name "${c.name}" is used twice`);
        names.add(c.name);
      }
      if (isRecord(c.facts)) for (const [field, what] of checkFacts(c.facts)) report(["clusters", String(i), "facts", field], what);
    });
  }
  if (errors.length === 1) throw new UsageError(errors[0]!);
  if (errors.length) throw new UsageError(`${file}: ${errors.length} errors in the config file:\n${errors.join("\n")}`);
  return {
    file,
    dir,
    preset: cfg.extends ?? "recommended",
    rules: normalizeRules(cfg.rules),
    ignore: (cfg.ignore ?? []).map((pattern) => ({ pattern, base: dir })),
    facts: cfg.facts ?? {},
    clusters: (cfg.clusters ?? []).map((c) => ({ name: c.name, paths: c.paths, base: dir, facts: c.facts ?? {} })),
    overrides: (cfg.overrides ?? []).map((o) => ({ files: o.files, base: dir, rules: normalizeRules(o.rules) })),
    cniConfDirs: (cfg.cniConfDirs ?? []).map((d) => path.resolve(dir, d)),
    maxFileSize: cfg.maxFileSize ?? DEFAULT_MAX_FILE_SIZE,
    ...(cfg.k3sConfigFiles?.length ? { k3sConfigFiles: { patterns: cfg.k3sConfigFiles, base: dir } } : {}),
    ...(cfg.includeVendored !== undefined ? { includeVendored: cfg.includeVendored } : {}),
  };
}

export { normalizeSeverity };
