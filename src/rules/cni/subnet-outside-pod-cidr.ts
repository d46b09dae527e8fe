import { defineRule } from "../../engine/rule.js";
import type { Fact } from "../../model/types.js";
import { formatPath } from "../lib/config-problem.js";
import { where } from "../lib/locations.js";
import { cidrContains, cidrFamily, formatIP, parseCIDR, type ParsedCIDR } from "../lib/net.js";
import { hostLocalConfs } from "./lib/host-local.js";
import { nodeLoc } from "./lib/json.js";
import { pluginsOf } from "./lib/plugins.js";

const FLANNEL = /^flannel net-conf\.json Network/;
// A CNI's own pool: Calico (env, Installation, IPPool), Cilium's cluster-pool, Weave's IPALLOC_RANGE (src/model/sources).
const CALICO = /^(Calico|Cilium|Weave)('s)? /;

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

    for (const f of cluster.facts.podCIDRs) {
      if (!f.loc) continue;
      const cidr = parseCIDR(f.value, { sloppy: true });
      if (!cidr) continue;
      const pod = ofFamily(cidr);
      if (pod.length === 0) continue;
      if (FLANNEL.test(f.origin)) {
        // With --kube-subnet-mgr flannel takes each node's podCIDR, which comes from the pod CIDR: it must lie inside Network.
        if (pod.some((p) => cidrContains(cidr, p.cidr))) continue;
        report({
          loc: f.loc,
          message: `${f.origin} ${f.value} does not contain the cluster pod CIDR ${describe(pod)}: nodes get podCIDRs outside flannel's network (FLANNEL_SUBNET outside FLANNEL_NETWORK in /run/flannel/subnet.env), so flannel routes and masquerades pod traffic wrongly and cross-node pod traffic fails. Set Network to the pod CIDR`,
          related: related(pod),
        });
      } else if (CALICO.test(f.origin)) {
        if (pod.some((p) => cidrContains(p.cidr, cidr))) continue;
        report({
          loc: f.loc,
          message: `${f.origin} ${f.value} is not inside the cluster pod CIDR ${describe(pod)}: ${/^(\w+)/.exec(f.origin)![1]!.replace(/'s$/, "")} hands out pod IPs that kube-proxy (clusterCIDR) and the node podCIDRs do not cover, so traffic between pods and Services is masqueraded or dropped. Set the pool inside the pod CIDR`,
          related: related(pod),
        });
      }
    }
  },
});
