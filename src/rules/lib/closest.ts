/**
 * "Did you mean …?" helper: the closest candidate by edit distance.
 *
 * Distance is the optimal-string-alignment (Damerau) distance computed on lower-cased
 * strings, so a case-only difference ("BindAddress" vs "bindAddress") has distance 0 and
 * a swapped pair of letters costs 1.
 */

/** Rows of the distance table, reused across calls (the table is only ever three rows deep). */
let rowA = new Int32Array(64);
let rowB = new Int32Array(64);
let rowC = new Int32Array(64);

/** Optimal string alignment distance (insert, delete, substitute, transpose adjacent). */
export function editDistance(a: string, b: string): number {
  return editDistanceWithin(a, b, Infinity);
}

/**
 * editDistance(a, b) when it is at most max, else some number greater than max: stops as soon as
 * every cell of a row is over max (a row's minimum never decreases further down the table).
 */
function editDistanceWithin(a: string, b: string, max: number): number {
  const n = a.length;
  const m = b.length;
  if (n === 0) return m;
  if (m === 0) return n;
  if (Math.abs(n - m) > max) return Math.abs(n - m);
  if (rowA.length <= m) {
    rowA = new Int32Array(m + 1);
    rowB = new Int32Array(m + 1);
    rowC = new Int32Array(m + 1);
  }
  // prev2 = row i-2, prev = row i-1, cur = row i.
  let prev2 = rowA;
  let prev = rowB;
  let cur = rowC;
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    let rowMin = i;
    const ai = a.charCodeAt(i - 1);
    const aPrev = i > 1 ? a.charCodeAt(i - 2) : -1;
    for (let j = 1; j <= m; j++) {
      const bj = b.charCodeAt(j - 1);
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (ai === bj ? 0 : 1));
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && aPrev === bj) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return rowMin;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[m]!;
}

export interface ClosestOptions {
  /** Largest distance still worth suggesting. Default: max(2, floor(len/3)) of the input. */
  maxDistance?: number;
}

/**
 * The candidate closest to `input`, or undefined when none is close enough. Ties are
 * broken by the longer shared prefix, then by candidate order.
 */
export function closest(
  input: string,
  candidates: Iterable<string>,
  opts: ClosestOptions = {},
): string | undefined {
  const lower = input.toLowerCase();
  const max = opts.maxDistance ?? Math.max(2, Math.floor(input.length / 3));
  let best: string | undefined;
  let bestDist = Infinity;
  let bestPrefix = -1;
  for (const c of candidates) {
    if (c === input) continue;
    const cl = c.toLowerCase();
    // The distance is at least the difference in length: most candidates end here.
    if (Math.abs(cl.length - lower.length) > Math.min(max, bestDist)) continue;
    const dist = editDistanceWithin(lower, cl, Math.min(max, bestDist));
    if (dist > max) continue;
    let prefix = 0;
    while (prefix < cl.length && prefix < lower.length && cl[prefix] === lower[prefix]) prefix++;
    if (dist < bestDist || (dist === bestDist && prefix > bestPrefix)) {
      best = c;
      bestDist = dist;
      bestPrefix = prefix;
    }
  }
  return best;
}
