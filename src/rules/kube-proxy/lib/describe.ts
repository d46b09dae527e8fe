/** Message pieces shared by the kube-proxy workload rules. */
import type { ClusterModel, K8sObject, Loc } from "../../../model/types.js";
import { closest } from "../../lib/closest.js";
import type { VolumeMount } from "../../../model/workloads.js";
import type { FileProvision, KubeProxyRunner } from "./workload.js";
import { configMapFiles } from "./workload.js";
import { runsHealthy } from "../../lib/symptoms.js";

export function workloadName(r: KubeProxyRunner): string {
  return `${r.object.kind} ${r.object.namespace ? `${r.object.namespace}/` : ""}${r.object.name || "(unnamed)"}`;
}

/** Whether a missing ConfigMap may be reported: the input is a snapshot that holds ConfigMaps (complete by construction). */
export function configMapsComplete(cluster: ClusterModel): boolean {
  return cluster.isSnapshot && cluster.objects.some((o) => o.kind === "ConfigMap");
}

export interface Missing {
  why: string;
  related: { loc: Loc; message: string }[];
}

function mountLoc(obj: K8sObject, mount: VolumeMount): Loc {
  return obj.rangeAt([...mount.mountInObject, "mountPath"]) ?? obj.locate(mount.mountInObject);
}

/**
 * Why a file the container needs is not there, or null when it is there or it cannot be told.
 * `otherKubeProxyConfigMap`: a ConfigMap that holds a KubeProxyConfiguration, which makes a
 * missing ConfigMap of another name a finding outside snapshots too.
 */
export function missingFile(
  cluster: ClusterModel,
  r: KubeProxyRunner,
  file: string,
  got: FileProvision,
  otherKubeProxyConfigMap: K8sObject | null,
  /** Which ConfigMap keys hold what the file should be (a KubeProxyConfiguration, a kubeconfig): suggested instead. */
  fits: (cm: K8sObject, key: string) => boolean,
): Missing | null {
  // Running and Ready pods are evidence: the file is there, whatever a snapshot with only some ConfigMaps suggests.
  if (got.kind !== "configmap-key" && runsHealthy(cluster, r.object)) return null;
  switch (got.kind) {
    case "configmap-key":
    case "other-volume":
    case "unknown":
      return null;
    case "no-volume":
      return { why: `no volume of the ${r.container.name || "kube-proxy"} container is mounted at or above ${file}, and the kube-proxy image does not carry it`, related: [] };
    case "configmap-absent": {
      if (!configMapsComplete(cluster) && !otherKubeProxyConfigMap) return null;
      const related = [{ loc: mountLoc(r.object, got.mount), message: `volume ${got.mount.volumeName} (ConfigMap ${got.configMapName}) is mounted at ${got.mount.mountPath}` }];
      if (otherKubeProxyConfigMap) {
        related.push({ loc: otherKubeProxyConfigMap.rangeAt(["metadata", "name"]) ?? otherKubeProxyConfigMap.loc, message: `ConfigMap ${otherKubeProxyConfigMap.name} holds a KubeProxyConfiguration` });
        return { why: `the ConfigMap ${got.configMapName} mounted at ${got.mount.mountPath} is not in the input, but ConfigMap ${otherKubeProxyConfigMap.name} (${otherKubeProxyConfigMap.file.path}) holds the KubeProxyConfiguration; the pod stays in ContainerCreating ("configmap \\"${got.configMapName}\\" not found")`, related };
      }
      return { why: `the ConfigMap ${got.configMapName} mounted at ${got.mount.mountPath} does not exist in this snapshot; the pod stays in ContainerCreating ("configmap \\"${got.configMapName}\\" not found")`, related };
    }
    case "configmap-lacks-key": {
      const files = configMapFiles(got.mount, got.keys);
      const paths = [...files.keys()];
      const items = Array.isArray((got.mount.volume?.configMap as { items?: unknown } | undefined)?.items);
      const what = got.mount.subPath !== null ? `mounts entry ${got.mount.subPath} of ConfigMap ${got.configMap.name} at ${got.mount.mountPath}` : `mounts ConfigMap ${got.configMap.name} at ${got.mount.mountPath}`;
      const provides = paths.length ? `which provides ${paths.join(", ")}` : "which provides no file";
      const keys = `(its keys: ${got.keys.length ? got.keys.join(", ") : "none"}${items ? "; the volume's items select some of them" : ""})`;
      // The paths that hold the right content (the KubeProxyConfiguration, a kubeconfig), else a look-alike path.
      const fitting = paths.filter((p) => fits(got.configMap, files.get(p)!));
      const guess = fitting.length === 1 ? fitting[0] : closest(file, fitting.length ? fitting : paths, { maxDistance: 3 });
      const unselected = got.keys.filter((k) => fits(got.configMap, k) && ![...files.values()].includes(k));
      const hint = guess ? ` (did you mean ${guess}?)` : items && unselected.length ? ` (key ${unselected[0]} is in the ConfigMap but the volume's items do not select it)` : "";
      const cmLoc = got.configMap.rangeAt(["metadata", "name"]) ?? got.configMap.loc;
      return {
        why: `volume ${got.mount.volumeName} ${what}, ${provides} ${keys}${hint}`,
        related: [
          { loc: mountLoc(r.object, got.mount), message: `volume ${got.mount.volumeName} is mounted at ${got.mount.mountPath}` },
          { loc: cmLoc, message: `ConfigMap ${got.configMap.name} has keys ${got.keys.join(", ") || "(none)"}` },
        ],
      };
    }
  }
}
