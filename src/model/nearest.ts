/**
 * Which of several same-named objects a join takes (the ConfigMap a Deployment mounts, the ClusterRole
 * a binding names): the nearest one. The same file first, then the same directory, then upward one
 * directory at a time, where at each level the directory itself comes before its other subdirectories.
 * The others are not joined, so no rule judges one cluster's object against another's.
 */
import type { K8sObject } from "./types.js";

const dirs = (p: string) => p.split("/").slice(0, -1);

/** How near `candidate` is to `from` (display paths): higher is nearer; the same file is nearest of all. */
export function closeness(from: string, candidate: string): number {
  if (from === candidate) return Number.MAX_SAFE_INTEGER;
  const a = dirs(from);
  const b = dirs(candidate);
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  // n levels shared; the candidate's directory is that ancestor itself (not one of its other subdirectories): one more.
  return 2 * n + (n === b.length ? 1 : 0);
}

/** Of several candidates, the nearest to `from` (the first of them on a tie). */
export function nearest<T extends { file: { path: string } }>(from: { file: { path: string } }, candidates: readonly T[]): T | undefined {
  if (candidates.length <= 1) return candidates[0];
  let best: T | undefined;
  let bestScore = -1;
  for (const c of candidates) {
    const s = closeness(from.file.path, c.file.path);
    if (s > bestScore) {
      best = c;
      bestScore = s;
    }
  }
  return best;
}

/** Keep, of each group of same-named candidates (by `key`), only the one nearest to `from`. */
export function nearestByName(from: K8sObject, candidates: readonly K8sObject[], key: (o: K8sObject) => string = (o) => o.name): K8sObject[] {
  const groups = new Map<string, K8sObject[]>();
  for (const c of candidates) {
    const k = key(c);
    const list = groups.get(k) ?? [];
    list.push(c);
    groups.set(k, list);
  }
  return [...groups.values()].map((g) => nearest(from, g)!);
}

/** All the candidates as near to `from` as the nearest one (several objects of one file are equally near). */
export function nearestTier<T extends { file: { path: string } }>(from: { file: { path: string } }, candidates: readonly T[]): T[] {
  if (candidates.length <= 1) return [...candidates];
  const scores = candidates.map((c) => closeness(from.file.path, c.file.path));
  const best = Math.max(...scores);
  return candidates.filter((_, i) => scores[i] === best);
}
