import { defineRule } from "../../engine/rule.js";
import { commandLine, corednsWorkloads, sameNamespace } from "./lib/workload.js";
import { containers } from "../../model/workloads.js";
import type { ClusterModel, K8sObject } from "../../model/types.js";

/** A cluster-proportional-autoscaler (kubeadm's dns-autoscaler, AKS's coredns-autoscaler) that sets this Deployment's replicas. */
function autoscaler(cluster: ClusterModel, deployment: K8sObject): K8sObject | undefined {
  return cluster.objects.find((o) => {
    if (o.kind !== "Deployment" || o === deployment || !sameNamespace(o, deployment)) return false;
    return containers(o).some((c) => {
      const words = commandLine(c).map((x) => x.word);
      const target = words.map((x, i) => (/^--target(=|$)/.test(x) ? (x.includes("=") ? x.slice(x.indexOf("=") + 1) : words[i + 1] ?? "") : null)).find((x) => x !== null);
      return !!target && target.toLowerCase() === `deployment/${deployment.name}`.toLowerCase();
    });
  });
}

export default defineRule({
  meta: { id: "coredns/single-replica", severity: "info", advisory: true, summary: "One CoreDNS replica: a DNS outage at every node drain" },
  check({ cluster, report }) {
    for (const w of corednsWorkloads(cluster)) {
      if (w.object.kind !== "Deployment") continue;
      const labels = (w.object.value.metadata as Record<string, unknown> | undefined)?.labels as Record<string, unknown> | undefined;
      const replicas = (w.object.value.spec as Record<string, unknown> | undefined)?.replicas;
      if (replicas !== undefined && replicas !== 1) continue;
      if (autoscaler(cluster, w.object)) continue;
      if (replicas === undefined) {
        // The cluster addon (addon-manager) leaves replicas to the DNS horizontal autoscaler by design.
        if (labels && "addonmanager.kubernetes.io/mode" in labels) continue;
        report({
          loc: w.object.locate(["spec"], "key"),
          message: `Deployment ${w.object.name} sets no replicas, so it runs one CoreDNS pod: every drain or restart of its node is a cluster-wide DNS outage. Set replicas: 2 or more (with pod anti-affinity), or scale it with the DNS horizontal autoscaler`,
        });
        continue;
      }
      report({
        loc: w.object.locate(["spec", "replicas"]),
        message: `Deployment ${w.object.name} runs one CoreDNS replica: every drain or restart of its node is a cluster-wide DNS outage. Set replicas: 2 or more (with pod anti-affinity), or scale it with the DNS horizontal autoscaler`,
      });
    }
  },
});
