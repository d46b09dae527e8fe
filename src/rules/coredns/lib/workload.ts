/**
 * The CoreDNS workload as the workload rules see it: the Deployment (or DaemonSet) that runs a
 * CoreDNS image, its container, ports, probes, mounts and security context, the Corefile the model
 * joined to it, the Services in front of it, and the values those need (quantities, image versions).
 */
import type { ClusterModel, CorefileArtifact, K8sObject, Loc } from "../../../model/types.js";
import { containers, getPath, labelsMatch, podSpecPath, type ContainerRef } from "../../../model/workloads.js";
import { closeness, nearestByName } from "../../../model/nearest.js";
import type { CorefileServerBlock, CorefileToken } from "../../../parsers/corefile/index.js";
import type { PathSegment } from "../../../parsers/yaml.js";

export type Plain = Record<string, unknown>;

export const asRecord = (v: unknown): Plain | null => (v && typeof v === "object" && !Array.isArray(v) ? (v as Plain) : null);
export const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * A CoreDNS image: `coredns/coredns:1.11.3`, `registry.k8s.io/coredns/coredns:v1.11.3`,
 * `rancher/mirrored-coredns-coredns:1.12.0`. NodeLocal DNSCache (`k8s-dns-node-cache`) is built on
 * CoreDNS but copies its Corefile at start and listens on link-local addresses: it is not the
 * cluster DNS workload these rules judge.
 */
export function isCorednsContainer(c: ContainerRef): boolean {
  if (/node-cache/.test(c.image)) return false;
  return /(^|[/-])coredns(:|@|$)/.test(c.image) || (c.name === "coredns" && c.image !== "");
}

export interface CorednsWorkload {
  object: K8sObject;
  container: ContainerRef;
  specPath: PathSegment[];
  spec: Plain;
  /** Pod template labels (the Pod's own labels for a bare Pod). */
  labels: Plain;
  /** The Corefile the model joined to this workload (its ConfigMap, `-conf` path and volume), if any. */
  corefile: CorefileArtifact | null;
}

/** Deployments and DaemonSets that run CoreDNS (bare Pods of a snapshot are their instances, not workloads of their own). */
export function corednsWorkloads(cluster: ClusterModel): CorednsWorkload[] {
  const out: CorednsWorkload[] = [];
  for (const object of cluster.objects) {
    if (object.kind !== "Deployment" && object.kind !== "DaemonSet") continue;
    const container = containers(object).find(isCorednsContainer);
    const specPath = podSpecPath(object);
    if (!container || !specPath) continue;
    const spec = asRecord(getPath(object.value, specPath)) ?? {};
    const labels = asRecord(getPath(object.value, ["spec", "template", "metadata", "labels"])) ?? {};
    const corefile = nearestJoin(cluster, object, cluster.corefiles.find((cf) => cf.deployment === object) ?? null);
    out.push({ object, container, specPath, spec, labels, corefile });
  }
  return out;
}

/**
 * The model joins a Deployment to the first ConfigMap of the name it mounts. When one input holds
 * several such ConfigMaps (many clusters or examples side by side), the join is trusted only when
 * the joined one is the unique nearest to the Deployment (model/nearest.ts); otherwise the rules that compare the Corefile with the workload stay quiet rather
 * than mix two clusters.
 */
function nearestJoin(cluster: ClusterModel, workload: K8sObject, cf: CorefileArtifact | null): CorefileArtifact | null {
  const cm = cf?.configMap;
  if (!cf || !cm) return cf;
  const peers = cluster.objects.filter((o) => o.kind === "ConfigMap" && o.name === cm.name && sameNamespace(o, cm));
  if (peers.length < 2) return cf;
  const score = (o: K8sObject) => closeness(o.file.path, workload.file.path);
  const best = Math.max(...peers.map(score));
  return score(cm) === best && peers.filter((o) => score(o) === best).length === 1 ? cf : null;
}

export function sameNamespace(a: K8sObject, b: K8sObject): boolean {
  return a.namespace === b.namespace || a.namespace === "" || b.namespace === "";
}

