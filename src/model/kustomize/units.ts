/**
 * Kustomize units: the clusters (groups of model/group.ts) that one kustomization tree spans. An
 * overlay under one cluster's directory whose base lies in another's must be rendered from both, so
 * the fleet driver builds such groups together, at the turn of the first of them; every other group
 * is still built alone. A tree inside one group needs nothing: the group's build renders it.
 */
import type { Grouping } from "../group.js";

export interface KustomizationRefs {
  /** Index of the kustomization file among the input files. */
  file: number;
  /** Display paths it names (model/kustomize/refs.ts). */
  refs: string[];
}

/**
 * For each group in a unit of two or more, the unit's names in the grouping's order. `files` are the
 * input files, sorted by path up to `sortedCount` (the discovered files; stdin may follow).
 */
export function kustomizeUnits(
  files: readonly { readonly path: string }[],
  sortedCount: number,
  grouping: Pick<Grouping, "nameOf" | "order">,
  kustomizations: readonly KustomizationRefs[],
): Map<string, string[]> {
  const parent = new Map<string, string>();
  const find = (n: string): string => {
    let r = n;
    while (parent.has(r) && parent.get(r) !== r) r = parent.get(r)!;
    parent.set(n, r);
    return r;
  };
  const union = (a: string, b: string) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(rb, ra);
  };
  /** The first sorted file whose path is >= key. */
  const lowerBound = (key: string) => {
    let lo = 0;
    let hi = sortedCount;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (files[mid]!.path < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  for (const k of kustomizations) {
    const home = grouping.nameOf(k.file);
    for (const ref of k.refs) {
      // The file itself, or every file under the directory.
      for (let i = lowerBound(ref); i < sortedCount && files[i]!.path === ref; i++) union(home, grouping.nameOf(i));
      const dir = ref === "." ? "" : `${ref}/`;
      for (let i = lowerBound(dir); i < sortedCount && files[i]!.path.startsWith(dir); i++) union(home, grouping.nameOf(i));
      for (let i = sortedCount; i < files.length; i++) if (files[i]!.path === ref || files[i]!.path.startsWith(dir)) union(home, grouping.nameOf(i));
    }
  }
  const members = new Map<string, string[]>();
  for (const name of grouping.order) {
    if (!parent.has(name)) continue;
    const root = find(name);
    const list = members.get(root) ?? [];
    list.push(name);
    members.set(root, list);
  }
  const units = new Map<string, string[]>();
  for (const list of members.values()) if (list.length > 1) for (const n of list) units.set(n, list);
  return units;
}
