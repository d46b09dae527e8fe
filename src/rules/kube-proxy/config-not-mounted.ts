import { defineRule } from "../../engine/rule.js";
import type { K8sObject } from "../../model/types.js";
import { missingFile, workloadName } from "./lib/describe.js";
import { kubeProxyRunners } from "./lib/workload.js";

export default defineRule({
  meta: { id: "kube-proxy/config-not-mounted", severity: "error", summary: "The kube-proxy DaemonSet's --config path is not provided by the ConfigMap mounted there, or that ConfigMap does not exist" },
  check({ cluster, report }) {
    const runners = kubeProxyRunners(cluster);
    for (const r of runners) {
      if (!r.configFlag?.value || !r.configFile || !r.configLoc) continue;
      const file = r.configFlag.value;
      // A ConfigMap in the input that holds a KubeProxyConfiguration but is not the one mounted.
      const other = cluster.kubeProxyConfigs.find((k) => k.configMap && (r.configFile!.kind !== "configmap-absent" || k.configMap.name !== r.configFile!.configMapName))?.configMap ?? null;
      const holdsConfig = (cm: K8sObject, key: string) => cluster.kubeProxyConfigs.some((k) => k.configMap === cm && k.key === key);
      const missing = missingFile(cluster, r, file, r.configFile, other, holdsConfig);
      if (!missing) continue;
      report({
        loc: r.configLoc,
        message: `kube-proxy --config=${file} (${workloadName(r)}) names a file the container does not get: ${missing.why}. kube-proxy exits at start with "open ${file}: no such file or directory" (CrashLoopBackOff)`,
        related: missing.related,
      });
    }
  },
});
