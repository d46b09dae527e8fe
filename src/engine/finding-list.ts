/**
 * The findings of a run as they are emitted, and the report's list made from them at the end.
 *
 * A finding's cluster name and fingerprint are known for sure only at the end (whether the run has
 * more than one cluster; the ordinals among identical fingerprint keys, once sorted): they are kept
 * beside the finding and added to it once, in the report's key order (`cluster`, then
 * `fingerprint`), instead of being added when emitted and deleted or rewritten later. Deleting a
 * property from an object turns it into a dictionary: about 800 bytes per finding instead of about
 * 100, and slower to sort and to serialise (300,000 findings in one file kept 250 MB of them).
 *
 * A finding is made with every key it will have in the report but `cluster`, `fingerprint` last
 * with an empty value that finish sets in place: its properties then all sit in the object itself.
 * Added later, they went to a second array of properties: one more object per finding for every
 * young-generation collection to copy. A finding that is given a cluster is made again (a fleet's
 * findings, a few per cluster), for the key order.
 */
import type { Finding, Fix, RelatedLocation, Severity, SourceRange } from "../types.js";
import type { Fingerprints } from "./fingerprint.js";

export type ReportedFinding = Finding & { cluster?: string };

/** A finding as emitted, its keys in the report's order (see above); fingerprint to be set by FindingList.finish. */
export function makeFinding(ruleId: string, severity: Severity, message: string, r: SourceRange, fix: Fix | null, field: string | undefined, related: RelatedLocation[] | undefined): ReportedFinding {
  const { file, line, column, endLine, endColumn } = r;
  const fingerprint = "";
  if (field === undefined) {
    if (related === undefined) return { ruleId, severity, message, file, line, column, endLine, endColumn, fix, fingerprint };
    return { ruleId, severity, message, file, line, column, endLine, endColumn, fix, related, fingerprint };
  }
  if (related === undefined) return { ruleId, severity, message, file, line, column, endLine, endColumn, fix, field, fingerprint };
  return { ruleId, severity, message, file, line, column, endLine, endColumn, fix, field, related, fingerprint };
}

/** The finding with its cluster before its fingerprint, as the report's keys go. */
function withCluster(f: ReportedFinding, cluster: string, fingerprint: string): ReportedFinding {
  const { fingerprint: _, ...rest } = f;
  return { ...rest, cluster, fingerprint };
}

export class FindingList {
  /** The findings in emission order, without `cluster` and `fingerprint`. */
  readonly findings: ReportedFinding[] = [];
  private readonly clusters: (string | undefined)[] = [];
  private readonly firstPrints: string[] = [];

  /** A finding made by makeFinding: its cluster's name (if any) and its fingerprint with ordinal 0 (Fingerprints.first). */
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
      if (nameClusters && cluster !== undefined) out[k] = withCluster(f, cluster, prints[k]!);
      else {
        f.fingerprint = prints[k]!;
        out[k] = f;
      }
    }
    return out;
  }
}
