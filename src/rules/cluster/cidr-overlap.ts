import { defineRule } from "../../engine/rule.js";
import type { K8sObject, Loc } from "../../model/types.js";
import { getPath } from "../../model/workloads.js";
import { where } from "../lib/locations.js";
import { cidrContains, cidrOverlaps, parseIP, type ParsedCIDR } from "../../parsers/net.js";
import { activeBridgeSubnets } from "./lib/cni.js";
import { describeSource, normCidr, podCidrSources, serviceCidrSources, type CidrSource } from "./lib/facts.js";
import { Scopes, type ScopedSource } from "./lib/scope.js";

const RANK: Record<string, number> = { kubeadm: 0, "kube-controller-manager": 1, "kube-apiserver": 1, facts: 2, flannel: 3, node: 4, calico: 5 };
const byRank = (a: CidrSource, b: CidrSource) => (RANK[a.kind] ?? 9) - (RANK[b.kind] ?? 9) || (a.file ?? "").localeCompare(b.file ?? "");

interface NodeAddress extends ScopedSource {
  node: K8sObject;
  address: string;
  loc: Loc;
}

function nodeAddresses(objects: readonly K8sObject[]): NodeAddress[] {
  const out: NodeAddress[] = [];
  for (const node of objects) {
    if (node.kind !== "Node") continue;
    const list = getPath(node.value, ["status", "addresses"]);
    if (!Array.isArray(list)) continue;
    list.forEach((a, i) => {
      const entry = a as { type?: unknown; address?: unknown } | null;
      if (entry?.type !== "InternalIP" || typeof entry.address !== "string" || !parseIP(entry.address, { sloppy: true })) return;
      out.push({ kind: "node", file: node.file.path, node, address: entry.address, loc: node.rangeAt(["status", "addresses", i, "address"]) ?? node.loc });
    });
  }
  return out;
}

/**
 * The sources that speak for a range: those that state exactly it (kubeadm, the controller manager,
 * the config file's facts), else flannel's Network (a range that holds the pod CIDR), else the
 * partial ones (node podCIDRs, Calico pools).
 */
function representatives(sources: CidrSource[]): CidrSource[] {
  const tiers = [sources.filter((s) => !s.within && s.kind !== "flannel"), sources.filter((s) => s.kind === "flannel"), sources.filter((s) => s.within)];
  return (tiers.find((t) => t.length) ?? []).sort(byRank);
}

export default defineRule({
  meta: { id: "cluster/cidr-overlap", severity: "error", summary: "The pod CIDR overlaps the service CIDR, or either overlaps a node address or an active CNI bridge subnet" },
  check({ cluster, report }) {
    const pods = representatives(podCidrSources(cluster));
    const services = representatives(serviceCidrSources(cluster));
    const addresses = nodeAddresses(cluster.objects);
    const bridges = activeBridgeSubnets(cluster);
    const scopes = new Scopes([...pods, ...services, ...addresses, ...bridges]);
    const done = new Set<string>();
    const once = (key: string) => (done.has(key) ? false : (done.add(key), true));

    for (const p of pods) {
      for (const pc of p.cidrs) {
        for (const s of services) {
          if (!scopes.together(p, s)) continue;
          for (const sc of s.cidrs) {
            if (!cidrOverlaps(pc, sc) || !once(`ps|${normCidr(pc)}|${normCidr(sc)}`)) continue;
            const at = p.loc ?? s.loc;
            if (!at) continue;
            report({
              loc: at,
              message: `the pod CIDR ${normCidr(pc)} (${p.origin}) overlaps the service CIDR ${normCidr(sc)} stated by ${describeSource(s, where)}: pods and Service ClusterIPs get addresses from the same range, so traffic to such a pod is captured by kube-proxy's Service rules and Services become unreachable from pods. Use disjoint ranges (for example podSubnet 10.244.0.0/16 with kubeadm's default serviceSubnet 10.96.0.0/12)`,
              related: s.loc && p.loc ? [{ loc: s.loc, message: `${s.origin}: ${normCidr(sc)}` }] : [],
            });
          }
        }
      }
    }

    const ranges: { src: CidrSource; cidr: ParsedCIDR; what: string }[] = [
      ...pods.flatMap((src) => src.cidrs.map((cidr) => ({ src, cidr, what: "pod CIDR" }))),
      ...services.flatMap((src) => src.cidrs.map((cidr) => ({ src, cidr, what: "service CIDR" }))),
    ];
    for (const { src, cidr, what } of ranges) {
      const inside = addresses.filter((a) => scopes.together(src, a) && cidrContains(cidr, a.address));
      const at = src.loc ?? inside[0]?.loc;
      if (!inside.length || !at || !once(`na|${what}|${normCidr(cidr)}`)) continue;
      const names = inside.map((a) => `${a.node.name} ${a.address}`).join(", ");
      report({
        loc: at,
        message: `the ${what} ${normCidr(cidr)} (${src.origin}) holds the InternalIP of node ${names} (${where(inside[0]!.loc)}): routes for the ${what} capture traffic to the node, so pods cannot reach it (and the API server or kubelet behind it); choose a ${what} disjoint from the node network`,
        related: inside.map((a) => ({ loc: a.loc, message: `node ${a.node.name} InternalIP ${a.address}` })),
      });
    }

    for (const b of bridges) {
      for (const s of services) {
        if (!scopes.together(b, s)) continue;
        for (const sc of s.cidrs) {
          if (!cidrOverlaps(b.cidr, sc) || !once(`bs|${b.label}|${b.value}|${normCidr(sc)}`)) continue;
          report({
            loc: b.loc,
            message: `the active CNI config ${b.label} hands pods addresses from ${b.value}, which overlaps the service CIDR ${normCidr(sc)} stated by ${describeSource(s, where)}: pod IPs collide with Service ClusterIPs and kube-proxy's rules capture their traffic; give the bridge a subnet inside the pod CIDR`,
            related: s.loc ? [{ loc: s.loc, message: `${s.origin}: ${normCidr(sc)}` }] : [],
          });
        }
      }
    }
  },
});
