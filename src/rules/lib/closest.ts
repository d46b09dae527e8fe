/**
 * "Did you mean …?" helper: the closest candidate by edit distance.
 *
 * Distance is the optimal-string-alignment (Damerau) distance computed on lower-cased
 * strings, so a case-only difference ("BindAddress" vs "bindAddress") has distance 0 and
 * a swapped pair of letters costs 1.
 */

/** Optimal string alignment distance (insert, delete, substitute, transpose adjacent). */
export function editDistance(a: string, b: string): number {
  const n = a.length;
  const m = b.length;
  if (n === 0) return m;
  if (m === 0) return n;
  const d: number[][] = [];
  for (let i = 0; i <= n; i++) {
    const row = new Array<number>(m + 1).fill(0);
    row[0] = i;
    d.push(row);
  }
  for (let j = 0; j <= m; j++) d[0]![j] = j;
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, d[i - 2]![j - 2]! + 1);
      }
      d[i]![j] = v;
    }
  }
  return d[n]![m]!;
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
    const dist = editDistance(lower, cl);
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
