/** The resolv.conf the kubelet hands to Default-policy pods (and so to CoreDNS's `forward . /etc/resolv.conf`), node by node. */
import type { ClusterModel, Loc, PodResolvConf, ResolvConfArtifact } from "../../model/types.js";
import type { ResolvNameserver } from "../../parsers/resolv-conf.js";
import { isLoopbackAddress } from "../../parsers/net.js";

export interface LoopbackResolvConf {
  node: string;
  /** How the kubelet picks the file (flag, config, default). */
  via: PodResolvConf;
  resolv: ResolvConfArtifact;
  /** Its loopback nameservers, in order (never empty): the resolver tries each, and inside a pod each is the pod itself. */
  loopbacks: ResolvNameserver[];
}

/** Nodes, by name, whose pod resolv.conf is in the input and names a loopback nameserver. */
export function loopbackPodResolvConfs(cluster: ClusterModel): LoopbackResolvConf[] {
  const out: LoopbackResolvConf[] = [];
  for (const node of [...cluster.nodes.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const via = node.podResolvConf;
    if (via.path === "") continue;
    const resolv = node.resolvConfs.get(via.path);
    if (!resolv) continue;
    const loopbacks = resolv.conf.nameservers.filter((n) => isLoopbackAddress(n.address));
    if (loopbacks.length) out.push({ node: node.name, via, resolv, loopbacks });
  }
  return out;
}

export function nameserverLoc(resolv: ResolvConfArtifact, ns: ResolvNameserver): Loc {
  return { file: resolv.file, start: ns.start, end: ns.end };
}
