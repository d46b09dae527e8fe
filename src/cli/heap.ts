/**
 * V8's heap growth for a fleet run. Linting many clusters keeps little (the findings, the discovered
 * paths) and throws away a whole cluster's model at a time; by default V8 lets the heap grow to
 * several times what is alive before a full collection, so the RSS of a 10,000-cluster run sat at
 * 440 MiB with some 60 MiB alive. With a growth of 1.5 times the live heap, the same run peaks near
 * 250 MiB and takes no longer (BENCHMARKS.md, Fleet). One cluster, or a few, keep V8's default: there
 * the live set is the model itself, and more frequent collections of it would only cost time.
 */
import v8 from "node:v8";

/** From this many clusters in one run on, the heap grows by HEAP_GROWING_PERCENT. */
export const FLEET_CLUSTERS = 50;
export const HEAP_GROWING_PERCENT = 50;

/** Whether a run of `clusters` clusters should lower the heap growth: not when the user set it (NODE_OPTIONS, node's own flags). */
export function wantsFleetHeap(clusters: number, env: Record<string, string | undefined>, execArgv: readonly string[]): boolean {
  const set = (s: string) => /--heap[-_]growing[-_]percent\b/.test(s);
  return clusters >= FLEET_CLUSTERS && !set(env.NODE_OPTIONS ?? "") && !execArgv.some(set);
}

/** Lower V8's heap growth for the rest of this process, once it is known to lint a fleet. */
export function tuneHeapForFleet(clusters: number, env: Record<string, string | undefined>): boolean {
  if (!wantsFleetHeap(clusters, env, process.execArgv)) return false;
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return true;
}
