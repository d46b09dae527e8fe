/**
 * Grouping: which cluster each input file (and CNI conf dir) belongs to, decided from paths in one
 * pass before anything is read, so that the engine can read, model and lint one cluster at a time.
 *
 * The rules are partition()'s (model/cluster.ts): a config `clusters:` glob first; else the longest
 * snapshot root that holds the path (a `kube-netlint-snapshot.json` marker's directory, or a
 * `kubectl cluster-info dump` directory: nodes.json beside namespace folders of List files); else
 * the directory above `cluster-resources/` (a Troubleshoot bundle); else the default bucket.
 *
 * Whether a marker or a dump directory really is a snapshot root depends on content (the marker
 * parses as JSON, nodes.json holds a Node...), known only once its key files are read. Each path
 * therefore gets a chain of candidate cluster names; a candidate that turns out not to be a root
 * is `reject`ed, and its members move on to the next name of their chain, which is always one the
 * driver has not built yet (candidates are visited longest first, unconditional names last).
 */
import path from "node:path";
import { picomatch } from "../lazy-deps.js";
import type { ClusterSpec } from "./cluster.js";
import { displayPath } from "./discover.js";
import type { FileToLoad } from "./load.js";

export const SNAPSHOT_MARKER = "kube-netlint-snapshot.json";
const DUMP_LIST = /^(pods|services|deployments|daemonsets|configmaps)\.json$/;

export interface GroupOptions {
  cwd: string;
  clusters: ClusterSpec[];
  facts: Record<string, unknown>;
}

/** One step of a path's chain: a cluster name, and whether it holds only if the name's root is confirmed. */
interface Step {
  name: string;
  conditional: boolean;
}


export interface GroupInfo {
  name: string;
  isSnapshot: boolean;
  facts: Record<string, unknown>;
}

export interface Grouping {
  /** Names in the order the driver must visit them: configured clusters, candidate roots longest first, the rest. */
  order: string[];
  info: Map<string, GroupInfo>;
  /** Whether a name is a candidate snapshot root that content must confirm. */
  isCandidate(name: string): boolean;
  /** The name an input file currently falls to. */
  nameOf(file: number): string;
  /** The files (indices, in input order) and conf dirs that currently fall to a name. */
  members(name: string): { files: number[]; confDirs: string[]; conditional: boolean };
  /** Key files whose content decides a candidate: its markers, or its nodes.json and List files. */
  keyFiles(name: string): { markers: number[]; nodes: number | null; lists: number[] };
  /** The candidate is not a root: its conditional members move on along their chains. */
  reject(name: string): void;
  /** Names a rejected candidate's members could still fall to. */
  fallbacks(name: string): Set<string>;
}

