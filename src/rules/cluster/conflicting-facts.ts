import { defineRule } from "../../engine/rule.js";
import { agreeingRelated, describeVerdict, ownValue, podCidrVerdicts, serviceCidrVerdicts } from "./lib/odd-one-out.js";

/** The sources this rule owns (kube-proxy's clusterCIDR, flannel's Network and Calico pools are other rules' findings). */
const POD_KINDS = new Set(["kubeadm", "kube-controller-manager", "distribution", "facts", "node"]);

const EFFECT: Record<string, string> = {
  "pod CIDR": "node podCIDRs, the CNI's routes and kube-proxy's notion of pod traffic then disagree: pods get addresses outside the routed range, cross-node traffic and masquerading break",
  "service CIDR": "Service IPs are allocated from one range while the other components assume another: ClusterIPs outside the range the controllers and proxies expect, broken Service routing",
};

export default defineRule({
  meta: { id: "cluster/conflicting-facts", severity: "error", summary: "The same cluster fact (pod CIDR, service CIDR) stated differently in two sources" },
  check({ cluster, report }) {
    // The odd one out is blamed, naming who agrees; a tie goes to the more authoritative source (lib/odd-one-out.ts).
    const facts = [
      { what: "pod CIDR", ...podCidrVerdicts(cluster), owns: (k: string) => POD_KINDS.has(k) },
      { what: "service CIDR", ...serviceCidrVerdicts(cluster), owns: () => true },
    ];
    for (const { what, claims, odd, owns } of facts) {
      for (const s of claims) {
        const v = odd.get(s);
        if (!v || !owns(s.kind)) continue;
        // The config file's facts have no place in the input: the finding goes to a source that disagrees with them.
        const at = s.loc ?? v.agreeing.find((a) => a.loc)?.loc;
        if (!at) continue;
        report({
          loc: at,
          message: `${s.origin} ${ownValue(v)} ${describeVerdict(v, what)}: ${EFFECT[what]}. Make the sources agree`,
          related: s.loc ? agreeingRelated(v) : [],
        });
      }
    }
  },
});
