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

export interface ConfigMapMount {
  configMapName: string;
  volumeName: string;
  /** Mount path in the container. */
  mountPath: string;
  /** ConfigMap key -> file path relative to the mount (all keys when `items` is absent: null). */
  items: { key: string; path: string; index: number }[] | null;
  subPath: string | null;
  volumePath: PathSegment[];
  mountPathInObject: PathSegment[];
  optional: boolean;
}

/** ConfigMap volumes that a container mounts, with the files they provide. */
export function configMapMounts(container: ContainerRef): ConfigMapMount[] {
  const specPath = podSpecPath(container.object)!;
  const spec = podSpec(container.object);
  const volumes = Array.isArray(spec?.volumes) ? (spec!.volumes as unknown[]) : [];
  const mounts = Array.isArray(container.value.volumeMounts) ? (container.value.volumeMounts as unknown[]) : [];
  const out: ConfigMapMount[] = [];
  mounts.forEach((m, mi) => {
    if (!m || typeof m !== "object") return;
    const mount = m as Record<string, unknown>;
    const vi = volumes.findIndex((v) => v && typeof v === "object" && (v as { name?: unknown }).name === mount.name);
    const vol = volumes[vi] as Record<string, unknown> | undefined;
    const cm = vol?.configMap as Record<string, unknown> | undefined;
    if (!cm || typeof cm.name !== "string" || typeof mount.mountPath !== "string") return;
    const items = Array.isArray(cm.items)
      ? (cm.items as unknown[]).flatMap((it, index) =>
          it && typeof it === "object" && typeof (it as { key?: unknown }).key === "string"
            ? [{ key: (it as { key: string }).key, path: String((it as { path?: unknown }).path ?? (it as { key: string }).key), index }]
            : [],
        )
      : null;
    out.push({
      configMapName: cm.name,
      volumeName: String(mount.name),
      mountPath: mount.mountPath.replace(/\/+$/, "") || "/",
      items,
      subPath: typeof mount.subPath === "string" ? mount.subPath : null,
      volumePath: [...specPath, "volumes", vi, "configMap"],
      mountPathInObject: [...container.path, "volumeMounts", mi, "mountPath"],
      optional: cm.optional === true,
    });
  });
  return out;
}

/** Files a mount provides: path in the container -> ConfigMap key. */
export function mountedFiles(mount: ConfigMapMount, configMapKeys: readonly string[]): Map<string, string> {
  const files = new Map<string, string>();
  const join = (rel: string) => (mount.mountPath === "/" ? "/" : mount.mountPath + "/") + rel.replace(/^\/+/, "");
  if (mount.subPath !== null) {
    // A subPath mount puts one file (a key, or the path an item gives it) at the mount path itself.
    const item = mount.items?.find((i) => i.path === mount.subPath);
    const key = item ? item.key : mount.items ? null : mount.subPath;
    if (key !== null && (item || configMapKeys.includes(key))) files.set(mount.mountPath, key);
    return files;
  }
  if (mount.items) for (const it of mount.items) files.set(join(it.path), it.key);
  else for (const k of configMapKeys) files.set(join(k), k);
  return files;
}

export function labelsMatch(selector: Record<string, unknown>, labels: Record<string, unknown>): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([k, v]) => labels[k] === v);
}
