/**
 * Which CNI the cluster runs, beyond src/rules/lib/cni.ts: which vendors enforce NetworkPolicy, which
 * count as a primary pod network, and the combinations that are meant to run together.
 */
import type { ClusterModel, K8sObject, Loc } from "../../../model/types.js";
import { containers, getPath } from "../../../model/workloads.js";
import { deployedCnis, vendorOfPluginTypes, type CniVendor } from "../../lib/cni.js";

/** Vendors known NOT to enforce NetworkPolicy on their own. */
export const NO_POLICY_VENDORS: ReadonlySet<CniVendor> = new Set(["flannel", "bridge"]);

/** DaemonSets of policy-only engines that add enforcement to any CNI. */
const POLICY_ENGINE = /kube-network-policies|network-policy-agent|weave-npc/;

export function policyEngines(cluster: ClusterModel): K8sObject[] {
  return cluster.objects.filter((o) => o.kind === "DaemonSet" && POLICY_ENGINE.test(`${o.name} ${containers(o).map((c) => c.image).join(" ")}`));
}

/** The primary pod networks that multiple-cni compares (Canal is Calico policy on flannel, one CNI). */
export const PRIMARY_VENDORS: ReadonlySet<CniVendor> = new Set(["flannel", "calico", "canal", "cilium", "weave"]);

/** calico-node with CALICO_NETWORKING_BACKEND=none runs policy only (Canal-style, or on top of another CNI). */
export function calicoPolicyOnly(ds: K8sObject): boolean {
  for (const c of containers(ds)) {
    const env = Array.isArray(c.value.env) ? (c.value.env as unknown[]) : [];
    for (const e of env) {
      const entry = e as { name?: unknown; value?: unknown } | null;
      if (entry?.name === "CALICO_NETWORKING_BACKEND" && entry.value === "none") return true;
    }
  }
  return false;
}

/** Cilium chained on another CNI: cilium-config `cni-chaining-mode` (or the agent flag) other than none. */
export function ciliumChaining(cluster: ClusterModel, ds: K8sObject): string | null {
  for (const o of cluster.objects) {
    if (o.kind !== "ConfigMap" || o.name !== "cilium-config") continue;
    const mode = getPath(o.value, ["data", "cni-chaining-mode"]);
    if (typeof mode === "string" && mode !== "" && mode !== "none") return mode;
  }
  for (const c of containers(ds)) {
    for (const a of [...c.command, ...c.args]) {
      const m = /^--cni-chaining-mode=(.+)$/.exec(a);
      if (m && m[1] !== "none") return m[1]!;
    }
  }
  return null;
}

export interface ClusterCni {
  vendors: { vendor: CniVendor; evidence: string; object?: K8sObject; file?: { path: string }; loc?: Loc; enforcesPolicy?: boolean }[];
  source: "daemonsets" | "conf-dirs" | "declared" | "none";
}

/** The cluster's CNI: from the deployed DaemonSets (Multus aside), else from the active config of each conf dir. */
export function clusterCni(cluster: ClusterModel): ClusterCni {
  const deployed = deployedCnis(cluster).filter((d) => d.vendor !== "multus");
  if (deployed.length) {
    return { source: "daemonsets", vendors: deployed.map((d) => ({ vendor: d.vendor, evidence: `DaemonSet ${d.object.name}`, object: d.object })) };
  }
  const vendors: ClusterCni["vendors"] = [];
  for (const dir of cluster.cniConfDirs) {
    const chosen = dir.load.chosen;
    if (!chosen) continue;
    const vendor = vendorOfPluginTypes(chosen.pluginTypes);
    const artifact = dir.files.get(chosen.file);
    if (vendor && vendor !== "multus" && artifact) vendors.push({ vendor, evidence: `${artifact.file.path}, the config ${dir.runtime} uses`, file: artifact.file });
  }
  if (vendors.length) return { source: "conf-dirs", vendors };
  // What a distribution or chart declares (k3s's flannel, kind's kindnet, a Cilium HelmRelease): src/model/sources.
  for (const d of cluster.declaredCnis ?? []) {
    vendors.push({ vendor: d.vendor as CniVendor, evidence: d.origin, loc: d.loc, ...(d.enforcesPolicy ? { enforcesPolicy: true } : {}) });
  }
  return { source: vendors.length ? "declared" : "none", vendors };
}

/** Kinds an install manifest carries beside its DaemonSet (the CNI's config and identity). */
const INSTALL_KINDS = new Set(["ConfigMap", "ServiceAccount", "ClusterRole", "ClusterRoleBinding"]);

/** Whether the DaemonSet's file installs a whole CNI on its own (kube-flannel.yml, calico.yaml): the DaemonSet and its config or RBAC. */
export function wholeInstall(cluster: ClusterModel, ds: K8sObject): boolean {
  return cluster.objects.some((o) => o.file === ds.file && o !== ds && INSTALL_KINDS.has(o.kind));
}
