/**
 * The cluster domain as a vote (cluster/lib/odd-one-out.ts): every kubelet's clusterDomain, each
 * CoreDNS Corefile's kubernetes zones, kubeadm's networking.dnsDomain. On a tie kubeadm decides (it
 * renders both the kubelet config and the Corefile), then CoreDNS (it serves the zone), then the kubelet.
 */
import type { RuleReport } from "../../../engine/rule.js";
import type { Loc } from "../../../model/types.js";
import { majority } from "../../cluster/lib/odd-one-out.js";
import { normDomain, type KubernetesZone } from "../../cluster/lib/dns.js";
import { where } from "../../lib/locations.js";

interface Setting {
  value: string;
  loc: Loc;
}
interface Kubeadm {
  value: string;
  loc: Loc;
}
type Voter = { kind: "kubelet"; s: Setting } | { kind: "corefile"; zones: KubernetesZone[] } | { kind: "kubeadm"; k: Kubeadm };

const describe = (v: Voter) =>
  v.kind === "kubelet" ? `the kubelet's clusterDomain (${where(v.s.loc)})` : v.kind === "kubeadm" ? `kubeadm's networking.dnsDomain (${where(v.k.loc)})` : `CoreDNS's kubernetes zone (${where(v.zones[0]!.loc)})`;

/**
 * The vote among one peer set: null when there is no majority; else the kubelet settings that side
 * with it, and the findings for the Corefiles and kubeadm configs that do not (reported only when a
 * kubelet of the majority is being checked; a kubelet that is the odd one out is the rule's usual finding).
 */
export function domainVote(kubelets: Setting[], corefiles: KubernetesZone[][], kubeadm: Kubeadm[]): { agreeing: Set<Setting>; reports: RuleReport[] } | null {
  const voters: Voter[] = [...kubelets.map((s): Voter => ({ kind: "kubelet", s })), ...corefiles.map((zones): Voter => ({ kind: "corefile", zones })), ...kubeadm.map((k): Voter => ({ kind: "kubeadm", k }))];
  const rank = { kubeadm: 0, corefile: 1, kubelet: 2 };
  const proposes = (v: Voter) => (v.kind === "kubelet" ? normDomain(v.s.value) : v.kind === "kubeadm" ? normDomain(v.k.value) : normDomain(v.zones.find((z) => !/\.arpa\.?$/i.test(z.zone))?.zone ?? v.zones[0]!.zone));
  const agrees = (v: Voter, d: string) => (v.kind === "corefile" ? v.zones.some((z) => normDomain(z.zone) === d) : proposes(v) === d);
  const best = majority(voters.map((voter) => ({ voter, proposes: proposes(voter), rank: rank[voter.kind] })), agrees);
  if (!best) return null;
  const named = best.agreeing.slice(0, 3);
  const who = named.map(describe).join(" and ") + (best.agreeing.length > named.length ? ` and ${best.agreeing.length - named.length} other sources` : "");
  const related = named.map((a) => ({ loc: a.kind === "kubelet" ? a.s.loc : a.kind === "kubeadm" ? a.k.loc : a.zones[0]!.loc, message: describe(a) }));
  const agreeing = new Set(best.agreeing);
  const reports: RuleReport[] = [];
  for (const v of voters) {
    if (agreeing.has(v)) continue;
    if (v.kind === "corefile") {
      reports.push({
        loc: v.zones[0]!.loc,
        message: `CoreDNS's kubernetes plugin serves ${v.zones.map((x) => x.zone).join(" ")}, but the cluster domain is ${best.value}: ${who} say so. Pods search ${best.value} and get NXDOMAIN for every Service name (kubernetes.default.svc.${best.value}); make the kubernetes plugin's zone ${best.value}`,
        related,
      });
    } else if (v.kind === "kubeadm") {
      reports.push({
        loc: v.k.loc,
        message: `kubeadm's networking.dnsDomain ${v.k.value} differs from the cluster domain ${best.value} that ${who} state: kubeadm renders the kubelet config and CoreDNS's kubernetes zone from it, so the next kubeadm upgrade or join brings ${v.k.value} back; use ${best.value}`,
        related,
      });
    }
  }
  return { agreeing: new Set(best.agreeing.flatMap((v) => (v.kind === "kubelet" ? [v.s] : []))), reports };
}
