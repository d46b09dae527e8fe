/**
 * What a snapshot run could not check, for want of which input, and how to get it. A cluster-info
 * dump holds no ConfigMaps and no node files: without this notice a dump of a broken cluster would
 * pass with no output and no word that nothing was looked at.
 */
import path from "node:path";
import type { ClusterModel } from "../types.js";

export interface CoverageGap {
  /** The snapshot (cluster) name. */
  cluster: string;
  /** What the snapshot lacks. */
  missing: "node files" | "ConfigMaps" | "Pod status";
  /** The checks that could not run, in words. */
  notChecked: string;
  /** The rules those checks belong to. */
  rules: string[];
  /** How to get the input. */
  how: string;
}

export type SnapshotLayout = "collect" | "cluster-info-dump" | "support-bundle";

export function snapshotLayout(cluster: ClusterModel): SnapshotLayout {
  if (cluster.files.some((f) => path.posix.basename(f.path) === "kube-netlint-snapshot.json")) return "collect";
  if (cluster.files.some((f) => /(^|\/)cluster-resources\//.test(f.path))) return "support-bundle";
  return "cluster-info-dump";
}

export function coverageOf(cluster: ClusterModel): CoverageGap[] {
  if (!cluster.isSnapshot) return [];
  const layout = snapshotLayout(cluster);
  const dir = cluster.name;
  const gaps: CoverageGap[] = [];
  const hasNodeFiles = cluster.resolvConfs.length > 0 || cluster.cniConfDirs.length > 0 || cluster.kubeletConfigs.some((k) => k.node) || [...cluster.nodes.values()].some((n) => n.cniBinaries || n.kubeletFlags.length);
  if (!hasNodeFiles) {
    gaps.push({
      cluster: dir,
      missing: "node files",
      notChecked: "the resolv.conf chain CoreDNS inherits with dnsPolicy Default, the CNI conf dirs and binaries, and the kubelet config",
      rules: ["coredns/forward-loop", "kubelet/resolv-conf-loopback", "cni/no-network", "cni/conf-shadowed", "cni/plugin-binary-missing", "kubelet/invalid-config"],
      how: layout === "collect"
        ? "collect again with `kube-netlint collect --node-files -o DIR`"
        : `run \`kube-netlint collect --node-files -o DIR\` against the cluster, or copy a node's /etc/resolv.conf, /var/lib/kubelet/config.yaml and /etc/cni/net.d/ into ${dir}/nodes/NODE/ at their paths`,
    });
  }
  if (!cluster.objects.some((o) => o.kind === "ConfigMap")) {
    gaps.push({
      cluster: dir,
      missing: "ConfigMaps",
      notChecked: "the Corefile, kube-proxy's configuration and kubeadm's ClusterConfiguration",
      rules: ["coredns/corefile-syntax", "coredns/forward-loop", "coredns/removed-plugin", "kube-proxy/config-not-mounted", "kube-proxy/invalid-config"],
      how: layout === "cluster-info-dump"
        ? `add them: \`kubectl get cm -n kube-system -o json > ${dir}/kube-system/configmaps.json\``
        : layout === "support-bundle"
          ? "a newer Troubleshoot collects them (cluster-resources/configmaps/), or add `kubectl get cm -n kube-system -o json` to the bundle"
          : "listing ConfigMaps was refused (see the marker's forbidden list): grant get/list on configmaps in kube-system and collect again",
    });
  }
  if (!cluster.observed.has.pods) {
    gaps.push({
      cluster: dir,
      missing: "Pod status",
      notChecked: "what the pods, events and logs show (CoreDNS and kube-proxy crash loops, Pending CoreDNS, failing pod sandboxes)",
      rules: ["coredns/crash-loop", "coredns/pods-pending", "kube-proxy/crash-loop", "cni/sandbox-failed"],
      how: layout === "collect" ? "collect again with this version of `kube-netlint collect` (it gathers pods, events and logs)" : "add `kubectl get pods,events -n kube-system -o json`",
    });
  }
  return gaps;
}

/** One line for stderr. */
export function coverageLine(g: CoverageGap): string {
  return `${g.cluster}: no ${g.missing}, so ${g.notChecked} were not checked (${g.rules.join(", ")}): ${g.how}`;
}