/** The Corefile when it parsed: rules that compare it with the workload stay quiet on a broken one (corefile-syntax reports it). */
export function parsedCorefile(w: CorednsWorkload): CorefileArtifact | null {
  return w.corefile && !w.corefile.parse.error ? w.corefile : null;
}

export function tokenLoc(cf: CorefileArtifact, t: CorefileToken): Loc {
  return cf.locate({ offset: t.offset, endOffset: t.endOffset, ...(t.file ? { file: t.file } : {}) });
}

// ------------------------------------------------------------------ ports

export interface ContainerPort {
  name: string;
  port: number;
  protocol: string;
  /** Path of the port entry in the object. */
  path: PathSegment[];
  container: ContainerRef;
}

export function containerPorts(c: ContainerRef): ContainerPort[] {
  return asArray(c.value.ports).flatMap((p, i) => {
    const port = asRecord(p);
    if (!port || typeof port.containerPort !== "number") return [];
    return [{
      name: typeof port.name === "string" ? port.name : "",
      port: port.containerPort,
      protocol: typeof port.protocol === "string" ? port.protocol : "TCP",
      path: [...c.path, "ports", i],
      container: c,
    }];
  });
}

/** Every container port of the pod (a Service's named targetPort resolves against all containers). */
export function podPorts(w: CorednsWorkload): ContainerPort[] {
  return containers(w.object).flatMap(containerPorts);
}

/** The container ports that carry DNS: named like `dns`/`dns-tcp`, or number 53. */
export function dnsContainerPorts(w: CorednsWorkload): ContainerPort[] {
  return containerPorts(w.container).filter((p) => /dns/i.test(p.name) || (p.name === "" && p.port === 53) || p.port === 53);
}

/** Ports CoreDNS serves plain DNS on (UDP and TCP): the `dns://` server blocks of its Corefile. */
export function corefileDnsPorts(cf: CorefileArtifact): Map<number, { block: CorefileServerBlock; key: CorefileToken }> {
  const ports = new Map<number, { block: CorefileServerBlock; key: CorefileToken }>();
  for (const block of cf.parse.serverBlocks) {
    block.zones.forEach((z, i) => {
      if (z.transport !== "dns" || ports.has(z.port)) return;
      const key = block.keyTokens[Math.min(i, block.keyTokens.length - 1)];
      if (key) ports.set(z.port, { block, key });
    });
  }
  return ports;
}

// ------------------------------------------------------------------ services

export interface ServicePort {
  index: number;
  name: string;
  port: number;
  protocol: string;
  /** As written: a number, a name, or undefined (then the port itself). */
  targetPort: number | string | undefined;
  path: PathSegment[];
}

export function servicePorts(svc: K8sObject): ServicePort[] {
  return asArray(getPath(svc.value, ["spec", "ports"])).flatMap((p, index) => {
    const sp = asRecord(p);
    if (!sp || typeof sp.port !== "number") return [];
    const tp = sp.targetPort;
    return [{
      index,
      name: typeof sp.name === "string" ? sp.name : "",
      port: sp.port,
      protocol: typeof sp.protocol === "string" ? sp.protocol : "TCP",
      targetPort: typeof tp === "number" ? tp : typeof tp === "string" ? (/^[0-9]+$/.test(tp) ? Number(tp) : tp) : undefined,
      path: ["spec", "ports", index],
    }];
  });
}

export function serviceSelector(svc: K8sObject): Plain | null {
  return asRecord(getPath(svc.value, ["spec", "selector"]));
}

/** Services of the workload's namespace whose selector picks its pods. */
export function servicesSelecting(cluster: ClusterModel, w: CorednsWorkload): K8sObject[] {
  // Of same-named Services (copies in other directories), the nearest one is the workload's.
  const services = cluster.objects.filter((o) => o.kind === "Service" && sameNamespace(o, w.object));
  return nearestByName(w.object, services).filter((o) => {
    const sel = serviceSelector(o);
    return !!sel && labelsMatch(sel, w.labels);
  });
}

