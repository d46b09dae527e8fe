import { defineRule } from "../../engine/rule.js";
import { where } from "../lib/locations.js";
import { inScope, scopeDir } from "../lib/scope.js";
import { detectLocalMode } from "./lib/cidrs.js";
import { checkedConfig } from "./lib/problems.js";

export default defineRule({
  meta: { id: "kube-proxy/cluster-cidr-missing", severity: "warning", summary: "detectLocalMode ClusterCIDR (the default) with an empty clusterCIDR: kube-proxy cannot tell pod traffic from other traffic" },
  check({ cluster, report }) {
    const peerFiles = cluster.kubeProxyConfigs.map((c) => c.object.file.path);
    for (const cfg of cluster.kubeProxyConfigs) {
      const mode = detectLocalMode(cfg);
      if (mode !== "ClusterCIDR") continue;
      const raw = cfg.value.clusterCIDR;
      if (raw !== undefined && raw !== null && (typeof raw !== "string" || raw.trim() !== "")) continue;
      // kubeadm fills an empty clusterCIDR from networking.podSubnet of the ClusterConfiguration it reads with it.
      const kubeadmFills = !cfg.configMap && cluster.kubeadmConfigs.some((k) => !k.configMap && k.object.file === cfg.object.file && typeof (k.value.networking as { podSubnet?: unknown } | undefined)?.podSubnet === "string" && ((k.value.networking as { podSubnet: string }).podSubnet.trim() !== ""));
      if (kubeadmFills) continue;
      // A misspelt clusterCIDR (`clusterCidr`) is kube-proxy/unknown-field's finding; the empty value is only its symptom.
      if (checkedConfig(cluster, cfg).problems.some((p) => p.kind === "unknown-field" && p.suggestion === "clusterCIDR" && !p.field.includes("."))) continue;
      const scope = scopeDir(cfg.object.file.path, peerFiles);
      const pod = cluster.facts.podCIDRs.filter((f) => !f.within && inScope(f.loc, scope));
      const hint = pod.length ? `set it to the pod CIDR ${pod.filter((f) => f.origin === pod[0]!.origin).map((f) => f.value).join(",")} (${pod[0]!.origin}${pod[0]!.loc ? `, ${where(pod[0]!.loc)}` : ""})` : "set it to the cluster's pod CIDR";
      const modeText = cfg.value.detectLocalMode === "ClusterCIDR" ? "detectLocalMode is ClusterCIDR" : "detectLocalMode is unset (ClusterCIDR)";
      report({
        loc: cfg.rangeAt(["clusterCIDR"]) ?? cfg.rangeAt(["detectLocalMode"]) ?? cfg.locate(["clusterCIDR"]),
        field: "clusterCIDR",
        message: `${modeText} but clusterCIDR is ${typeof raw === "string" ? "empty" : "not set"}: kube-proxy logs "Detect-local-mode set to ClusterCIDR, but no cluster CIDR defined" and uses a no-op local-traffic detector, so it cannot tell pod traffic from other traffic (pods reaching a LoadBalancer or external IP of an externalTrafficPolicy: Local Service are dropped on nodes without a local endpoint). ${hint[0]!.toUpperCase()}${hint.slice(1)}, or choose another detectLocalMode`,
        ...(pod[0]?.loc ? { related: [{ loc: pod[0].loc, message: `${pod[0].origin}: ${pod[0].value}` }] } : {}),
      });
    }
  },
});
