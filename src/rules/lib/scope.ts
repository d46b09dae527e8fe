/**
 * When one cluster holds several candidates for a singleton (two kube-proxy configs, two kubeadm
 * configs), a cross-file rule compares each candidate only with the sources in its own directory
 * subtree instead of mixing them.
 */
import path from "node:path";
import type { Loc } from "../../model/types.js";

function commonDir(paths: string[]): string {
  if (paths.length === 0) return "";
  const parts = paths.map((p) => path.posix.dirname(p).split("/"));
  const first = parts[0]!;
  let n = 0;
  while (n < first.length && parts.every((p) => p[n] === first[n])) n++;
  return first.slice(0, n).join("/");
}

/**
 * The directory (or, for candidates side by side, the file) that scopes `candidate` among its
 * `peers` (same kind), or null when there is one candidate (everything in the cluster applies).
 */
export function scopeDir(candidate: string, peers: string[]): string | null {
  const distinct = [...new Set(peers)];
  if (distinct.length < 2) return null;
  const root = commonDir(distinct);
  const rest = path.posix.dirname(candidate).slice(root.length).replace(/^\//, "");
  const first = rest.split("/")[0];
  // Candidates side by side in one directory: each file is its own scope.
  if (!first) return candidate;
  return root ? `${root}/${first}` : first;
}

/** Whether a source location lies in a scope (sources with no location, from the config file, always do). */
export function inScope(loc: Loc | null, scope: string | null): boolean {
  if (!scope || !loc) return true;
  return loc.file.path === scope || loc.file.path.startsWith(scope + "/");
}
