/**
 * The observed state of one cluster, from the objects already loaded (Pods, Nodes, Events,
 * Endpoints, EndpointSlices) and, on demand, the containers' logs next to them in the snapshot.
 * Nothing here is read unless a rule asks: logs are read when a rule asks for a pod's logs.
 */
import path from "node:path";
import type { PathSegment } from "../../parsers/yaml.js";
import type { ReadPolicy } from "../read-policy.js";
import { LineIndex } from "../../parsers/lines.js";
import type { K8sObject, SourceFile } from "../types.js";
import { getPath } from "../workloads.js";
import { dumpLogSections, readTail } from "./logs.js";
import type {
  ContainerLog, ContainerStateView, LogSource, ObservedCondition, ObservedContainer, ObservedEndpoints, ObservedEvent,
  ObservedNode, ObservedPod, ObservedState,
} from "./types.js";

const str = (v: unknown): string => (typeof v === "string" ? v : "");
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const rec = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

function conditions(value: unknown, base: PathSegment[]): ObservedCondition[] {
  if (!Array.isArray(value)) return [];
  const out: ObservedCondition[] = [];
  value.forEach((c, i) => {
    const r = rec(c);
    if (!r.type) return;
    out.push({ type: str(r.type), status: str(r.status), reason: str(r.reason), message: str(r.message), path: [...base, i] });
  });
  return out;
}

function stateView(v: unknown, p: PathSegment[]): ContainerStateView {
  const s = rec(v);
  for (const kind of ["waiting", "terminated", "running"] as const) {
    if (!(kind in s)) continue;
    const d = rec(s[kind]);
    return { kind, reason: str(d.reason), message: str(d.message), exitCode: num(d.exitCode), path: [...p, kind] };
  }
  return { kind: "none", reason: "", message: "", exitCode: null, path: p };
}

function containerStatuses(pod: Record<string, unknown>, spec: Record<string, unknown>): ObservedContainer[] {
  const status = rec(pod.status);
  const images = new Map<string, string>();
  for (const field of ["initContainers", "containers"]) {
    const list = spec[field];
    if (Array.isArray(list)) for (const c of list) images.set(str(rec(c).name), str(rec(c).image));
  }
  const out: ObservedContainer[] = [];
  for (const field of ["initContainerStatuses", "containerStatuses"] as const) {
    const list = status[field];
    if (!Array.isArray(list)) continue;
    list.forEach((c, i) => {
      const r = rec(c);
      const p: PathSegment[] = ["status", field, i];
      const name = str(r.name);
      out.push({
        name,
        init: field === "initContainerStatuses",
        image: str(r.image) || images.get(name) || "",
        ready: r.ready === true,
        restartCount: num(r.restartCount) ?? 0,
        state: stateView(r.state, [...p, "state"]),
        lastState: stateView(r.lastState, [...p, "lastState"]),
        path: p,
      });
    });
  }
  return out;
}

/** Where the snapshot's layout keeps this pod's logs. */
function logSourceOf(obj: K8sObject, name: string, namespace: string): LogSource | null {
  const abs = obj.file.absPath;
  if (!abs || !name || /[/\\]|^\.\.?$/.test(name) || /[/\\]|^\.\.?$/.test(namespace)) return null;
  const display = obj.file.path;
  const base = path.posix.basename(display);
  const dir = path.dirname(abs);
  const ddir = path.posix.dirname(display);
  // Troubleshoot: cluster-resources/pods/<ns>.json -> cluster-resources/pods/logs/<ns>/<pod>/<container>.log
  if (/(^|\/)cluster-resources\/pods\/[^/]+\.json$/.test(display)) {
    return { layout: "files", absDir: path.join(dir, "logs", namespace, name), displayDir: `${ddir}/logs/${namespace}/${name}` };
  }
  // kubectl cluster-info dump: <ns>/pods.json -> <ns>/<pod>/logs.txt
  if (base === "pods.json") return { layout: "dump", absPath: path.join(dir, name, "logs.txt"), display: `${ddir}/${name}/logs.txt` };
  // kube-netlint collect: resources/[<ns>/]pods.yaml -> logs/<ns>/<pod>/<container>.log
  const m = /^(.*?)(?:^|\/)resources\/(?:[^/]+\/)?pods\.yaml$/.exec(display);
  if (m) {
    const rootRel = m[1] ?? "";
    const depth = display.slice(rootRel.length).split("/").filter(Boolean).length - 1;
    const absRoot = path.resolve(dir, ...Array(depth).fill(".."));
    const droot = rootRel === "" ? "" : `${rootRel}/`;
    return { layout: "files", absDir: path.join(absRoot, "logs", namespace, name), displayDir: `${droot}logs/${namespace}/${name}` };
  }
  return null;
}

