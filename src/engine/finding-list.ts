/**
 * The findings of a run as they are emitted, and the report's list made from them at the end.
 *
 * A finding's cluster name and fingerprint are known for sure only at the end (whether the run has
 * more than one cluster; the ordinals among identical fingerprint keys, once sorted): they are kept
 * beside the finding and added to it once, in the report's key order (`cluster`, then
 * `fingerprint`), instead of being added when emitted and deleted or rewritten later. Deleting a
 * property from an object turns it into a dictionary: about 800 bytes per finding instead of about
 * 100, and slower to sort and to serialise (300,000 findings in one file kept 250 MB of them).
 */
import type { Finding } from "../types.js";
import type { Fingerprints } from "./fingerprint.js";

export type ReportedFinding = Finding & { cluster?: string };

export class FindingList {
  /** The findings in emission order, without `cluster` and `fingerprint`. */
  readonly findings: ReportedFinding[] = [];
  private readonly clusters: (string | undefined)[] = [];
  private readonly firstPrints: string[] = [];

  /** A finding as emitted: its cluster's name (if any) and its fingerprint with ordinal 0 (Fingerprints.first). */
  push(finding: ReportedFinding, cluster: string | undefined, firstPrint: string): void {
    this.findings.push(finding);
    this.clusters.push(cluster);
    this.firstPrints.push(firstPrint);
  }

  /**
   * The report's findings: those kept by `keep` (all without it), sorted by `compare` (stable: equal
   * findings stay in emission order), each given its cluster (when `nameClusters`) and fingerprint.
   */
  finish(compare: (a: Finding, b: Finding) => number, fingerprints: Fingerprints, nameClusters: boolean, keep?: (f: ReportedFinding) => boolean): ReportedFinding[] {
    const { findings, clusters, firstPrints } = this;
    const order: number[] = [];
    for (let i = 0; i < findings.length; i++) if (!keep || keep(findings[i]!)) order.push(i);
    order.sort((a, b) => compare(findings[a]!, findings[b]!));
    const prints = fingerprints.assign(order.map((i) => firstPrints[i]!));
    const out: ReportedFinding[] = new Array(order.length);
    for (let k = 0; k < order.length; k++) {
      const i = order[k]!;
      const f = findings[i]!;
      const cluster = clusters[i];
      if (nameClusters && cluster !== undefined) f.cluster = cluster;
      f.fingerprint = prints[k]!;
      out[k] = f;
    }
    return out;
  }
}
