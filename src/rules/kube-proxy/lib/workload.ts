/**
 * Derived views of the kube-proxy workloads: which container runs kube-proxy with which `--config`,
 * which volume provides that file (and so which KubeProxyConfiguration it loads), and what the
 * container can read at a path. Joins over cluster.objects and cluster.flagSources; nothing is read
 * or parsed here.
 */
import type { ClusterModel, ComponentConfig, FlagSource, K8sObject, Loc } from "../../../model/types.js";
import { configMapItems, containers, getPath, mountedFiles, mountFor, podSpec, volumeMounts, type ContainerRef, type VolumeMount } from "../../../model/workloads.js";
import { nearest } from "../../../model/nearest.js";
import type { Flag } from "../../../parsers/flags.js";

/** Windows HostProcess pods see the host's file system: paths outside their mounts are not missing. */
export function isHostProcess(obj: K8sObject, c: ContainerRef): boolean {
  const spec = podSpec(obj);
  return getPath(spec, ["securityContext", "windowsOptions", "hostProcess"]) === true || getPath(c.value, ["securityContext", "windowsOptions", "hostProcess"]) === true;
}

/** The ConfigMap of that name a workload mounts: the nearest one when several are in the input. */
export function configMapObject(cluster: ClusterModel, name: string, namespace: string, from?: K8sObject): K8sObject | undefined {
  const all = cluster.objects.filter((o) => o.kind === "ConfigMap" && o.name === name && (o.namespace === namespace || o.namespace === "" || namespace === ""));
  return from ? nearest(from, all) : all[0];
}

export function configMapKeys(cm: K8sObject): string[] {
  const keys: string[] = [];
  for (const field of ["data", "binaryData"]) {
    const d = cm.value[field];
    if (d && typeof d === "object" && !Array.isArray(d)) for (const k of Object.keys(d)) keys.push(k);
  }
  return keys;
}

/** The files a configMap-volume mount puts into the container: path -> key (only keys the ConfigMap has). */
export function configMapFiles(mount: VolumeMount, keys: readonly string[]): Map<string, string> {
  const source = mount.volume?.configMap;
  const items = source && typeof source === "object" ? configMapItems(source as Record<string, unknown>) : null;
  return mountedFiles({ mountPath: mount.mountPath, subPath: mount.subPath, items }, keys);
}

/** What a container finds at a path. */
export type FileProvision =
  | { kind: "configmap-key"; mount: VolumeMount; configMap: K8sObject; key: string }
  | { kind: "configmap-lacks-key"; mount: VolumeMount; configMap: K8sObject; keys: string[] }
  | { kind: "configmap-absent"; mount: VolumeMount; configMapName: string }
  /** A hostPath, secret, projected or other volume: its content is not in the input. */
  | { kind: "other-volume"; mount: VolumeMount; volumeType: string }
  | { kind: "no-volume" }
  /** Not decidable (relative path, HostProcess pod). */
  | { kind: "unknown" };

