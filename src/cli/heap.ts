/**
 * V8's heap growth for large runs. By default V8 lets the heap grow to several times what is alive
 * before a full collection:
 * - a fleet run keeps little (the findings, the discovered paths) and throws away a whole cluster's
 *   model at a time: the RSS of a 10,000-cluster run sat at 440 MiB with some 60 MiB alive;
 * - one very large file (300,000 keys, 100,000 server blocks) makes its model and findings in one
 *   go, and most of what it allocates on the way dies young but late: 600-650 MiB peaks with about
 *   150 MiB alive.
 * With a growth of 1.5 times the live heap both peak far lower (250 MiB and 450-500 MiB) and take no
 * longer (BENCHMARKS.md). An ordinary run keeps V8's default: set from the start, the lower growth
 * made a 2,000-app repository 15% slower, for nothing.
 */
import v8 from "node:v8";

/** From this many clusters in one run on, the heap grows by HEAP_GROWING_PERCENT. */
export const FLEET_CLUSTERS = 50;
/** From a file this long (characters) on, likewise. */
export const LARGE_FILE_CHARS = 1 << 20;
export const HEAP_GROWING_PERCENT = 50;

/** What a run has shown of its size so far. */
export interface RunSize {
  clusters?: number;
  fileChars?: number;
}

/** Whether a run of this size should lower the heap growth: not when the user set it (NODE_OPTIONS, node's own flags). */
export function wantsLowerHeapGrowth(size: RunSize, env: Record<string, string | undefined>, execArgv: readonly string[]): boolean {
  const set = (s: string) => /--heap[-_]growing[-_]percent\b/.test(s);
  const large = (size.clusters ?? 0) >= FLEET_CLUSTERS || (size.fileChars ?? 0) >= LARGE_FILE_CHARS;
  return large && !set(env.NODE_OPTIONS ?? "") && !execArgv.some(set);
}

let lowered = false;

/** Lower V8's heap growth for the rest of this process, once the run is known to be large. */
export function tuneHeap(size: RunSize, env: Record<string, string | undefined>): boolean {
  if (lowered || !wantsLowerHeapGrowth(size, env, process.execArgv)) return false;
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  lowered = true;
  return true;
}
