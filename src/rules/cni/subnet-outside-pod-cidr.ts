import { defineRule } from "../../engine/rule.js";
import type { Fact } from "../../model/types.js";
import { formatPath } from "../lib/config-problem.js";
import { where } from "../lib/locations.js";
import { cidrContains, cidrFamily, formatIP, parseCIDR, type ParsedCIDR } from "../../parsers/net.js";
import { hostLocalConfs } from "./lib/host-local.js";
import { nodeLoc } from "./lib/json.js";
import { pluginsOf } from "./lib/plugins.js";
import { agreeingRelated, describeVerdict, ownValue, podCidrVerdicts } from "../cluster/lib/odd-one-out.js";

const FLANNEL = /^flannel net-conf\.json Network/;

const norm = (c: ParsedCIDR) => `${formatIP(c.network)}/${c.prefix}`;

interface PodCidr {
  fact: Fact;
  cidr: ParsedCIDR;
}

function describe(list: PodCidr[]): string {
  return list.map((p) => `${norm(p.cidr)} (${p.fact.origin}, ${where(p.fact.loc)})`).join(", ");
}

export default defineRule({
  meta: { id: "cni/subnet-outside-pod-cidr", severity: "warning", summary: "The active CNI config's subnet, flannel's Network or a Calico pool does not fit the cluster's pod CIDR" },
  check({ cluster, report }) {
    // The cluster pod CIDR: sources that state all of it (kubeadm podSubnet, --cluster-cidr, facts), not the CNI's own view.
    const parsed = (facts: Fact[]) => facts.map((fact) => ({ fact, cidr: parseCIDR(fact.value, { sloppy: true }) })).filter((p): p is PodCidr => p.cidr !== null);
    const cluster4or6 = parsed(cluster.facts.podCIDRs.filter((f) => !f.within && !FLANNEL.test(f.origin)));
    if (cluster4or6.length === 0) return;
    const ofFamily = (c: ParsedCIDR) => cluster4or6.filter((p) => cidrFamily(p.cidr) === cidrFamily(c));
    const related = (list: PodCidr[]) => list.filter((p) => p.fact.loc).map((p) => ({ loc: p.fact.loc!, message: `${p.fact.origin}: ${p.fact.value}` }));

    // host-local ranges of the config each conf dir's runtime actually uses.
    for (const dir of cluster.cniConfDirs) {
      const chosen = dir.load.chosen;
      const artifact = chosen ? dir.files.get(chosen.file) : undefined;
      if (!artifact) continue;
      for (const conf of hostLocalConfs(pluginsOf(artifact))) {
        for (const r of conf.ranges) {
          const cidr = parseCIDR(r.subnet.value);
          if (!cidr) continue;
          const pod = ofFamily(cidr);
          if (pod.length === 0 || pod.some((p) => cidrContains(p.cidr, cidr))) continue;
          report({
            loc: nodeLoc(artifact, r.subnet.node),
            field: formatPath(r.subnet.path),
            message: `${artifact.result.file} is the config ${dir.runtime} uses${dir.node ? ` on ${dir.node}` : ""}, and its host-local subnet ${r.subnet.value} is not inside the cluster pod CIDR ${describe(pod)}: pods get addresses outside the node's podCIDR, pods on different nodes get the same IPs, and kube-proxy treats their traffic as external. Typical of a leftover bridge config: remove it, or let the CNI write its own`,
            related: related(pod),
          });
        }
      }
    }

    // flannel's Network and Calico's pool when they are the odd one out among the pod CIDR's sources (cluster/lib/odd-one-out.ts).
    const { claims, odd } = podCidrVerdicts(cluster);
    for (const claim of claims) {
      const v = odd.get(claim);
      if (!v || !claim.loc || (claim.kind !== "flannel" && claim.kind !== "calico" && claim.kind !== "cilium" && claim.kind !== "weave")) continue;
      // Two or more sources agree against it: this is the value to change.
      const severity = v.agreeing.length >= 2 ? { severity: "error" as const } : {};
      const effect = claim.kind === "flannel"
        ? "nodes get podCIDRs outside flannel's network (FLANNEL_SUBNET outside FLANNEL_NETWORK in /run/flannel/subnet.env), so flannel routes and masquerades pod traffic wrongly and cross-node pod traffic fails. Set Network to the pod CIDR"
        : `${/^(\w+)/.exec(claim.origin)?.[1] ?? "Calico"} hands out pod IPs that kube-proxy (clusterCIDR) and the node podCIDRs do not cover, so traffic between pods and Services is masqueraded or dropped. Set the pool inside the pod CIDR`;
      report({ loc: claim.loc, ...severity, message: `${claim.origin} ${ownValue(v)} ${describeVerdict(v, "cluster pod CIDR")}: ${effect}`, related: agreeingRelated(v) });
    }
  },
});