function ownerOf(meta: Record<string, unknown>): { kind: string; name: string } | null {
  const refs = meta.ownerReferences;
  if (!Array.isArray(refs)) return null;
  const ref = refs.map(rec).find((r) => r.controller === true) ?? rec(refs[0]);
  return ref.kind ? { kind: str(ref.kind), name: str(ref.name) } : null;
}

function labelsOf(meta: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(rec(meta.labels))) if (typeof v === "string") out[k] = v;
  return out;
}

function podOf(obj: K8sObject): ObservedPod {
  const v = obj.value;
  const meta = rec(v.metadata);
  const status = rec(v.status);
  const spec = rec(v.spec);
  const namespace = obj.namespace || "default";
  return {
    object: obj,
    name: obj.name,
    namespace,
    uid: str(meta.uid),
    node: str(spec.nodeName) || null,
    phase: str(status.phase),
    reason: str(status.reason),
    labels: labelsOf(meta),
    owner: ownerOf(meta),
    conditions: conditions(status.conditions, ["status", "conditions"]),
    containers: containerStatuses(v, spec),
    events: [],
    logSource: logSourceOf(obj, obj.name, namespace),
  };
}

function nodeOf(obj: K8sObject): ObservedNode {
  const status = rec(obj.value.status);
  const conds = conditions(status.conditions, ["status", "conditions"]);
  const taints = Array.isArray(getPath(obj.value, ["spec", "taints"]))
    ? (getPath(obj.value, ["spec", "taints"]) as unknown[]).map(rec).map((t) => ({ key: str(t.key), value: str(t.value), effect: str(t.effect) }))
    : [];
  return { object: obj, name: obj.name, conditions: conds, taints, ready: conds.find((c) => c.type === "Ready") ?? null, events: [] };
}

function eventOf(obj: K8sObject): ObservedEvent {
  const v = obj.value;
  const inv = rec(v.involvedObject ?? v.regarding);
  const series = rec(v.series);
  const source = rec(v.source);
  return {
    object: obj,
    reason: str(v.reason),
    type: str(v.type),
    message: str(v.message ?? v.note),
    involved: inv.kind || inv.name ? { kind: str(inv.kind), name: str(inv.name), namespace: str(inv.namespace) || obj.namespace, uid: str(inv.uid) } : null,
    count: num(v.count) ?? num(series.count) ?? 1,
    first: str(v.firstTimestamp) || str(v.eventTime),
    last: str(v.lastTimestamp) || str(series.lastObservedTime) || str(v.eventTime),
    component: str(source.component) || str(v.reportingComponent) || str(v.reportingController),
    host: str(source.host),
  };
}

function endpointsOf(obj: K8sObject): ObservedEndpoints {
  const ready: string[] = [];
  const notReady: string[] = [];
  const ip = (a: unknown) => str(rec(a).ip) || "?";
  if (obj.kind === "Endpoints") {
    const subsets = obj.value.subsets;
    if (Array.isArray(subsets)) {
      for (const s of subsets.map(rec)) {
        if (Array.isArray(s.addresses)) for (const a of s.addresses) ready.push(ip(a));
        if (Array.isArray(s.notReadyAddresses)) for (const a of s.notReadyAddresses) notReady.push(ip(a));
      }
    }
    return { object: obj, kind: "Endpoints", service: obj.name, namespace: obj.namespace, ready, notReady };
  }
  const eps = obj.value.endpoints;
  if (Array.isArray(eps)) {
    for (const e of eps.map(rec)) {
      const addr = Array.isArray(e.addresses) ? e.addresses.map((a) => str(a)).join(",") || "?" : "?";
      // EndpointConditions.ready: "nil should be interpreted as true".
      if (rec(e.conditions).ready === false) notReady.push(addr);
      else ready.push(addr);
    }
  }
  const service = str(rec(rec(obj.value.metadata).labels)["kubernetes.io/service-name"]);
  return { object: obj, kind: "EndpointSlice", service, namespace: obj.namespace, ready, notReady };
}

