/**
 * The per-cluster driver: discover the input, group it into clusters from paths (model/group.ts),
 * then read, parse and model one cluster at a time and hand each to the caller, which lints it and
 * lets it go before the next one is built. Peak memory is the largest cluster plus what the caller
 * keeps (the findings); time grows with the input, not with clusters x files.
 *
 * `--shard K/N` keeps the clusters whose identity (the group name: a snapshot root's path relative
 * to the working directory, a configured cluster's name, or "default") hashes to part K.
 */
import path from "node:path";
import { UsageError } from "../config/errors.js";
import type { ResolvedConfig } from "../config/config.js";
import { buildClusters } from "../model/cluster.js";
import { discover, displayPath, type DiscoveryResult } from "../model/discover.js";
import { groupFiles, type GroupInfo, type Grouping } from "../model/group.js";
import { isKustomization, kustomizationRefs } from "../model/kustomize/refs.js";
import { kustomizeUnits, type KustomizationRefs } from "../model/kustomize/units.js";
import { sourceFileOptions } from "../model/sources/config.js";
import { KUSTOMIZATION_FILE, loadInputs, type FileToLoad, type RawInput } from "../model/load.js";
import { makeReadPolicy, type ReadPolicy } from "../model/read-policy.js";
import type { ClusterModel, ParseProblem } from "../model/types.js";
import { sha256Hex } from "./sha256.js";

export interface Shard {
  /** 1-based part. */
  index: number;
  total: number;
}

export interface DriveOptions {
  context?: string;
  stdin?: string;
  stdinFilename?: string;
  /** Files read so far of all files discovered. */
  onProgress?: (done: number, total: number) => void;
  /** Clusters linted so far of all clusters (of this part). */
  onClusterProgress?: (done: number, total: number) => void;
  /** Called once, before the first cluster is read, with the number of clusters this run (part) will lint. */
  onClusters?: (total: number) => void;
  /** Called with the length of each file's text once read. */
  onRead?: (chars: number) => void;
  shard?: Shard;
  ignorePatterns?: string[];
  includeVendored?: boolean;
  excludeFiles?: string[];
}

export interface PreparedInput {
  cwd: string;
  config: ResolvedConfig;
  found: DiscoveryResult;
  files: FileToLoad[];
  policy: ReadPolicy;
  useStdin: boolean;
  grouping: Grouping;
}

export interface GroupResult {
  name: string;
  clusters: ClusterModel[];
  problems: ParseProblem[];
  raw: RawInput;
}

export interface DriveResult {
  filesRead: number;
  notices: string[];
  /** Clusters (groups) of the whole input, before any shard was taken: the same for every part. */
  allGroups: string[];
  /** Groups this run linted. */
  linted: string[];
}

/** The part (0-based) a cluster identity falls to: the first 32 bits of its SHA-256, modulo N. */
export function shardOf(identity: string, total: number): number {
  return parseInt(sha256Hex(identity).slice(0, 8), 16) % total;
}

/** Discovery and grouping: what the input holds and which cluster each file belongs to. Reads no file. */
export function prepareInput(paths: readonly string[], cwd: string, config: ResolvedConfig, options: DriveOptions): PreparedInput {
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
  // The discovered files themselves (their absolute path is derived when read): no copy per file.
  const files: FileToLoad[] = found.files.slice();
  if (useStdin) {
    const name = options.stdinFilename ?? "<stdin>";
    files.push({ path: options.stdinFilename ? displayPath(cwd, path.resolve(cwd, name)) : name, absPath: null, explicit: true, text: options.stdin ?? "" });
  }
  const policy = makeReadPolicy(cwd, diskInputs, config.maxFileSize);
  const grouping = groupFiles(files, found.confDirs, { cwd, clusters: config.clusters, facts: config.facts });
  return { cwd, config, found, files, policy, useStdin, grouping };
}

const LOADED = 1;
const IN_FILES = 2;
const MARKER = 4;
/** Taken by a kustomize unit (built with it, in the part that owns it). */
const IN_UNIT = 8;

