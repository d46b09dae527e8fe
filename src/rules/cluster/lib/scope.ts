/**
 * Which sources of one cluster may be compared with each other. A repository often holds several
 * clusters side by side (clusters/prod, clusters/staging) in one model: when a kind of artifact has
 * candidates in several directories, each candidate is compared only with sources in its own
 * directory subtree (src/rules/lib/scope.ts). A node's files (nodes/NAME/...) count as one place,
 * the directory that holds nodes/, so that every node of a snapshot shares the snapshot's scope.
 */
import { scopeDir } from "../../lib/scope.js";

/** A source for scoping: its kind (peers are of one kind) and its file's display path (null: the config file's facts). */
export interface ScopedSource {
  kind: string;
  file: string | null;
}

/** The path a file has for scoping: files under nodes/NAME/ collapse to their `nodes` directory. */
export function scopePath(file: string): string {
  const m = /^(.*?)(?:^|\/)nodes\/[^/]+\/./.exec(file);
  if (!m) return file;
  return m[1] ? `${m[1]}/nodes` : "nodes";
}

function within(file: string | null, scope: string | null): boolean {
  if (!scope || !file) return true;
  const p = scopePath(file);
  return p === scope || p.startsWith(scope + "/");
}

/**
 * Kinds that each define a whole cluster are peers of one another: a kind Cluster config in
 * clusters/dev and a kubeadm ClusterConfiguration in clusters/prod are two clusters, each scoped to
 * its own directory, not two sources of one cluster.
 */
const PEER_CLASS: Record<string, string> = { kubeadm: "cluster-definition", distribution: "cluster-definition" };
const peerClass = (kind: string): string => PEER_CLASS[kind] ?? kind;

/** Decides, for pairs of sources, whether they belong to one cluster's scope. */
export class Scopes {
  private readonly peers = new Map<string, string[]>();

  constructor(sources: readonly ScopedSource[]) {
    for (const s of sources) {
      if (!s.file) continue;
      const list = this.peers.get(peerClass(s.kind)) ?? [];
      list.push(scopePath(s.file));
      this.peers.set(peerClass(s.kind), list);
    }
  }

  private readonly cache = new Map<string, string | null>();

  /** The directory (or file) a source is scoped to among its peers, or null when it is its kind's only candidate. */
  scopeOf(s: ScopedSource): string | null {
    if (!s.file) return null;
    // Memoized: a snapshot's thousands of nodes share one answer (scopeDir reads every peer).
    const key = `${peerClass(s.kind)}\u0000${s.file}`;
    let v = this.cache.get(key);
    if (v === undefined && !this.cache.has(key)) this.cache.set(key, (v = scopeDir(scopePath(s.file), this.peers.get(peerClass(s.kind)) ?? []) ?? this.definitionScope(scopePath(s.file))));
    return v ?? null;
  }

  /**
   * A source that is its kind's only candidate still belongs to the cluster whose definition's
   * directory holds it, when the input defines several clusters (clusters/dev and clusters/prod):
   * one flannel Network in prod is no source of dev's pod CIDR.
   */
  private definitionScope(p: string): string | null {
    const defs = this.peers.get("cluster-definition") ?? [];
    for (const d of new Set(defs)) {
      const scope = scopeDir(d, defs);
      if (scope && scope !== d && (p === scope || p.startsWith(scope + "/"))) return scope;
    }
    return null;
  }

  /** Sources with the same key have the same peers (whom they are `together` with). */
  peerKey(s: ScopedSource): string {
    return `${this.scopeOf(s)}\u0000${s.file ? scopePath(s.file) : ""}`;
  }

  /** Both sources lie in each other's scope. */
  together(a: ScopedSource, b: ScopedSource): boolean {
    return within(b.file, this.scopeOf(a)) && within(a.file, this.scopeOf(b));
  }
}
