import { defineRule } from "../../engine/rule.js";
import { agreeingRelated, describeVerdict, ownValue, podCidrVerdicts } from "../cluster/lib/odd-one-out.js";

export default defineRule({
  meta: { id: "kube-proxy/cluster-cidr-mismatch", severity: "error", summary: "kube-proxy's clusterCIDR differs from the cluster's pod CIDR" },
  check({ cluster, report }) {
    // The odd one out is blamed (cluster/lib/odd-one-out.ts): kube-proxy only when the other sources do not agree with it.
    const { claims, odd } = podCidrVerdicts(cluster);
    for (const claim of claims) {
      const v = odd.get(claim);
      if (claim.kind !== "kube-proxy" || !v || !claim.loc) continue;
      const cfg = cluster.kubeProxyConfigs.find((c) => c.object.file.path === claim.file && (c.rangeAt(["clusterCIDR"]) ?? c.locate(["clusterCIDR"])).start === claim.loc!.start);
      // Only detectLocalMode ClusterCIDR (the default) uses clusterCIDR; under the other modes a wrong value waits for a mode change.
      const modeValue = cfg?.value.detectLocalMode;
      const mode = typeof modeValue === "string" && modeValue !== "" ? modeValue : "ClusterCIDR";
      const unused = mode !== "ClusterCIDR" ? ` (detectLocalMode ${mode} does not use clusterCIDR today, so this bites only when the mode changes)` : "";
      report({
        loc: claim.loc,
        field: "clusterCIDR",
        ...(unused ? { severity: "warning" as const } : {}),
        message: `kube-proxy clusterCIDR ${ownValue(v)} ${describeVerdict(v, "pod CIDR")}${unused}. kube-proxy then misjudges which traffic is pod-local: wrong masquerading, broken NodePorts and source IPs`,
        related: agreeingRelated(v),
      });
    }
  },
});