export function buildObserved(objects: readonly K8sObject[], policy?: ReadPolicy): ObservedState {
  const pods: ObservedPod[] = [];
  const nodes: ObservedNode[] = [];
  const events: ObservedEvent[] = [];
  const endpoints: ObservedEndpoints[] = [];
  const podNamespaces = new Set<string>();
  const has = { pods: false, events: false, endpoints: false, nodes: false };
  for (const obj of objects) {
    switch (obj.kind) {
      case "Pod":
        // Only pods with a status are observed state; a manifest is configuration.
        if (obj.value.status === undefined) break;
        has.pods = true;
        pods.push(podOf(obj));
        break;
      case "Node":
        has.nodes = true;
        nodes.push(nodeOf(obj));
        break;
      case "Event":
        has.events = true;
        events.push(eventOf(obj));
        break;
      case "Endpoints":
      case "EndpointSlice":
        has.endpoints = true;
        endpoints.push(endpointsOf(obj));
        break;
    }
  }
  // The namespaces a snapshot lists pods for: a pods file (even an empty list) says "these are all".
  for (const p of pods) podNamespaces.add(p.namespace);
  const byUid = new Map<string, ObservedPod>();
  const byName = new Map<string, ObservedPod>();
  for (const p of pods) {
    if (p.uid) byUid.set(p.uid, p);
    byName.set(`${p.namespace}/${p.name}`, p);
  }
  const nodeByName = new Map(nodes.map((n) => [n.name, n]));
  for (const e of events) {
    const inv = e.involved;
    if (!inv) continue;
    if (inv.kind === "Pod") {
      // By uid: a StatefulSet reuses pod names. By name when the event has no uid.
      const p = (inv.uid && byUid.get(inv.uid)) || (!inv.uid || !byUid.size ? byName.get(`${inv.namespace || "default"}/${inv.name}`) : undefined);
      p?.events.push(e);
    } else if (inv.kind === "Node") nodeByName.get(inv.name)?.events.push(e);
  }
  const notices: string[] = [];
  const cache = new Map<string, ContainerLog[] | null>();
  const readFile = (abs: string, display: string, parse: (r: { file: SourceFile; truncated: boolean }) => ContainerLog[]): ContainerLog[] | null => {
    if (cache.has(abs)) return cache.get(abs)!;
    const r = readTail(abs, display, policy);
    let out: ContainerLog[] | null = null;
    if ("error" in r) {
      if (!r.missing) {
        notices.push(`${display}: log not read: ${r.error}`);
        // Said in the findings too: a log that could not be read is not a log that is absent.
        const file: SourceFile = { path: display, absPath: abs, text: "", lines: new LineIndex(""), format: "text" };
        out = [{ container: "", previous: false, file, start: 0, end: 0, truncated: false, error: `could not be read: ${r.error}` }];
      }
    } else {
      if (r.truncated) notices.push(`${display}: a large log: only its last ${Math.round(r.file.text.length / 1024)} KB were read`);
      out = parse(r);
    }
    cache.set(abs, out);
    return out;
  };
  const logs = (pod: ObservedPod, container: string): ContainerLog[] => {
    const src = pod.logSource;
    if (!src) return [];
    if (src.layout === "dump") {
      const sections = readFile(src.absPath, src.display, (r) => dumpLogSections(r.file, r.truncated)) ?? [];
      return sections.filter((s) => s.container === container || (s.container === "" && s.error));
    }
    if (/[/\\]|^\.\.?$/.test(container)) return [];
    const out: ContainerLog[] = [];
    for (const previous of [true, false]) {
      const name = `${container}${previous ? "-previous" : ""}.log`;
      const got = readFile(path.join(src.absDir, name), `${src.displayDir}/${name}`, (r) => [
        { container, previous, file: r.file, start: 0, end: r.file.text.length, truncated: r.truncated, error: null },
      ]);
      if (got) out.push(...got.map((l) => (l.container ? l : { ...l, container })));
    }
    if (!out.length) {
      // Troubleshoot writes <container>-logs-errors.log when it could not fetch the log.
      const name = `${container}-logs-errors.log`;
      const err = readFile(path.join(src.absDir, name), `${src.displayDir}/${name}`, (r) => [
        { container, previous: false, file: r.file, start: 0, end: r.file.text.length, truncated: r.truncated, error: r.file.text.trim().slice(0, 300) || "log not collected" },
      ]);
      if (err) out.push(...err);
    }
    return out;
  };
  return { pods, nodes, events, endpoints, podNamespaces, has, logs, notices };
}

/** A pod whose containers all run and are ready (Succeeded pods are done, not broken). */
export function isRunningReady(pod: ObservedPod): boolean {
  if (pod.phase === "Succeeded") return true;
  if (pod.phase !== "Running") return false;
  const ready = pod.conditions.find((c) => c.type === "Ready");
  if (ready) return ready.status === "True";
  const regular = pod.containers.filter((c) => !c.init);
  return regular.length > 0 && regular.every((c) => c.ready && c.state.kind === "running");
}

/** The snapshot says the pod is not ready (Pending or Failed, Ready False, a container not ready); a Running pod without status detail is not. */
export function isKnownNotReady(pod: ObservedPod): boolean {
  if (pod.phase === "Pending" || pod.phase === "Failed" || pod.phase === "Unknown") return true;
  const ready = pod.conditions.find((c) => c.type === "Ready");
  if (ready) return ready.status !== "True";
  return pod.containers.some((c) => !c.init && !c.ready);
}
