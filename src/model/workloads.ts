/** Reading pod templates: containers, volumes, mounts, args and env of Deployments, DaemonSets and Pods. */
import type { PathSegment } from "../parsers/yaml.js";
import type { K8sObject } from "./types.js";

export interface ContainerRef {
  object: K8sObject;
  /** Path of the container in the object (`spec.template.spec.containers[0]`). */
  path: PathSegment[];
  name: string;
  image: string;
  command: string[];
  args: string[];
  env: Record<string, string>;
  value: Record<string, unknown>;
}

export function podSpecPath(obj: K8sObject): PathSegment[] | null {
  switch (obj.kind) {
    case "Pod":
      return ["spec"];
    case "Deployment":
    case "DaemonSet":
    case "StatefulSet":
    case "ReplicaSet":
      return ["spec", "template", "spec"];
    default:
      return null;
  }
}

export function getPath(value: unknown, path: readonly PathSegment[]): unknown {
  let v: unknown = value;
  for (const seg of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

export function podSpec(obj: K8sObject): Record<string, unknown> | null {
  const p = podSpecPath(obj);
  const v = p ? getPath(obj.value, p) : null;
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map((x) => (typeof x === "string" ? x : String(x))) : []);

export function containers(obj: K8sObject, includeInit = false): ContainerRef[] {
  const specPath = podSpecPath(obj);
  const spec = podSpec(obj);
  if (!specPath || !spec) return [];
  const out: ContainerRef[] = [];
  for (const field of includeInit ? ["initContainers", "containers"] : ["containers"]) {
    const list = spec[field];
    if (!Array.isArray(list)) continue;
    list.forEach((c, i) => {
      if (!c || typeof c !== "object") return;
      const value = c as Record<string, unknown>;
      const env: Record<string, string> = {};
      if (Array.isArray(value.env)) {
        for (const e of value.env) {
          if (e && typeof e === "object" && typeof (e as { name?: unknown }).name === "string" && typeof (e as { value?: unknown }).value === "string") {
            env[(e as { name: string }).name] = (e as { value: string }).value;
          }
        }
      }
      out.push({
        object: obj,
        path: [...specPath, field, i],
        name: typeof value.name === "string" ? value.name : "",
        image: typeof value.image === "string" ? value.image : "",
        command: strings(value.command),
        args: strings(value.args),
        env,
        value,
      });
    });
  }
  return out;
}

/** One volume mount of a container, whatever the volume's type. */
export interface VolumeMount {
  volumeName: string;
  /** Mount path without trailing slashes. */
  mountPath: string;
  /** null when absent or empty (an empty subPath mounts the whole volume). */
  subPath: string | null;
  /** The pod volume (undefined when no volume of that name exists). */
  volume: Record<string, unknown> | undefined;
  volumeIndex: number;
  /** Path of the mount in the object (`...containers[0].volumeMounts[1]`). */
  mountInObject: PathSegment[];
}

/** The container's volume mounts, each joined to the pod volume of its name. */
export function volumeMounts(c: ContainerRef): VolumeMount[] {
  const spec = podSpec(c.object);
  const volumes = Array.isArray(spec?.volumes) ? (spec!.volumes as unknown[]) : [];
  const mounts = Array.isArray(c.value.volumeMounts) ? (c.value.volumeMounts as unknown[]) : [];
  const out: VolumeMount[] = [];
  mounts.forEach((m, i) => {
    if (!m || typeof m !== "object") return;
    const mount = m as Record<string, unknown>;
    if (typeof mount.mountPath !== "string" || typeof mount.name !== "string") return;
    const vi = volumes.findIndex((v) => !!v && typeof v === "object" && (v as { name?: unknown }).name === mount.name);
    out.push({
      volumeName: mount.name,
      mountPath: mount.mountPath.replace(/\/+$/, "") || "/",
      subPath: typeof mount.subPath === "string" && mount.subPath !== "" ? mount.subPath : null,
      volume: vi >= 0 ? (volumes[vi] as Record<string, unknown>) : undefined,
      volumeIndex: vi,
      mountInObject: [...c.path, "volumeMounts", i],
    });
  });
  return out;
}

/** The mount that holds `file` in the container: the deepest mount path at or above it, as the kubelet nests mounts (a subPath mount holds only its own path). */
export function mountFor<M extends { mountPath: string; subPath: string | null }>(mounts: readonly M[], file: string): M | null {
  let best: M | null = null;
  for (const m of mounts) {
    const covers = file === m.mountPath || (m.subPath === null && (m.mountPath === "/" || file.startsWith(m.mountPath + "/")));
    if (covers && (!best || m.mountPath.length > best.mountPath.length)) best = m;
  }
  return best;
}

/** One entry of a configMap volume's `items`: the key, the file path it gets (`./` dropped), its index. */
export interface ConfigMapItem {
  key: string;
  path: string;
  index: number;
}

/** The `items` of a configMap volume source, or null when it maps every key to a file of its name. */
export function configMapItems(source: Record<string, unknown>): ConfigMapItem[] | null {
  if (!Array.isArray(source.items)) return null;
  return (source.items as unknown[]).flatMap((it, index) => {
    if (!it || typeof it !== "object") return [];
    const item = it as { key?: unknown; path?: unknown };
    return typeof item.key === "string" ? [{ key: item.key, path: String(item.path ?? item.key).replace(/^\.\//, ""), index }] : [];
  });
}

export interface ConfigMapMount extends VolumeMount {
  configMapName: string;
  /** ConfigMap key -> file path relative to the mount (all keys when `items` is absent: null). */
  items: ConfigMapItem[] | null;
}

/** The container's mounts of configMap volumes. */
export function configMapMounts(container: ContainerRef): ConfigMapMount[] {
  return volumeMounts(container).flatMap((m) => {
    const source = m.volume?.configMap;
    if (!source || typeof source !== "object" || typeof (source as { name?: unknown }).name !== "string") return [];
    const cm = source as Record<string, unknown>;
    return [{ ...m, configMapName: cm.name as string, items: configMapItems(cm) }];
  });
}

/**
 * Files a configMap mount provides: path in the container -> ConfigMap key. Only keys the ConfigMap
 * has: the kubelet skips an item whose key is missing from an optional volume, and cannot build a
 * volume that needs one (reported by the rules that read the mount).
 */
export function mountedFiles(mount: Pick<ConfigMapMount, "mountPath" | "subPath" | "items">, configMapKeys: readonly string[]): Map<string, string> {
  const files = new Map<string, string>();
  const join = (rel: string) => (mount.mountPath === "/" ? "/" : mount.mountPath + "/") + rel.replace(/^\/+/, "");
  if (mount.subPath !== null) {
    // A subPath mount puts one file (a key, or the path an item gives it) at the mount path itself.
    const key = mount.items ? mount.items.find((i) => i.path === mount.subPath)?.key : mount.subPath;
    if (key !== undefined && configMapKeys.includes(key)) files.set(mount.mountPath, key);
    return files;
  }
  if (mount.items) {
    for (const it of mount.items) if (configMapKeys.includes(it.key)) files.set(join(it.path), it.key);
  } else for (const k of configMapKeys) files.set(join(k), k);
  return files;
}

export function labelsMatch(selector: Record<string, unknown>, labels: Record<string, unknown>): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([k, v]) => labels[k] === v);
}
