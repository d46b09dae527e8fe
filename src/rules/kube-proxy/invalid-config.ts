import { defineRule } from "../../engine/rule.js";
import { checkedConfig, problemLoc } from "./lib/problems.js";

export default defineRule({
  meta: { id: "kube-proxy/invalid-config", severity: "error", summary: "A KubeProxyConfiguration value that kube-proxy's own validation rejects (after its defaulting): kube-proxy exits" },
  check({ cluster, report }) {
    for (const cfg of cluster.kubeProxyConfigs) {
      const { problems, platform, version } = checkedConfig(cluster, cfg);
      // One finding per field: several problems of one field (two unknown gates) share it.
      const byField = new Map<string, typeof problems>();
      for (const p of problems) {
        if (p.kind !== "invalid") continue;
        const list = byField.get(p.field) ?? [];
        list.push(p);
        byField.set(p.field, list);
      }
      for (const [field, list] of byField) {
        const context = [platform === "windows" ? "Windows" : "", version ? `kube-proxy ${version.version} (${version.origin})` : ""].filter(Boolean).join(", ");
        report({
          loc: problemLoc(cfg, list[0]!),
          field,
          message: `${list.map((p) => p.message).join("; ")}: kube-proxy's validation rejects the config and it exits at start (CrashLoopBackOff)${context ? ` [checked for ${context}]` : ""}`,
        });
      }
    }
  },
});
