import { defineRule } from "../../engine/rule.js";
import { where } from "../lib/locations.js";
import { cidrContains, cidrFamily } from "../lib/net.js";
import { cidrText, describeSource, families, normCidr, ofFamily, podCidrSources, serviceCidrSources, type CidrSource } from "./lib/facts.js";
import { Scopes } from "./lib/scope.js";

/**
 * Which source is the reference when two disagree (lower first); the other one is reported. kubeadm
 * generates the control-plane flags from its networking section; the apiserver allocates Service IPs.
 */
// flannel's Network and Calico's pools are cni/subnet-outside-pod-cidr's (RULES.md), not stated facts of their own here.
const POD_RANK: Record<string, number> = { kubeadm: 0, "kube-controller-manager": 1, distribution: 1.5, facts: 2, node: 3 };
const SERVICE_RANK: Record<string, number> = { kubeadm: 0, "kube-apiserver": 1, "kube-controller-manager": 2, distribution: 2.5, facts: 3 };

type Verdict = { ok: true } | { ok: false; why: string };

/** How `s` must relate to the reference: the same ranges, or a part of it (a node's podCIDR). */
function compare(s: CidrSource, ref: CidrSource, what: string): Verdict | null {
  const shared = [...families(s)].filter((f) => families(ref).has(f));
  if (shared.length === 0) return null;
  const refText = (f: 4 | 6) => ofFamily(ref, f).map(normCidr).join(",");
  if (s.within) {
    const outside = s.cidrs.filter((c) => shared.includes(cidrFamily(c)) && !ofFamily(ref, cidrFamily(c)).some((r) => cidrContains(r, c)));
    return outside.length ? { ok: false, why: `${outside.map(normCidr).join(",")} is not inside the ${what} ${refText(cidrFamily(outside[0]!))}` } : { ok: true };
  }
  for (const f of shared) {
    const mine = new Set(ofFamily(s, f).map(normCidr));
    const theirs = new Set(ofFamily(ref, f).map(normCidr));
    if (mine.size !== theirs.size || [...mine].some((c) => !theirs.has(c))) return { ok: false, why: `${[...mine].join(",")} differs from the ${what} ${[...theirs].join(",")}` };
  }
  return { ok: true };
}

const EFFECT: Record<string, string> = {
  "pod CIDR": "node podCIDRs, the CNI's routes and kube-proxy's notion of pod traffic then disagree: pods get addresses outside the routed range, cross-node traffic and masquerading break",
  "service CIDR": "Service IPs are allocated from one range while the other components assume another: ClusterIPs outside the range the controllers and proxies expect, broken Service routing",
};

export default defineRule({
  meta: { id: "cluster/conflicting-facts", severity: "error", summary: "The same cluster fact (pod CIDR, service CIDR) stated differently in two sources" },
  check({ cluster, report }) {
    const facts: { what: string; sources: CidrSource[]; rank: Record<string, number> }[] = [
      { what: "pod CIDR", sources: podCidrSources(cluster).filter((s) => s.kind in POD_RANK), rank: POD_RANK },
      { what: "service CIDR", sources: serviceCidrSources(cluster).filter((s) => s.kind in SERVICE_RANK), rank: SERVICE_RANK },
    ];
    for (const { what, sources, rank } of facts) {
      const order = [...sources].sort((a, b) => rank[a.kind]! - rank[b.kind]! || (a.file ?? "").localeCompare(b.file ?? "") || (a.loc?.start ?? 0) - (b.loc?.start ?? 0));
      const scopes = new Scopes(order);
      order.forEach((s, i) => {
        // A part of the range (a node's podCIDR) is never a reference; two candidates of one kind are meta/ambiguous-cluster's.
        const ref = order.slice(0, i).find((r) => !r.within && r.kind !== s.kind && scopes.together(s, r) && compare(s, r, what) !== null);
        if (!ref) return;
        const verdict = compare(s, ref, what)!;
        if (verdict.ok) return;
        const at = s.loc ?? ref.loc;
        if (!at) return;
        report({
          loc: at,
          message: `${s.origin} ${verdict.why} stated by ${describeSource(ref, where)}: ${EFFECT[what]}. Make the sources agree`,
          related: s.loc && ref.loc ? [{ loc: ref.loc, message: `${ref.origin}: ${cidrText(ref)}` }] : [],
        });
      });
    }
  },
});
