import { defineRule } from "../../engine/rule.js";
import type { K8sObject } from "../../model/types.js";
import { where } from "../lib/locations.js";
import { missingFile, workloadName } from "./lib/describe.js";
import { provision, runnersOf } from "./lib/workload.js";

/** A ConfigMap key that holds a kubeconfig (`kind: Config`). */
function holdsKubeconfig(cm: K8sObject, key: string): boolean {
  const text = (cm.value.data as Record<string, unknown> | undefined)?.[key];
  return typeof text === "string" && (/^kind:[ \t]*["']?Config["']?[ \t]*$/m.test(text) || /"kind"\s*:\s*"Config"/.test(text));
}

export default defineRule({
  meta: { id: "kube-proxy/kubeconfig-not-mounted", severity: "error", summary: "clientConnection.kubeconfig names a file that no volume of the kube-proxy container provides" },
  check({ cluster, report }) {
    for (const cfg of cluster.kubeProxyConfigs) {
      const kubeconfig = (cfg.value.clientConnection as { kubeconfig?: unknown } | undefined)?.kubeconfig;
      if (typeof kubeconfig !== "string" || kubeconfig.trim() === "") continue;
      const loc = cfg.rangeAt(["clientConnection", "kubeconfig"]);
      if (!loc) continue;
      for (const r of runnersOf(cluster, cfg)) {
        // A --kubeconfig flag next to --config: which one wins depends on the release; stay quiet.
        if (r.source.flags.some((f) => f.name === "kubeconfig")) continue;
        const got = provision(cluster, r.object, r.container, kubeconfig);
        const missing = missingFile(cluster, r, kubeconfig, got, null, holdsKubeconfig);
        if (!missing) continue;
        report({
          loc,
          field: "clientConnection.kubeconfig",
          message: `clientConnection.kubeconfig ${kubeconfig} names a file the kube-proxy container of ${workloadName(r)} (${where(r.configLoc)}) does not get: ${missing.why}. kube-proxy cannot build its API client ("stat ${kubeconfig}: no such file or directory") and exits (CrashLoopBackOff)`,
          related: [...(r.configLoc ? [{ loc: r.configLoc, message: `${workloadName(r)} loads this config with --config` }] : []), ...missing.related],
        });
      }
    }
  },
});
