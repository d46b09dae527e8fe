/**
 * kubelet flags that were removed, with the release that removed them: from that release on the
 * kubelet exits at start with `unknown flag: --NAME`.
 */
export interface RemovedFlag {
  removedIn: [number, number];
  why: string;
  /** What to do instead. */
  instead: string;
}

const DOCKERSHIM = "removed with dockershim in 1.24 (kubernetes/kubernetes#106907)";
const CNI_IN_RUNTIME = "delete it: the container runtime (containerd, CRI-O) now reads the CNI conf dir and binaries itself";

export const REMOVED_KUBELET_FLAGS: Readonly<Record<string, RemovedFlag>> = {
  "require-kubeconfig": { removedIn: [1, 10], why: "removed in 1.10 (kubernetes/kubernetes#58367)", instead: "delete it: --kubeconfig alone selects API server mode" },
  "allow-privileged": { removedIn: [1, 15], why: "removed in 1.15 (kubernetes/kubernetes#77820)", instead: "delete it: privileged pods are governed by admission (Pod Security)" },
  "network-plugin": { removedIn: [1, 24], why: DOCKERSHIM, instead: CNI_IN_RUNTIME },
  "cni-conf-dir": { removedIn: [1, 24], why: DOCKERSHIM, instead: CNI_IN_RUNTIME },
  "cni-bin-dir": { removedIn: [1, 24], why: DOCKERSHIM, instead: CNI_IN_RUNTIME },
  "cni-cache-dir": { removedIn: [1, 24], why: DOCKERSHIM, instead: CNI_IN_RUNTIME },
  "network-plugin-mtu": { removedIn: [1, 24], why: DOCKERSHIM, instead: "delete it: set the MTU in the CNI config" },
  "docker-endpoint": { removedIn: [1, 24], why: DOCKERSHIM, instead: "delete it and set --container-runtime-endpoint (containerRuntimeEndpoint) to the CRI socket" },
  "image-pull-progress-deadline": { removedIn: [1, 24], why: DOCKERSHIM, instead: "delete it: the CRI runtime handles pulls" },
  "experimental-dockershim-root-directory": { removedIn: [1, 24], why: DOCKERSHIM, instead: "delete it" },
  "container-runtime": { removedIn: [1, 27], why: "removed in 1.27 (kubernetes/kubernetes#114017; its only value was remote)", instead: "delete it and keep --container-runtime-endpoint" },
};
