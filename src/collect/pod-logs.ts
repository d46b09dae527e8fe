/**
 * Which containers' logs collect fetches: those of CoreDNS, kube-proxy and CNI pods that are not
 * Running and Ready (a healthy pod's log says nothing the rules need), from `kubectl get pods -o yaml`.
 * Identified as the linter identifies them (model/observed/components.ts).
 */
import { yamlLibrary } from "../lazy-deps.js";
import { isCniPod, isCorednsPod, isKubeProxyPod } from "../model/observed/components.js";
import type { ObservedPod } from "../model/observed/types.js";
import { isObjectName } from "./resources.js";

export interface LogTarget {
  namespace: string;
  pod: string;
  containers: string[];
  /** Containers that restarted: their previous instance's log is asked for too. */
  restarted: string[];
}

type Plain = Record<string, unknown>;
const rec = (v: unknown): Plain => (v && typeof v === "object" && !Array.isArray(v) ? (v as Plain) : {});
const str = (v: unknown) => (typeof v === "string" ? v : "");

export function logTargets(podsYaml: string): LogTarget[] {
  let doc: unknown;
  try {
    doc = yamlLibrary().parse(podsYaml);
  } catch {
    return [];
  }
  const items = rec(doc).items;
  if (!Array.isArray(items)) return [];
  const out: LogTarget[] = [];
  for (const item of items.map(rec)) {
    const meta = rec(item.metadata);
    const spec = rec(item.spec);
    const status = rec(item.status);
    const name = str(meta.name);
    const namespace = str(meta.namespace);
    if (!isObjectName(name) || !isObjectName(namespace)) continue;
    const specContainers = [...(Array.isArray(spec.initContainers) ? spec.initContainers : []), ...(Array.isArray(spec.containers) ? spec.containers : [])].map(rec);
    const statuses = [...(Array.isArray(status.initContainerStatuses) ? status.initContainerStatuses : []), ...(Array.isArray(status.containerStatuses) ? status.containerStatuses : [])].map(rec);
    const refs = Array.isArray(meta.ownerReferences) ? meta.ownerReferences.map(rec) : [];
    const owner = refs.find((r) => r.controller === true) ?? refs[0];
    const labels: Record<string, string> = {};
    for (const [k, v] of Object.entries(rec(meta.labels))) if (typeof v === "string") labels[k] = v;
    const view = {
      name, namespace, labels,
      owner: owner ? { kind: str(owner.kind), name: str(owner.name) } : null,
      containers: specContainers.map((c) => ({ name: str(c.name), image: str(c.image) })),
    } as unknown as ObservedPod;
    if (!isCorednsPod(view) && !isKubeProxyPod(view) && !isCniPod(view)) continue;
    const ready = rec((Array.isArray(status.conditions) ? status.conditions : []).map(rec).find((c) => c.type === "Ready")).status === "True";
    if (str(status.phase) === "Running" && ready) continue;
    const containers = specContainers.map((c) => str(c.name)).filter((n) => isObjectName(n));
    if (!containers.length) continue;
    const restarted = statuses.filter((c) => typeof c.restartCount === "number" && c.restartCount > 0).map((c) => str(c.name)).filter((n) => containers.includes(n));
    out.push({ namespace, pod: name, containers, restarted });
  }
  return out;
}

/** Namespaces from `kubectl get namespaces -o name` (`namespace/NAME` lines). */
export function namespaceNames(text: string): string[] {
  return text.split(/\r?\n/).map((l) => l.trim().replace(/^namespace\//, "")).filter((n) => n && isObjectName(n));
}
