/**
 * What the rules had to check: the networking artifacts of every cluster model, counted per kind.
 * A run whose objects were only RBAC, Services or applications checked nothing, and says so.
 */
import type { ClusterModel } from "../model/types.js";
import { corednsWorkloads } from "../rules/coredns/lib/workload.js";
import { deployedCnis } from "../rules/lib/cni.js";

export interface CheckedCounts {
  corefiles: number;
  corednsWorkloads: number;
  cniConfDirs: number;
  cniConfigs: number;
  cniDaemonSets: number;
  kubeProxyConfigs: number;
  kubeletConfigs: number;
  kubeadmConfigs: number;
  /** kubelet, kube-proxy and control-plane flags (static Pods, DaemonSets, kubeadm-flags.env, drop-ins). */
  componentFlags: number;
  resolvConfs: number;
  /** Facts, CNIs and Corefiles read from distributions, Helm values and CNI resources (src/model/sources). */
  sourceFacts: number;
}

export function countChecked(clusters: readonly ClusterModel[]): CheckedCounts {
  const n: CheckedCounts = {
    corefiles: 0, corednsWorkloads: 0, cniConfDirs: 0, cniConfigs: 0, cniDaemonSets: 0, kubeProxyConfigs: 0,
    kubeletConfigs: 0, kubeadmConfigs: 0, componentFlags: 0, resolvConfs: 0, sourceFacts: 0,
  };
  for (const c of clusters) {
    n.corefiles += c.corefiles.length;
    n.corednsWorkloads += corednsWorkloads(c).length;
    n.cniConfDirs += c.cniConfDirs.length;
    n.cniConfigs += c.looseCniFiles.length + c.cniConfDirs.reduce((k, d) => k + [...d.files.values()].filter(Boolean).length, 0);
    n.cniDaemonSets += deployedCnis(c).length;
    n.kubeProxyConfigs += c.kubeProxyConfigs.length;
    n.kubeletConfigs += c.kubeletConfigs.length;
    n.kubeadmConfigs += c.kubeadmConfigs.length;
    n.componentFlags += c.flagSources.length;
    n.resolvConfs += c.resolvConfs.length;
    n.sourceFacts += (c.declaredCnis?.length ?? 0) + (Object.values(c.facts) as { loc: unknown }[][]).reduce((k, list) => k + list.filter((f) => f.loc).length, 0);
  }
  return n;
}

export function totalChecked(n: CheckedCounts): number {
  return Object.values(n).reduce((a, b) => a + b, 0);
}