export function provision(cluster: ClusterModel, obj: K8sObject, c: ContainerRef, file: string): FileProvision {
  if (!file.startsWith("/") || isHostProcess(obj, c)) return { kind: "unknown" };
  const normalized = file.replace(/\/{2,}/g, "/").replace(/\/\.\//g, "/");
  const mount = mountFor(volumeMounts(c), normalized);
  if (!mount) return { kind: "no-volume" };
  const cmRef = mount.volume?.configMap as Record<string, unknown> | undefined;
  if (!cmRef || typeof cmRef.name !== "string") {
    const volumeType = mount.volume ? Object.keys(mount.volume).find((k) => k !== "name") ?? "unknown" : "missing";
    return { kind: "other-volume", mount, volumeType };
  }
  const cm = configMapObject(cluster, cmRef.name, obj.namespace, obj);
  if (!cm) return { kind: "configmap-absent", mount, configMapName: cmRef.name };
  const keys = configMapKeys(cm);
  const key = configMapFiles(mount, keys).get(normalized) ?? null;
  return key !== null ? { kind: "configmap-key", mount, configMap: cm, key } : { kind: "configmap-lacks-key", mount, configMap: cm, keys };
}

/** A container that runs kube-proxy, with its flags. */
export interface KubeProxyRunner {
  object: K8sObject;
  container: ContainerRef;
  source: FlagSource;
  /** The last `--config` flag (kube-proxy, like pflag, keeps the last value). */
  configFlag: Flag | null;
  /** Where the --config value is (or the container, when its position is unknown). */
  configLoc: Loc | null;
  /** What the container finds at the --config path. */
  configFile: FileProvision | null;
  /** The KubeProxyConfiguration that --config loads, when it is in the input. */
  config: ComponentConfig | null;
}

function containerOfSource(src: FlagSource): ContainerRef | undefined {
  const obj = src.object!;
  const list = containers(obj);
  const first = src.flags.find((f) => f.start >= 0);
  if (first) {
    const hit = list.find((c) => {
      const r = obj.rangeAt(c.path);
      return r !== undefined && r.start <= first.start && first.start < r.end;
    });
    if (hit) return hit;
  }
  return list.find((c) => /kube-proxy/.test([c.name, c.image, ...c.command.slice(0, 1)].join(" ")));
}

const cache = new WeakMap<ClusterModel, KubeProxyRunner[]>();

/** Every kube-proxy container of the cluster's workloads (DaemonSets, Pods, Deployments). */
export function kubeProxyRunners(cluster: ClusterModel): KubeProxyRunner[] {
  const hit = cache.get(cluster);
  if (hit) return hit;
  const out: KubeProxyRunner[] = [];
  for (const src of cluster.flagSources) {
    if (src.component !== "kube-proxy" || !src.object) continue;
    const container = containerOfSource(src);
    if (!container) continue;
    const configFlag = src.flags.filter((f) => f.name === "config").pop() ?? null;
    let configLoc: Loc | null = null;
    let configFile: FileProvision | null = null;
    let config: ComponentConfig | null = null;
    if (configFlag && configFlag.value) {
      configLoc = configFlag.valueStart >= 0 ? { file: src.file, start: configFlag.valueStart, end: configFlag.valueEnd } : src.object.locate(container.path);
      configFile = provision(cluster, src.object, container, configFlag.value);
      if (configFile.kind === "configmap-key") {
        const { configMap, key } = configFile;
        config = cluster.kubeProxyConfigs.find((k) => k.configMap === configMap && k.key === key) ?? null;
      }
    }
    out.push({ object: src.object, container, source: src, configFlag, configLoc, configFile, config });
  }
  // A snapshot lists the DaemonSet and each of its Pods: the Pods are its instances, one problem is one finding.
  const daemonSets = new Set(out.filter((r) => r.object.kind === "DaemonSet").map((r) => `${r.object.namespace}/${r.object.name}`));
  const runners = out.filter((r) => {
    if (r.object.kind !== "Pod") return true;
    const owners = getPath(r.object.value, ["metadata", "ownerReferences"]);
    const owner = Array.isArray(owners) ? (owners as { kind?: unknown; name?: unknown }[]).find((o) => o?.kind === "DaemonSet") : undefined;
    return !(owner && daemonSets.has(`${r.object.namespace}/${String(owner.name)}`));
  });
  cache.set(cluster, runners);
  return runners;
}

/** The kube-proxy containers that load this config through --config. */
export function runnersOf(cluster: ClusterModel, cfg: ComponentConfig): KubeProxyRunner[] {
  return kubeProxyRunners(cluster).filter((r) => r.config === cfg);
}

/** A kube-proxy image tag that names a release (`registry.k8s.io/kube-proxy:v1.34.0`). */
export function imageVersion(image: string): string | undefined {
  const m = /:v?(\d+\.\d+(?:\.\d+)?)(?:[-+@][^/]*)?$/.exec(image);
  return m ? m[1] : undefined;
}

/**
 * The kube-proxy version a config is checked for: `facts.kubernetesVersion` in the config file,
 * else the image tag of the kube-proxy container that loads the config, else the
 * `kubernetesVersion` of the only kubeadm ClusterConfiguration in the cluster. Undefined when
 * none says (version-dependent checks then stay quiet).
 */
export function kubeProxyVersion(cluster: ClusterModel, cfg: ComponentConfig): { version: string; origin: string } | undefined {
  const fact = cluster.configFacts.kubernetesVersion;
  if (typeof fact === "string" || typeof fact === "number") return { version: String(fact), origin: "facts.kubernetesVersion" };
  for (const r of runnersOf(cluster, cfg)) {
    const v = imageVersion(r.container.image);
    if (v) return { version: v, origin: `image ${r.container.image}` };
  }
  const kubeadm = cluster.kubeadmConfigs.filter((k) => typeof k.value.kubernetesVersion === "string");
  if (kubeadm.length === 1) {
    const v = String(kubeadm[0]!.value.kubernetesVersion);
    if (/^v?\d+\.\d+/.test(v)) return { version: v, origin: `kubernetesVersion in ${kubeadm[0]!.object.file.path}` };
  }
  return undefined;
}

const WINDOWS = /windows/i;

/**
 * The OS the config runs on: Windows when every kube-proxy container that loads it through --config
 * targets Windows nodes (nodeSelector kubernetes.io/os: windows, or a HostProcess pod); Linux
 * otherwise, also for a config no workload in the input loads (so `mode: kernelspace` there is
 * judged as on Linux, like upstream's Linux validation).
 */
export function kubeProxyPlatform(cluster: ClusterModel, cfg: ComponentConfig): "linux" | "windows" {
  const runners = runnersOf(cluster, cfg);
  if (runners.length) {
    const windows = runners.every((r) => {
      const os = getPath(podSpec(r.object), ["nodeSelector", "kubernetes.io/os"]);
      return (typeof os === "string" && WINDOWS.test(os)) || isHostProcess(r.object, r.container);
    });
    return windows ? "windows" : "linux";
  }
  return "linux";
}

/** "a.b[1].c" or 'featureGates["x.y"]' (the library's field paths) as path segments. */
export function fieldSegments(field: string): (string | number)[] {
  const out: (string | number)[] = [];
  const re = /\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|\.?([^.[\]]+)/gy;
  let m: RegExpExecArray | null;
  while (field.length > re.lastIndex && (m = re.exec(field)) !== null) {
    if (m[1] !== undefined) out.push(Number(m[1]));
    else if (m[2] !== undefined) out.push(JSON.parse(m[2]) as string);
    else out.push(m[3]!);
  }
  return out;
}
