import { defineRule } from "../../engine/rule.js";
import { checkedConfig, problemLoc } from "./lib/problems.js";

export default defineRule({
  meta: { id: "kube-proxy/wrong-type", severity: "error", summary: "A KubeProxyConfiguration value of the wrong type (`featureGates: \"\"`): kube-proxy cannot decode the file and exits" },
  check({ cluster, report }) {
    for (const cfg of cluster.kubeProxyConfigs) {
      for (const p of checkedConfig(cluster, cfg).problems) {
        if (p.kind !== "wrong-type") continue;
        report({
          loc: problemLoc(cfg, p),
          field: p.field,
          message: `${p.message}: kube-proxy cannot decode the config and exits at start (CrashLoopBackOff)`,
        });
      }
    }
  },
});