export function groupFiles(files: readonly FileToLoad[], confDirs: readonly string[], options: GroupOptions): Grouping {
  const dirOf = (p: string) => path.posix.dirname(p);
  const markerFiles = new Map<string, number[]>();
  const nodesFiles = new Map<string, number>();
  const listFiles = new Map<string, number[]>();
  files.forEach((f, i) => {
    const base = path.posix.basename(f.path);
    if (base === SNAPSHOT_MARKER) push(markerFiles, dirOf(f.path), i);
    else if (base === "nodes.json") nodesFiles.set(dirOf(f.path), i);
    else if (DUMP_LIST.test(base)) push(listFiles, dirOf(dirOf(f.path)), i);
  });
  const candidates = new Set<string>([...markerFiles.keys(), ...[...nodesFiles.keys()].filter((d) => listFiles.has(d))]);
  const matchers = options.clusters.map((c) => ({ spec: c, match: picomatch(c.paths.length ? c.paths : ["**"], { dot: true }) }));
  const info = new Map<string, GroupInfo>();
  const named = (name: string, isSnapshot: boolean, facts: Record<string, unknown>) => {
    if (!info.has(name)) info.set(name, { name, isSnapshot, facts });
  };
  // Steps and whole chains are shared: a fleet has a few names per cluster and hundreds of thousands of
  // files, so a file's place is two numbers (its chain, its position in it), not objects of its own.
  const steps = new Map<string, Step>();
  const step = (name: string, conditional: boolean): Step => {
    const key = `${conditional ? 1 : 0}${name}`;
    let s = steps.get(key);
    if (!s) steps.set(key, (s = { name, conditional }));
    return s;
  };
  const chains = new Map<string, readonly Step[]>();
  const interned = (chain: Step[]): readonly Step[] => {
    const key = chain.map((s) => `${s.conditional ? 1 : 0}${s.name}`).join("\0");
    let c = chains.get(key);
    if (!c) chains.set(key, (c = chain.slice()));
    return c;
  };
  const chainOf = (display: string, file: { readonly absPath: string | null } | string): readonly Step[] => {
    for (const { spec, match } of matchers) {
      const abs = typeof file === "string" ? file : file.absPath;
      const rel = abs ? path.relative(spec.base, abs).split(path.sep).join("/") : display;
      if (!rel.startsWith("..") && match(rel)) {
        named(spec.name, false, { ...options.facts, ...spec.facts });
        return interned([step(spec.name, false)]);
      }
    }
    const chain: Step[] = [];
    // Candidate roots that hold the path, longest first: the path itself, its ancestors, then "." (which holds every path).
    if (candidates.size) {
      for (let p = display; ; ) {
        if (p !== "." && candidates.has(p)) chain.push(step(p, true));
        const i = p.lastIndexOf("/");
        if (i <= 0) break;
        p = p.slice(0, i);
      }
      if (candidates.has(".")) chain.push(step(".", true));
      for (const s of chain) named(s.name, true, options.facts);
    }
    const m = /^(.*?)(?:^|\/)cluster-resources\//.exec(display);
    if (m) {
      named(m[1] || ".", true, options.facts);
      chain.push(step(m[1] || ".", false));
    }
    named("default", false, options.facts);
    chain.push(step("default", false));
    return interned(chain);
  };
  // Members are numbered: input files 0..files.length-1, then the conf dirs.
  const memberCount = files.length + confDirs.length;
  const chainOfMember: (readonly Step[])[] = [];
  const at = new Uint16Array(memberCount);
  const byName = new Map<string, number[]>();
  const place = (member: number) => push(byName, chainOfMember[member]![at[member]!]!.name, member);
  const stepOf = (member: number) => chainOfMember[member]![at[member]!]!;
  files.forEach((f, i) => {
    chainOfMember.push(chainOf(f.path, f));
    place(i);
  });
  confDirs.forEach((abs, k) => {
    chainOfMember.push(chainOf(displayPath(options.cwd, abs), abs));
    place(files.length + k);
  });

  const specNames = new Set(options.clusters.map((c) => c.name));
  const rank = (n: string) => (specNames.has(n) ? 0 : candidates.has(n) ? 1 : 2);
  const order = [...info.keys()].sort((a, b) => rank(a) - rank(b) || (rank(a) === 1 ? b.length - a.length : 0) || (a < b ? -1 : a > b ? 1 : 0));
  return {
    order,
    info,
    isCandidate: (name) => candidates.has(name),
    nameOf: (file) => stepOf(file).name,
    members(name) {
      const list = byName.get(name) ?? [];
      const out = { files: [] as number[], confDirs: [] as string[], conditional: false };
      for (const member of list) {
        if (member < files.length) out.files.push(member);
        else out.confDirs.push(confDirs[member - files.length]!);
        if (stepOf(member).conditional) out.conditional = true;
      }
      out.files.sort((a, b) => a - b);
      return out;
    },
    keyFiles: (name) => ({ markers: markerFiles.get(name) ?? [], nodes: nodesFiles.get(name) ?? null, lists: listFiles.get(name) ?? [] }),
    reject(name) {
      const list = byName.get(name) ?? [];
      const stay: number[] = [];
      for (const member of list) {
        if (!stepOf(member).conditional) stay.push(member);
        else {
          at[member]!++;
          place(member);
        }
      }
      byName.set(name, stay);
    },
    fallbacks(name) {
      const out = new Set<string>();
      for (const member of byName.get(name) ?? []) {
        const chain = chainOfMember[member]!;
        for (let i = at[member]! + 1; i < chain.length; i++) out.add(chain[i]!.name);
      }
      return out;
    },
  };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The order of clusters in a run's model (partition()'s): the default bucket first, then by name. */
export function compareClusterNames(a: string, b: string): number {
  return a === b ? 0 : a === "default" ? -1 : b === "default" ? 1 : a < b ? -1 : 1;
}
