/**
 * Derived views of the cluster facts for the cluster-wide and kubelet rules: facts grouped by the
 * source that states them (one source may state a dual-stack pair), parsed, with the kind of
 * artifact they come from (for scoping) and how much the source is trusted as the reference.
 */
import type { ClusterModel, Fact, Loc } from "../../../model/types.js";
import { cidrFamily, formatIP, parseCIDR, type ParsedCIDR } from "../../../parsers/net.js";
import type { ScopedSource } from "./scope.js";

export interface CidrSource extends ScopedSource {
  origin: string;
  facts: Fact[];
  cidrs: ParsedCIDR[];
  loc: Loc | null;
  /** A part of the range (a node's podCIDR): compared by containment. */
  within: boolean;
}

export const normCidr = (c: ParsedCIDR): string => `${formatIP(c.network)}/${c.prefix}`;

/** The CIDRs of a source in the families it states, as "a,b" text. */
export const cidrText = (s: { cidrs: ParsedCIDR[] }): string => s.cidrs.map(normCidr).join(",");

/** The artifact kind a fact comes from, by its origin (peers of one kind are scoped together). */
export function kindOfOrigin(origin: string): string {
  if (origin.startsWith("kubeadm ")) return "kubeadm";
  if (origin.startsWith("kube-controller-manager")) return "kube-controller-manager";
  if (origin.startsWith("kube-apiserver")) return "kube-apiserver";
  if (origin.startsWith("flannel")) return "flannel";
  // A CNI's own pool (Calico's, and Cilium's cluster-pool and Weave's IPALLOC_RANGE from src/model/sources): a part of the pod CIDR.
  if (origin.startsWith("Calico")) return "calico";
  if (/^Cilium('s)? /.test(origin)) return "cilium";
  if (/^Weave('s)? /.test(origin)) return "weave";
  if (origin.startsWith("Node ")) return "node";
  if (origin.startsWith("facts.")) return "facts";
  // A distribution's own config (src/model/sources): kind, k3s/RKE2, Cluster API, Talos, kops, eksctl.
  if (/^(kind|k3s|RKE2|Cluster API|Talos|kops|eksctl)('s)? /.test(origin)) return "distribution";
  return origin;
}

/** Pod-CIDR or service-CIDR facts grouped by source; sources with a value that does not parse are left out. */
export function cidrSources(facts: readonly Fact[]): CidrSource[] {
  const groups = new Map<string, Fact[]>();
  for (const f of facts) {
    const key = `${f.origin}\u0000${f.loc ? `${f.loc.file.path}:${f.loc.start}` : ""}`;
    const list = groups.get(key) ?? [];
    list.push(f);
    groups.set(key, list);
  }
  const out: CidrSource[] = [];
  for (const list of groups.values()) {
    const cidrs = list.map((f) => parseCIDR(f.value, { sloppy: true }));
    if (cidrs.some((c) => !c)) continue;
    const first = list[0]!;
    out.push({
      kind: kindOfOrigin(first.origin),
      file: first.loc?.file.path ?? null,
      origin: first.origin,
      facts: list,
      cidrs: cidrs as ParsedCIDR[],
      loc: first.loc,
      within: first.within === true,
    });
  }
  return out;
}

/** The service CIDR sources of the cluster. */
export function serviceCidrSources(cluster: ClusterModel): CidrSource[] {
  return cidrSources(cluster.facts.serviceCIDRs);
}

/** The pod CIDR sources of the cluster. */
export function podCidrSources(cluster: ClusterModel): CidrSource[] {
  return cidrSources(cluster.facts.podCIDRs);
}

/** The CIDRs of `s` in one family. */
export function ofFamily(s: { cidrs: ParsedCIDR[] }, family: 4 | 6): ParsedCIDR[] {
  return s.cidrs.filter((c) => cidrFamily(c) === family);
}

/** The families a source states. */
export function families(s: { cidrs: ParsedCIDR[] }): Set<4 | 6> {
  return new Set(s.cidrs.map(cidrFamily));
}

/** Where a source is described in a message: "kubeadm ClusterConfiguration networking.podSubnet (kubeadm.yaml:6)". */
export function describeSource(s: { origin: string; loc: Loc | null }, where: (l: Loc | null) => string): string {
  return s.loc ? `${s.origin} (${where(s.loc)})` : s.origin;
}
