/**
 * Which observed pods belong to which networking component: by labels and owner, never by
 * namespace alone (a Pending metrics-server in kube-system is not DNS). Research:
 * ../shared/research/observed-state.md section 4.
 */
import type { ObservedPod } from "./types.js";

/** NodeLocal DNSCache runs the CoreDNS image too, but it is not the cluster's DNS server. */
const NODE_LOCAL = /node-local-dns|node-cache/;

export function isCorednsPod(p: ObservedPod): boolean {
  const app = p.labels["k8s-app"] ?? "";
  const name = p.labels["app.kubernetes.io/name"] ?? "";
  if (NODE_LOCAL.test(`${app} ${name} ${p.owner?.name ?? ""}`)) return false;
  if (app === "kube-dns" || app === "coredns" || name === "coredns" || name === "rke2-coredns") return true;
  return p.containers.some((c) => c.name === "coredns" || /(^|\/)coredns(:|@|$)/.test(c.image)) && !p.containers.some((c) => NODE_LOCAL.test(c.image));
}

export function isKubeProxyPod(p: ObservedPod): boolean {
  if (p.labels["k8s-app"] === "kube-proxy" || p.labels["component"] === "kube-proxy") return true;
  return p.containers.some((c) => c.name === "kube-proxy" || /(^|\/)kube-proxy(:|@|$)/.test(c.image));
}

/** CNI agents by their usual labels and images (the DaemonSets deployedCnis recognises). */
const CNI_POD = /calico-node|cilium|kube-flannel|flannel|canal|weave-net|aws-node|kindnet|kube-router|antrea-agent|kube-multus/;

export function isCniPod(p: ObservedPod): boolean {
  const text = `${p.labels["k8s-app"] ?? ""} ${p.labels["app"] ?? ""} ${p.labels["app.kubernetes.io/name"] ?? ""} ${p.owner?.name ?? ""} ${p.containers.map((c) => c.image).join(" ")}`;
  return CNI_POD.test(text) && !/cilium-operator|calico-kube-controllers|tigera-operator/.test(`${p.owner?.name ?? ""} ${p.name}`);
}

/** The workload a pod belongs to: its controller's name without the ReplicaSet hash, else the pod's own name. */
export function workloadOf(p: ObservedPod): string {
  if (!p.owner) return `Pod ${p.namespace}/${p.name}`;
  const name = p.owner.kind === "ReplicaSet" ? p.owner.name.replace(/-[a-z0-9]{5,10}$/, "") : p.owner.name;
  return `${p.owner.kind === "ReplicaSet" ? "Deployment" : p.owner.kind} ${p.namespace}/${name}`;
}
