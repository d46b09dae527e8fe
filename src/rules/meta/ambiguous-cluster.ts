import { defineRule } from "../../engine/rule.js";
import type { Loc } from "../../model/types.js";
import { where } from "../lib/locations.js";

export default defineRule({
  meta: { id: "meta/ambiguous-cluster", severity: "warning", summary: "Two candidates for one singleton (CoreDNS Corefile, kube-proxy config, kubeadm config) in one cluster" },
  check({ cluster, report }) {
    const groups: { what: string; items: { loc: Loc; label: string }[] }[] = [
      {
        what: "CoreDNS ConfigMaps",
        items: cluster.corefiles
          .filter((c) => c.configMap && (c.deployment || c.configMap.name === "coredns"))
          .map((c) => ({ loc: c.configMap!.rangeAt(["metadata", "name"]) ?? c.configMap!.loc, label: `ConfigMap ${c.configMap!.namespace ? c.configMap!.namespace + "/" : ""}${c.configMap!.name}` })),
      },
      {
        what: "kube-proxy configurations",
        items: cluster.kubeProxyConfigs.filter((c) => !c.node).map((c) => ({ loc: c.rangeAt(["kind"]) ?? c.object.loc, label: c.configMap ? `ConfigMap ${c.configMap.name} key ${c.key}` : "KubeProxyConfiguration" })),
      },
      {
        what: "kubeadm ClusterConfigurations",
        items: cluster.kubeadmConfigs.map((c) => ({ loc: c.rangeAt(["kind"]) ?? c.object.loc, label: c.configMap ? `ConfigMap ${c.configMap.name} key ${c.key}` : "ClusterConfiguration" })),
      },
    ];
    for (const g of groups) {
      if (g.items.length < 2) continue;
      const [first, ...rest] = g.items;
      for (const item of rest) {
        report({
          loc: item.loc,
          message: `cluster "${cluster.name}" has ${g.items.length} ${g.what}: ${item.label} here and ${first!.label} at ${where(first!.loc)}${g.items.length > 2 ? " and others" : ""}; each is checked against the sources in its own directory. If they belong to different clusters, list them under \`clusters:\` in .kube-netlint.yaml`,
          related: [{ loc: first!.loc, message: `the other candidate: ${first!.label}` }],
        });
      }
    }
  },
});
