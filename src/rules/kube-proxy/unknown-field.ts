import { defineRule } from "../../engine/rule.js";
import { checkedConfig, problemLoc } from "./lib/problems.js";
import { REMOVED_KUBE_PROXY_FIELDS } from "./lib/schema.js";

export default defineRule({
  meta: { id: "kube-proxy/unknown-field", severity: "warning", summary: "A KubeProxyConfiguration field kube-proxy does not know: it is ignored, so the setting has no effect" },
  check({ cluster, report }) {
    for (const cfg of cluster.kubeProxyConfigs) {
      for (const p of checkedConfig(cluster, cfg).problems) {
        if (p.kind !== "unknown-field") continue;
        const removal = Object.hasOwn(REMOVED_KUBE_PROXY_FIELDS, p.field) ? REMOVED_KUBE_PROXY_FIELDS[p.field] : undefined;
        // A removed field gets its history, not a look-alike current field.
        const what = removal?.startsWith("removed") ? `${p.field} was ${removal}: kube-proxy no longer knows it; strict decoding fails and the value is ignored` : p.message;
        report({
          loc: problemLoc(cfg, p, "key"),
          field: p.field,
          message: `${what}. kube-proxy logs "using lenient decoding as strict decoding failed" and runs without this setting`,
        });
      }
    }
  },
});