/** The kustomize units of the input: its kustomization files are read (they are small) to learn what they name. */
function kustomizeUnitsOf(prep: PreparedInput, load: (indices: number[]) => RawInput): Map<string, string[]> {
  const { files, grouping, found } = prep;
  const indices: number[] = [];
  files.forEach((f, i) => KUSTOMIZATION_FILE.test(f.path) && indices.push(i));
  if (!indices.length) return new Map();
  const byPath = new Map(indices.map((i) => [files[i]!.path, i]));
  const kustomizations: KustomizationRefs[] = [];
  for (const o of load(indices).objects) {
    const file = byPath.get(o.file.path);
    if (file !== undefined && isKustomization(o)) kustomizations.push({ file, refs: kustomizationRefs(o.value, path.posix.dirname(o.file.path)) });
  }
  return kustomizeUnits(files, found.files.length, grouping, kustomizations);
}

/** Load, model and hand over one cluster group at a time (in grouping order: not the report's order). */
export function drive(prep: PreparedInput, options: DriveOptions, onGroup: (g: GroupResult) => void): DriveResult {
  const { files, grouping, policy, config, cwd } = prep;
  const sources = sourceFileOptions(cwd, config);
  const shard = options.shard;
  const owns = (name: string) => !shard || shardOf(name, shard.total) === shard.index - 1;
  const flags = new Uint8Array(files.length);
  const notices: { at: number; seq: number; text: string }[] = [];
  let seq = 0;
  let filesDone = 0;
  let filesRead = 0;

  const record = (indices: readonly number[], raw: RawInput) => {
    const inFiles = new Set(raw.files.map((f) => f.path));
    const markers = new Set(raw.snapshotMarkers.map((m) => m.file.path));
    for (const i of indices) {
      const p = files[i]!.path;
      flags[i] = (flags[i]! & IN_UNIT) | LOADED | (inFiles.has(p) ? IN_FILES : 0) | (markers.has(p) ? MARKER : 0);
    }
  };
  const loadRaw = (indices: readonly number[], progress: boolean) => {
    const list = indices.map((i) => files[i]!);
    const base = filesDone;
    const raw = loadInputs(list, { policy, sources, onRead: options.onRead, ...(progress && options.onProgress ? { onProgress: (done: number) => options.onProgress!(base + done, files.length) } : {}) });
    if (progress) filesDone += list.length;
    record(indices, raw);
    return raw;
  };
  /** Exit 2 naming the first unreadable file in input order, as reading everything first would. */
  const failUnreadable = (indices: readonly number[], raw: RawInput): never => {
    let first = raw.unreadable[0]!;
    const at = indices.find((i) => files[i]!.path === first.path) ?? files.length;
    const earlier: number[] = [];
    for (let i = 0; i < at; i++) if (!(flags[i]! & LOADED)) earlier.push(i);
    if (earlier.length) {
      const before = loadInputs(earlier.map((i) => files[i]!), { policy, sources, onRead: options.onRead });
      if (before.unreadable.length) first = before.unreadable[0]!;
    }
    throw new UsageError(`${first.path}: cannot read: ${first.message}`);
  };
  const confirm = (name: string): boolean => {
    const k = grouping.keyFiles(name);
    const keys = [...k.markers, ...(k.nodes === null ? [] : [k.nodes]), ...k.lists];
    const unknown = keys.filter((i) => !(flags[i]! & LOADED));
    if (unknown.length) loadRaw(unknown, false);
    if (k.markers.some((i) => flags[i]! & MARKER)) return true;
    return k.nodes !== null && (flags[k.nodes]! & IN_FILES) !== 0 && k.lists.some((i) => flags[i]! & IN_FILES);
  };
  const nonEmpty = (name: string) => {
    const m = grouping.members(name);
    return m.files.length > 0 || m.confDirs.length > 0;
  };

  // Kustomization trees that span clusters' directories: those clusters are built together (model/kustomize/units.ts).
  const unitConfDirs = new Set<string>();
  const units = kustomizeUnitsOf(prep, (indices) => loadRaw(indices, false));
  const allGroups = grouping.order.filter(nonEmpty);
  const counted = new Set(allGroups.filter(owns));
  let total = counted.size;
  options.onClusters?.(total);
  let done = 0;
  const visited = new Set<string>();
  /** Not a snapshot root: its files move on to names not yet visited, which may count as clusters now. */
  const reject = (name: string) => {
    const next = grouping.fallbacks(name);
    grouping.reject(name);
    if (counted.has(name) && !nonEmpty(name)) {
      counted.delete(name);
      total--;
    }
    for (const n of next) {
      if (!visited.has(n) && !counted.has(n) && owns(n) && nonEmpty(n)) {
        counted.add(n);
        total++;
      }
    }
  };
  const linted: string[] = [];
  /** Build and hand over the files and conf dirs of one cluster, or of a kustomize unit (`group` unset: buildClusters partitions it). */
  const build = (names: string[], m: { files: number[]; confDirs: string[] }, raw: RawInput, group: GroupInfo | undefined) => {
    if (raw.unreadable.length) failUnreadable(m.files, raw);
    filesRead += raw.filesRead;
    // After the build: adapters add notices of their own (a Talos config of the wrong type) while it runs.
    const { clusters, problems } = buildClusters(raw, { cwd, policy, clusters: config.clusters, facts: config.facts, confDirs: m.confDirs, ...(group ? { group } : {}) });
    let p = 0;
    for (const text of raw.notices) {
      let q = p;
      while (q < m.files.length && !text.startsWith(files[m.files[q]!]!.path + ": ")) q++;
      if (q < m.files.length) p = q;
      notices.push({ at: m.files[p] ?? files.length, seq: seq++, text });
    }
    linted.push(...names);
    onGroup({ name: names[0]!, clusters, problems, raw });
    for (const n of names) if (counted.has(n) || n === names[0]) options.onClusterProgress?.(++done, Math.max(done, total));
  };
  /** A kustomize unit: the clusters a kustomization tree spans, built together when the first of them comes. */
  const buildUnit = (unit: string[]) => {
    const own = owns(unit[0]!);
    for (const n of unit) {
      visited.add(n);
      const m = grouping.members(n);
      if (!grouping.isCandidate(n) || !m.conditional) continue;
      if (own ? !confirm(n) : [...grouping.fallbacks(n)].some(owns) && !confirm(n)) reject(n);
    }
    const names = unit.filter(nonEmpty);
    const all = { files: [] as number[], confDirs: [] as string[] };
    for (const n of names) {
      const m = grouping.members(n);
      all.files.push(...m.files);
      all.confDirs.push(...m.confDirs);
    }
    // Taken by the unit, in whichever part owns it.
    for (const i of all.files) flags[i]! |= IN_UNIT;
    for (const d of all.confDirs) unitConfDirs.add(d);
    if (!own || !names.length) return;
    all.files.sort((a, b) => a - b);
    build(names, all, loadRaw(all.files, true), undefined);
  };
  for (const name of grouping.order) {
    const unit = units.get(name);
    if (unit && unit[0] === name) {
      buildUnit(unit);
      continue;
    }
    let m = grouping.members(name);
    // A unit's cluster was built with its first: only files that moved here since (a candidate turned out no snapshot root) are left.
    if (unit) m = { ...m, files: m.files.filter((i) => !(flags[i]! & IN_UNIT)), confDirs: m.confDirs.filter((d) => !unitConfDirs.has(d)) };
    visited.add(name);
    if (!m.files.length && !m.confDirs.length) continue;
    const candidate = grouping.isCandidate(name) && m.conditional;
    if (!owns(name)) {
      // Another part lints it; but if it is no snapshot root after all, its files may fall to one of ours.
      if (candidate && [...grouping.fallbacks(name)].some(owns) && !confirm(name)) reject(name);
      continue;
    }
    let raw = loadRaw(m.files, true);
    if (candidate && !confirm(name)) {
      reject(name);
      m = grouping.members(name);
      if (!m.files.length && !m.confDirs.length) continue;
      raw = loadInputs(m.files.map((i) => files[i]!), { policy, sources, onRead: options.onRead });
    }
    build([name], m, raw, grouping.info.get(name)!);
  }
  notices.sort((a, b) => a.at - b.at || a.seq - b.seq);
  return { filesRead, notices: notices.map((n) => n.text), allGroups, linted };
}
