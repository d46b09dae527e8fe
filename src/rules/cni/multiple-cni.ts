import { defineRule } from "../../engine/rule.js";
import type { K8sObject } from "../../model/types.js";
import { deployedCnis, type CniVendor } from "../lib/cni.js";
import { where } from "../lib/locations.js";
import { calicoPolicyOnly, ciliumChaining, PRIMARY_VENDORS, wholeInstall } from "./lib/vendors.js";

export default defineRule({
  meta: { id: "cni/multiple-cni", severity: "warning", summary: "The manifests deploy more than one primary CNI" },
  check({ cluster, report }) {
    const primaries: { vendor: CniVendor; object: K8sObject }[] = [];
    for (const d of deployedCnis(cluster)) {
      if (!PRIMARY_VENDORS.has(d.vendor)) continue;
      // Calico without its own networking (CALICO_NETWORKING_BACKEND=none) enforces policy on top of another CNI.
      if (d.vendor === "calico" && calicoPolicyOnly(d.object)) continue;
      // Cilium chained on another CNI (cni-chaining-mode) does not set up the pod network itself.
      if (d.vendor === "cilium" && ciliumChaining(cluster, d.object)) continue;
      primaries.push(d);
    }
    // Two files that each install a whole CNI (the DaemonSet with its ConfigMap, ServiceAccount or RBAC) are
    // alternatives a project offers (calico.yaml, canal.yaml), not one cluster's: only pairs that are not are counted.
    const together = (a: K8sObject, b: K8sObject) => a.file === b.file || !(wholeInstall(cluster, a) && wholeInstall(cluster, b));
    const kept = primaries.filter((p) => primaries.some((q) => q.vendor !== p.vendor && together(p.object, q.object)));
    const byVendor = new Map<CniVendor, K8sObject>();
    for (const p of kept) if (!byVendor.has(p.vendor)) byVendor.set(p.vendor, p.object);
    // Canal (Calico policy on flannel) is one vendor; a canal DaemonSet next to flannel's own is still two pod networks.
    const vendors = [...byVendor.keys()];
    if (vendors.length < 2) return;
    const [firstVendor, firstObject] = [...byVendor.entries()][0]!;
    const firstLoc = firstObject.rangeAt(["metadata", "name"]) ?? firstObject.loc;
    for (const [vendor, object] of [...byVendor.entries()].slice(1)) {
      report({
        loc: object.rangeAt(["metadata", "name"]) ?? object.loc,
        message: `DaemonSet ${object.name} deploys ${vendor}, but the cluster also deploys ${firstVendor} (DaemonSet ${firstObject.name}, ${where(firstLoc)}): each installs its own CNI config and IPAM on every node, the runtime uses only the config that sorts first, and the two hand out overlapping pod IPs (duplicate IPs, pods unreachable across nodes). Remove one, or combine them the supported way (Canal, Cilium chaining, Multus)`,
        related: [{ loc: firstLoc, message: `DaemonSet ${firstObject.name}: ${firstVendor}` }],
      });
    }
  },
});
