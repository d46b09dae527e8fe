/** What collect asks the API server for, and where each answer goes in the snapshot. Secrets are never among them. */

export interface ResourceStep {
  /** Shown in progress lines and recorded in the marker. */
  resource: string;
  namespace: string | null;
  /** kubectl arguments after the global flags. */
  args: string[];
  /** Path in the snapshot, relative to its root. */
  file: string;
}

/** Namespaced resources read from kube-system and every `--namespace`; pods (with their status) and events are what the cluster shows. */
export const NAMESPACED_RESOURCES = ["configmaps", "deployments", "daemonsets", "services", "endpoints", "endpointslices", "serviceaccounts", "pods", "events"] as const;

/** Namespaces that CNIs install themselves into; collected too when the cluster has them. */
export const CNI_NAMESPACES = ["kube-flannel", "calico-system", "tigera-operator", "cilium", "kube-ovn", "cattle-system-cni", "weave"] as const;

/** How much of a container's log collect keeps (Troubleshoot's defaults: 500 lines, 5 MB). */
export const LOG_TAIL_LINES = 500;
export const LOG_LIMIT_BYTES = 5 * 1024 * 1024;
/** Milliseconds before one `kubectl logs` is given up. */
export const LOG_TIMEOUT_MS = 60_000;

/** `kubectl logs` of one container, the current instance or the previous one, bounded. */
export function logStep(namespace: string, pod: string, container: string, previous: boolean): ResourceStep {
  const args = ["logs", `pod/${pod}`, `--namespace=${namespace}`, `--container=${container}`, `--tail=${LOG_TAIL_LINES}`, `--limit-bytes=${LOG_LIMIT_BYTES}`];
  if (previous) args.push("--previous");
  return { resource: `logs of ${pod}/${container}${previous ? " (previous)" : ""}`, namespace, args, file: `logs/${namespace}/${pod}/${container}${previous ? "-previous" : ""}.log` };
}

/** Cluster-scoped resources (RBAC: all ClusterRoles and bindings, the ones CoreDNS uses among them). */
export const CLUSTER_RESOURCES = ["clusterroles", "clusterrolebindings", "nodes"] as const;

/** The ConfigMaps fetched one by one when listing ConfigMaps in kube-system is forbidden (RBAC may grant `get` on these names). */
export const WELL_KNOWN_CONFIGMAPS = ["coredns", "kube-proxy", "kubeadm-config", "kubelet-config"] as const;

/** kube-system's files sit directly in resources/; another namespace's in resources/NAMESPACE/. */
export function namespacedFile(namespace: string, resource: string): string {
  return namespace === "kube-system" ? `resources/${resource}.yaml` : `resources/${namespace}/${resource}.yaml`;
}

export function resourceSteps(namespaces: readonly string[]): ResourceStep[] {
  const steps: ResourceStep[] = [];
  for (const ns of namespaces) {
    for (const r of NAMESPACED_RESOURCES) steps.push({ resource: r, namespace: ns, args: ["get", r, `--namespace=${ns}`, "-o", "yaml"], file: namespacedFile(ns, r) });
  }
  for (const r of CLUSTER_RESOURCES) steps.push({ resource: r, namespace: null, args: ["get", r, "-o", "yaml"], file: `resources/${r}.yaml` });
  steps.push({ resource: "networkpolicies", namespace: null, args: ["get", "networkpolicies", "--all-namespaces", "-o", "yaml"], file: "resources/networkpolicies.yaml" });
  return steps;
}

/** One well-known ConfigMap on its own (`--ignore-not-found`: a cluster without kube-proxy is no error). */
export function configMapStep(name: string): ResourceStep {
  return { resource: `configmaps/${name}`, namespace: "kube-system", args: ["get", "configmap", name, "--namespace=kube-system", "--ignore-not-found", "-o", "yaml"], file: `resources/configmap-${name}.yaml` };
}

/** The cluster-wide numbers of pods and services (CoreDNS memory sizing): names only, one a line. */
export function countArgs(resource: "pods" | "services"): string[] {
  return ["get", resource, "--all-namespaces", "-o", "name"];
}

/** A Kubernetes namespace or node name that is safe as one path segment. */
export function isObjectName(name: string): boolean {
  return /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(name) && !name.includes("..");
}