/** The cluster DNS Service by its conventional identity: named kube-dns (kubeadm, k3s, the addon), or labelled k8s-app: kube-dns with a port 53. */
export function isKubeDnsService(svc: K8sObject): boolean {
  if (svc.kind !== "Service") return false;
  if (svc.name === "kube-dns") return true;
  const labels = asRecord(getPath(svc.value, ["metadata", "labels"])) ?? {};
  return labels["k8s-app"] === "kube-dns" && servicePorts(svc).some((p) => p.port === 53) && !/upstream/.test(svc.name);
}

/** The Service port resolved to the pod's port number, as the endpoints controller does (a name matches name and protocol). */
export function resolveTargetPort(sp: ServicePort, ports: ContainerPort[]): { port: number; via: ContainerPort | null } | null {
  if (sp.targetPort === undefined) return { port: sp.port, via: null };
  if (typeof sp.targetPort === "number") return { port: sp.targetPort, via: null };
  const named = ports.find((p) => p.name === sp.targetPort && p.protocol === sp.protocol);
  return named ? { port: named.port, via: named } : null;
}

/** Where a Service port sends traffic: its targetPort, else its port. */
export function targetLoc(svc: K8sObject, sp: ServicePort): Loc {
  return svc.rangeAt([...sp.path, "targetPort"]) ?? svc.locate([...sp.path, "port"]);
}

// ------------------------------------------------------------------ values

const QUANTITY_SUFFIX: Record<string, number> = {
  "": 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** A Kubernetes resource quantity (`170Mi`, `0.5Gi`, `200M`, `1e9`, `128974848`) in base units, or null when it is not one. */
export function parseQuantity(input: unknown): number | null {
  if (typeof input === "number") return Number.isFinite(input) ? input : null;
  if (typeof input !== "string") return null;
  const m = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(?:([eE][+-]?[0-9]+)|(Ki|Mi|Gi|Ti|Pi|Ei|[mkMGTPE])?)$/.exec(input.trim());
  if (!m) return null;
  const n = Number(m[1]);
  if (m[2]) return n * 10 ** Number(m[2].slice(1));
  return n * QUANTITY_SUFFIX[m[3] ?? ""]!;
}

/** The version in an image tag (`v1.11.3`, `1.8.6`, `1.12.0-amd64`), or null (a digest, `latest`, no tag). */
export function imageVersion(image: string): [number, number, number] | null {
  const tag = /:([^:/@]+)(@.*)?$/.exec(image)?.[1];
  const m = tag ? /^v?([0-9]+)\.([0-9]+)(?:\.([0-9]+))?/.exec(tag) : null;
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : null;
}

export function versionBefore(v: readonly number[], ref: readonly number[]): boolean {
  for (let i = 0; i < ref.length; i++) {
    const a = v[i] ?? 0;
    const b = ref[i] ?? 0;
    if (a !== b) return a < b;
  }
  return false;
}

/** The container's effective security setting: the container's own, else the pod's. */
export function effectiveSecurity(w: CorednsWorkload, field: string): { value: unknown; loc: Loc | null } {
  const own = asRecord(w.container.value.securityContext);
  if (own && field in own) return { value: own[field], loc: w.object.rangeAt([...w.container.path, "securityContext", field]) ?? null };
  const pod = asRecord(w.spec.securityContext);
  if (pod && field in pod) return { value: pod[field], loc: w.object.rangeAt([...w.specPath, "securityContext", field]) ?? null };
  return { value: undefined, loc: null };
}

/** The arguments of CoreDNS's command line with where each one is. */
export function commandLine(c: ContainerRef): { word: string; path: PathSegment[] }[] {
  return [
    ...c.command.map((word, i) => ({ word, path: [...c.path, "command", i] })),
    ...c.args.map((word, i) => ({ word, path: [...c.path, "args", i] })),
  ];
}

/** Whether `file` lies at or under `dir` (absolute paths). */
export function under(file: string, dir: string): boolean {
  return file === dir || file.startsWith(dir === "/" ? "/" : dir + "/");
}

