import { defineRule } from "../../engine/rule.js";
import type { Loc } from "../../model/types.js";
import { cniFileLoc } from "../lib/cni.js";
import { where } from "../lib/locations.js";
import { clusterCni, NO_POLICY_VENDORS, policyEngines } from "./lib/vendors.js";

export default defineRule({
  meta: { id: "cni/network-policy-unenforced", severity: "warning", summary: "NetworkPolicy objects exist but the cluster's CNI does not enforce them" },
  check({ cluster, report }) {
    const policies = cluster.objects.filter((o) => o.kind === "NetworkPolicy" && o.apiVersion.startsWith("networking.k8s.io/"));
    if (policies.length === 0) return;
    const cni = clusterCni(cluster);
    if (cni.vendors.length === 0) return;
    // Only a CNI known not to enforce policy is reported: Calico, Canal, Cilium, Weave, Antrea, kube-router and unknown ones are not.
    if (!cni.vendors.every((v) => NO_POLICY_VENDORS.has(v.vendor) && !v.enforcesPolicy)) return;
    if (policyEngines(cluster).length) return;
    const names = [...new Set(cni.vendors.map((v) => v.vendor))];
    const evidence = cni.vendors.map((v) => {
      let loc: Loc | undefined = v.loc;
      if (v.object) loc = v.object.rangeAt(["metadata", "name"]) ?? v.object.loc;
      else if (v.file) {
        const dir = cluster.cniConfDirs.find((d) => [...d.files.values()].some((a) => a?.file === v.file));
        const artifact = dir ? [...dir.files.values()].find((a) => a?.file === v.file) : undefined;
        if (artifact) loc = cniFileLoc(artifact);
      }
      return { v, loc };
    });
    const first = evidence[0]!;
    const from = cni.source === "daemonsets" ? `deploys ${names.join(" and ")} (${first.v.evidence}${first.loc ? `, ${where(first.loc)}` : ""})` : `runs ${names.join(" and ")} (${first.v.evidence})`;
    const why = names.includes("flannel") ? "flannel only routes pod traffic and implements no NetworkPolicy" : "a plain bridge/host-local network implements no NetworkPolicy";
    for (const p of policies) {
      report({
        loc: p.rangeAt(["metadata", "name"]) ?? p.loc,
        message: `NetworkPolicy ${p.namespace ? `${p.namespace}/` : ""}${p.name} is never enforced: the cluster ${from}, and ${why}; the API server accepts the policy and every pod stays reachable. Add a policy engine (Calico policy-only as in Canal, Cilium chaining, kube-network-policies) or move to a CNI that enforces policies`,
        related: evidence.filter((e) => e.loc).map((e) => ({ loc: e.loc!, message: `${e.v.evidence}: ${e.v.vendor}` })),
      });
    }
  },
});
