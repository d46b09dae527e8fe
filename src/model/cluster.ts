/**
 * One model per cluster: partition the input into clusters, then join the artifacts (which
 * ConfigMap CoreDNS loads, which config kube-proxy loads, which CNI config each node's runtime
 * loads) and collect every cluster fact with all the places that state it.
 */
import path from "node:path";
import { picomatch } from "../lazy-deps.js";
import { parseCorefile } from "../parsers/corefile/index.js";
import { parseJson, toPlain, type JsonNode } from "../parsers/json.js";
import { LineIndex } from "../parsers/lines.js";
import { parseYamlDocument, splitYamlDocuments, yamlRange, yamlScalarAt, type PathSegment } from "../parsers/yaml.js";
import { parseFlags, splitWords, type Flag } from "../parsers/flags.js";
import { loadConfDir, readConfDirFromDisk, type CniRuntime, type ConfDirEntry } from "./cni-loading.js";
import { displayPath } from "./discover.js";
import { looksLikeCniConfig } from "./classify.js";
import { documentRange, embeddedText, jsonNodeAt, jsonRange, objectFromEmbedded } from "./objects.js";
import { nodeOf, type RawInput } from "./load.js";
import { collectSources, mergeFacts } from "./sources/index.js";
import type { ReadPolicy } from "./read-policy.js";
import { configMapMounts, containers, getPath, mountedFiles } from "./workloads.js";
import { buildObserved } from "./observed/build.js";
import { nearest } from "./nearest.js";
import { kustomizeViews } from "./kustomize/views.js";
import type {
  ClusterFacts, ClusterModel, CniConfDirArtifact, ComponentConfig, CorefileArtifact, Fact, FlagSource,
  K8sObject, Loc, NodeInfo, ParseProblem, PodResolvConf, SourceFile,
} from "./types.js";

export interface ClusterSpec {
  name: string;
  /** Glob patterns relative to `base`. */
  paths: string[];
  base: string;
  facts: Record<string, unknown>;
}

export interface BuildOptions {
  cwd: string;
  clusters: ClusterSpec[];
  facts: Record<string, unknown>;
  /** Conf dirs (absolute) found by discovery. */
  confDirs: string[];
  /** What the conf-dir loader may read. */
  policy?: ReadPolicy;
  /** Set by the engine's driver (model/group.ts decided it from paths): all of `raw` is this one cluster's input, no partition. */
  group?: { name: string; isSnapshot: boolean; facts: Record<string, unknown> };
}

interface Bucket {
  name: string;
  isSnapshot: boolean;
  facts: Record<string, unknown>;
  files: Set<string>;
  confDirs: string[];
  counts: { pods: number; services: number };
}

const COMPONENT_KINDS = new Set(["KubeProxyConfiguration", "KubeletConfiguration", "ClusterConfiguration", "MasterConfiguration"]);

export function buildClusters(raw: RawInput, options: BuildOptions): { clusters: ClusterModel[]; problems: ParseProblem[] } {
  const problems: ParseProblem[] = [];
  // A kustomization tree is one cluster view per overlay; the files outside any tree form the usual buckets.
  const kustomized = kustomizeViews(raw, options.policy);
  const rest = kustomized?.rest ?? raw;
  const buckets = partition(rest, options);
  const clusters = buckets.map((b) => buildCluster(rest, b, options, problems));
  for (const v of kustomized?.views ?? []) {
    const counts = { pods: 0, services: 0 };
    for (const c of v.raw.counts.values()) (counts.pods += c.pods), (counts.services += c.services);
    // The facts of the `clusters:` entry the overlay's files fall in, if any.
    const facts = partition(v.raw, { ...options, confDirs: [] })[0]?.facts ?? options.facts;
    clusters.push(buildCluster(v.raw, { name: v.name, isSnapshot: false, facts, files: new Set(v.raw.files.map((f) => f.path)), confDirs: [], counts }, options, problems));
  }
  return { clusters, problems };
}

function snapshotRoot(displayPathOf: string, markerDirs: string[]): string | null {
  for (const d of markerDirs) if (displayPathOf === d || displayPathOf.startsWith(d === "." ? "" : d + "/")) return d;
  const m = /^(.*?)(?:^|\/)cluster-resources\//.exec(displayPathOf);
  if (m) return m[1] || ".";
  return null;
}

function partition(raw: RawInput, options: BuildOptions): Bucket[] {
  if (options.group) {
    const g = options.group;
    const b: Bucket = { name: g.name, isSnapshot: g.isSnapshot, facts: g.facts, files: new Set(raw.files.map((f) => f.path)), confDirs: [...options.confDirs], counts: { pods: 0, services: 0 } };
    for (const c of raw.counts.values()) {
      b.counts.pods += c.pods;
      b.counts.services += c.services;
    }
    return raw.files.length || raw.counts.size || b.confDirs.length ? [b] : [];
  }
  const confDirPaths = options.confDirs.map((d) => displayPath(options.cwd, d));
  // Snapshot roots: a marker's directory, or a `kubectl cluster-info dump` output directory (nodes.json beside namespace folders of List files).
  const dumpDirs = raw.files
    .filter((f) => path.posix.basename(f.path) === "nodes.json" && raw.files.some((g) => /^(pods|services|deployments|daemonsets|configmaps)\.json$/.test(path.posix.basename(g.path)) && path.posix.dirname(path.posix.dirname(g.path)) === path.posix.dirname(f.path)))
    .map((f) => path.posix.dirname(f.path));
  const markerDirs = [...raw.snapshotMarkers.map((m) => path.posix.dirname(m.file.path)), ...dumpDirs].sort((a, b) => b.length - a.length);
  const buckets = new Map<string, Bucket>();
  const bucket = (name: string, isSnapshot: boolean, facts: Record<string, unknown>) => {
    let b = buckets.get(name);
    if (!b) buckets.set(name, (b = { name, isSnapshot, facts, files: new Set(), confDirs: [], counts: { pods: 0, services: 0 } }));
    return b;
  };
  const matchers = options.clusters.map((c) => ({
    spec: c,
    match: picomatch(c.paths.length ? c.paths : ["**"], { dot: true }),
  }));
  const assign = (display: string, abs: string | null): Bucket => {
    for (const { spec, match } of matchers) {
      const rel = abs ? path.relative(spec.base, abs).split(path.sep).join("/") : display;
      if (!rel.startsWith("..") && match(rel)) return bucket(spec.name, false, { ...options.facts, ...spec.facts });
    }
    const snap = snapshotRoot(display, markerDirs);
    if (snap !== null) return bucket(snap, true, options.facts);
    return bucket("default", false, options.facts);
  };
  for (const f of raw.files) assign(f.path, f.absPath).files.add(f.path);
  const absOf = new Map(raw.files.map((f) => [f.path, f.absPath]));
  for (const [p, c] of raw.counts) {
    const b = assign(p, absOf.get(p) ?? path.resolve(options.cwd, p));
    b.counts.pods += c.pods;
    b.counts.services += c.services;
  }
  options.confDirs.forEach((abs, i) => assign(confDirPaths[i]!, abs).confDirs.push(abs));
  return [...buckets.values()].sort((a, b) => (a.name === "default" ? -1 : b.name === "default" ? 1 : a.name < b.name ? -1 : 1));
}

function emptyFacts(): ClusterFacts {
  return { podCIDRs: [], serviceCIDRs: [], clusterDomain: [], clusterDNS: [] };
}

function buildCluster(raw: RawInput, bucket: Bucket, options: BuildOptions, problems: ParseProblem[]): ClusterModel {
  const inBucket = (f: SourceFile) => bucket.files.has(f.path);
  const objects = raw.objects.filter((o) => inBucket(o.file));
  const model: ClusterModel = {
    name: bucket.name,
    isSnapshot: bucket.isSnapshot,
    files: raw.files.filter(inBucket),
    objects,
    corefiles: [],
    cniConfDirs: [],
    looseCniFiles: [],
    kubeProxyConfigs: [],
    kubeletConfigs: [],
    kubeadmConfigs: [],
    flagSources: [],
    resolvConfs: raw.resolvConfs.filter((r) => inBucket(r.file)),
    nodes: new Map(),
    facts: emptyFacts(),
    counts: bucket.counts,
    parseProblems: raw.problems.filter((p) => inBucket(p.loc.file)),
    configFacts: bucket.facts,
    observed: buildObserved(objects, options.policy),
  };
  applySnapshotMarker(model, raw);
  collectComponentConfigs(model, problems);
  collectFlagSources(model, raw);
  collectNodes(model, raw);
  collectCorefiles(model, raw, problems);
  // Distributions, Helm values and CNI resources (src/model/sources): facts, derived configs, Corefiles, the CNI.
  const sourceFacts = collectSources(model, (raw.sourceDocs ?? []).filter((d) => inBucket(d.object.file)), embeddedObjects, raw.notices);
  collectCni(model, raw, bucket, options);
  collectFacts(model, raw);
  mergeFacts(model.facts, sourceFacts);
  return model;
}

// ---------------------------------------------------------------- snapshot marker

/** What `collect` recorded: the cluster-wide pod and service counts, and the server version. */
function applySnapshotMarker(model: ClusterModel, raw: RawInput): void {
  const files = new Set(model.files);
  const marker = raw.snapshotMarkers.find((m) => files.has(m.file))?.value as
    | { counts?: { pods?: unknown; services?: unknown }; serverVersion?: unknown }
    | undefined;
  if (!marker || typeof marker !== "object") return;
  const { counts, serverVersion } = marker;
  if (counts && typeof counts.pods === "number" && typeof counts.services === "number") {
    model.counts = { pods: Math.max(model.counts.pods, counts.pods), services: Math.max(model.counts.services, counts.services) };
  }
  const version = typeof serverVersion === "string" ? serverVersion : (serverVersion as { gitVersion?: unknown } | undefined)?.gitVersion;
  if (typeof version === "string" && /^v?\d+\.\d+/.test(version) && model.configFacts.kubernetesVersion === undefined) {
    model.configFacts = { ...model.configFacts, kubernetesVersion: version.replace(/^v/, "").replace(/[-+].*$/, "") };
  }
}

// ---------------------------------------------------------------- component configs

function collectComponentConfigs(model: ClusterModel, problems: ParseProblem[]): void {
  const add = (cfg: ComponentConfig) => {
    if (cfg.kind === "KubeProxyConfiguration") model.kubeProxyConfigs.push(cfg);
    else if (cfg.kind === "KubeletConfiguration") model.kubeletConfigs.push(cfg);
    else model.kubeadmConfigs.push(cfg);
  };
  for (const obj of model.objects) {
    if (COMPONENT_KINDS.has(obj.kind)) {
      add({
        kind: obj.kind === "MasterConfiguration" ? "ClusterConfiguration" : (obj.kind as ComponentConfig["kind"]),
        value: obj.value,
        object: obj,
        configMap: null,
        key: null,
        locate: obj.locate,
        rangeAt: obj.rangeAt,
        node: obj.node ?? null,
      });
      continue;
    }
    if (obj.kind !== "ConfigMap") continue;
    const data = obj.value.data;
    if (!data || typeof data !== "object") continue;
    for (const [key, text] of Object.entries(data as Record<string, unknown>)) {
      if (typeof text !== "string") continue;
      const km = /^kind:[ \t]*["']?([A-Za-z]+)/m.exec(text) ?? /"kind"\s*:\s*"([A-Za-z]+)"/.exec(text);
      if (!km || !COMPONENT_KINDS.has(km[1]!)) continue;
      for (const inner of embeddedObjects(obj, ["data", key], problems)) {
        if (!COMPONENT_KINDS.has(inner.kind)) continue;
        add({
          kind: inner.kind === "MasterConfiguration" ? "ClusterConfiguration" : (inner.kind as ComponentConfig["kind"]),
          value: inner.value,
          object: inner,
          configMap: obj,
          key,
          locate: inner.locate,
          rangeAt: inner.rangeAt,
          node: obj.node ?? null,
        });
      }
    }
  }
}

/** Parse the YAML or JSON documents held in a string field, with ranges in the host file. */
export function embeddedObjects(host: K8sObject, fieldPath: PathSegment[], problems: ParseProblem[]): K8sObject[] {
  const emb = embeddedText(host, fieldPath);
  if (!emb) return [];
  const out: K8sObject[] = [];
  const text = emb.text;
  if (/^\s*\{/.test(text)) {
    const parsed = parseJson(text);
    if (parsed.error || !parsed.value) {
      const at = emb.toFile(parsed.error?.offset ?? 0);
      problems.push({ ruleId: "yaml/syntax", loc: { file: emb.file, start: at, end: at + 1 }, message: parsed.error?.message ?? "not JSON", embeddedIn: describeField(host, fieldPath) });
      return [];
    }
    const root = parsed.value as JsonNode;
    const value = toPlain(root);
    if (!value || typeof value !== "object" || Array.isArray(value)) return [];
    out.push(
      objectFromEmbedded(emb, value as Record<string, unknown>, () => [root.start, root.end], (p, part) => jsonRange(root, p, part), (p) => {
        const n = jsonNodeAt(root, p);
        return n && n.type === "string" ? { start: n.start, end: n.end, type: "JSON", value: n.value } : undefined;
      }),
    );
    return out;
  }
  for (const slice of splitYamlDocuments(text)) {
    const parsed = parseYamlDocument(text, slice);
    if (parsed.errors.length) {
      const e = parsed.errors[0]!;
      const at = emb.toFile(e.offset);
      problems.push({ ruleId: "yaml/syntax", loc: { file: emb.file, start: at, end: at + 1 }, message: e.message, embeddedIn: describeField(host, fieldPath) });
      continue;
    }
    const value = parsed.value;
    if (!value || typeof value !== "object" || Array.isArray(value)) continue;
    out.push(objectFromEmbedded(emb, value as Record<string, unknown>, () => documentRange(parsed), (p, part) => yamlRange(parsed, p, part), (p) => {
      const s = yamlScalarAt(parsed, p);
      return s ? { start: s.start, end: s.end, type: s.type, value: s.value } : undefined;
    }, parsed.positionsOnDemand === true));
  }
  return out;
}

function describeField(host: K8sObject, fieldPath: PathSegment[]): string {
  const key = fieldPath[0] === "data" && fieldPath.length === 2 ? `key ${String(fieldPath[1])}` : fieldPath.join(".");
  return `${host.kind} ${host.name || "(unnamed)"} ${key}`;
}

// ---------------------------------------------------------------- flags

const CONTROL_PLANE_VALUE_FLAGS = new Set(["cluster-cidr", "service-cluster-ip-range", "node-cidr-mask-size", "node-cidr-mask-size-ipv4", "node-cidr-mask-size-ipv6", "config", "hostname-override", "conf", "allocate-node-cidrs"]);

function componentOf(c: { name: string; image: string; command: string[] }): FlagSource["component"] | null {
  const words = [c.name, c.image, ...c.command.slice(0, 1)].join(" ");
  if (/kube-controller-manager/.test(words)) return "kube-controller-manager";
  if (/kube-apiserver/.test(words)) return "kube-apiserver";
  if (/kube-proxy/.test(words)) return "kube-proxy";
  if (/coredns/.test(words)) return "coredns";
  return null;
}

function collectFlagSources(model: ClusterModel, raw: RawInput): void {
  for (const obj of model.objects) {
    if (obj.kind !== "Pod" && obj.kind !== "DaemonSet" && obj.kind !== "Deployment") continue;
    for (const c of containers(obj)) {
      const component = componentOf(c);
      if (!component || component === "coredns") continue;
      const flags: Flag[] = [];
      for (const field of ["command", "args"] as const) {
        const list = c[field];
        list.forEach((word, i) => {
          const r = obj.rangeAt([...c.path, field, i]);
          const exact = r && r.end - r.start === word.length;
          const start = r ? r.start : -1;
          for (const f of parseFlags(splitWords(word, 0), CONTROL_PLANE_VALUE_FLAGS)) {
            const shift = (o: number) => (r ? (exact ? start + o : start) : -1);
            flags.push({ ...f, start: shift(f.start), end: r ? (exact ? start + f.end : r.end) : -1, valueStart: shift(f.valueStart), valueEnd: r ? (exact ? start + f.valueEnd : r.end) : -1 });
          }
        });
      }
      model.flagSources.push({ component, flags, file: obj.file, node: obj.node ?? null, object: obj, containerPath: c.path, origin: `${component} flags in ${obj.kind} ${obj.name || "(unnamed)"}` });
    }
  }
  for (const f of raw.kubeletFlagFiles) {
    if (!model.files.includes(f.file)) continue;
    model.flagSources.push({ component: "kubelet", flags: f.flags, file: f.file, node: nodeOf(f.file.path)?.node ?? null, object: null, containerPath: null, origin: f.origin });
  }
}

// ---------------------------------------------------------------- nodes

function runtimeFromVersion(v: unknown): CniRuntime | null {
  if (typeof v !== "string") return null;
  if (v.startsWith("cri-o://")) return "cri-o";
  if (v.startsWith("containerd://")) return "containerd";
  return null;
}

function collectNodes(model: ClusterModel, raw: RawInput): void {
  const node = (name: string): NodeInfo => {
    let n = model.nodes.get(name);
    if (!n) {
      n = { name, podResolvConf: { path: "/etc/resolv.conf", loc: null, origin: "the kubelet's default resolvConf", config: null, source: "default" }, resolvConfs: new Map(), kubeletConfig: null, kubeletFlags: [], object: null, runtime: null, cniBinaries: null };
      model.nodes.set(name, n);
    }
    return n;
  };
  for (const obj of model.objects) {
    if (obj.kind !== "Node" || !obj.name) continue;
    const n = node(obj.name);
    n.object = obj;
    n.runtime = runtimeFromVersion(getPath(obj.value, ["status", "nodeInfo", "containerRuntimeVersion"]));
  }
  for (const r of model.resolvConfs) if (r.node && r.nodePath) node(r.node).resolvConfs.set(r.nodePath, r);
  for (const cfg of model.kubeletConfigs) if (cfg.node) node(cfg.node).kubeletConfig = cfg;
  for (const fs of model.flagSources) if (fs.component === "kubelet" && fs.node) node(fs.node).kubeletFlags.push(fs);
  for (const b of raw.binLists) {
    if (!model.files.includes(b.file)) continue;
    const where = nodeOf(b.file.path);
    if (where) node(where.node).cniBinaries = b;
  }
  const shared = model.kubeletConfigs.filter((c) => !c.node);
  for (const n of model.nodes.values()) n.podResolvConf = podResolvConf(n, shared.length === 1 ? shared[0]! : null);
}

function podResolvConf(n: NodeInfo, sharedConfig: ComponentConfig | null): PodResolvConf {
  for (const src of n.kubeletFlags) {
    const f = src.flags.filter((x) => x.name === "resolv-conf").pop();
    if (f && f.value !== null) {
      const loc = f.valueStart >= 0 ? { file: src.file, start: f.valueStart, end: f.valueEnd } : null;
      return { path: f.value, loc, origin: `--resolv-conf in ${src.file.path}`, config: null, source: "flag" };
    }
  }
  const cfg = n.kubeletConfig ?? sharedConfig;
  if (cfg && typeof cfg.value.resolvConf === "string") {
    return { path: cfg.value.resolvConf, loc: cfg.rangeAt(["resolvConf"]) ?? null, origin: `resolvConf in ${cfg.object.file.path}`, config: cfg, source: "config" };
  }
  return { path: "/etc/resolv.conf", loc: null, origin: "the kubelet's default resolvConf", config: cfg, source: "default" };
}

// ---------------------------------------------------------------- CoreDNS

function isCorednsWorkload(obj: K8sObject): boolean {
  if (obj.kind !== "Deployment" && obj.kind !== "DaemonSet" && obj.kind !== "Pod") return false;
  return containers(obj).some((c) => /(^|\/)coredns(:|@|$)/.test(c.image) || (c.name === "coredns" && !/node-cache|k8s-dns-node-cache/.test(c.image)) || /node-cache/.test(c.image));
}

function hasController(pod: K8sObject): boolean {
  const refs = getPath(pod.value, ["metadata", "ownerReferences"]);
  return Array.isArray(refs) && refs.some((r) => r && typeof r === "object" && (r as { controller?: unknown }).controller === true);
}

function sameNamespace(a: K8sObject, b: K8sObject): boolean {
  return a.namespace === b.namespace || a.namespace === "" || b.namespace === "";
}

function confPath(args: string[]): string {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const m = /^--?conf(?:=(.*))?$/.exec(a);
    if (m) return m[1] ?? args[i + 1] ?? "Corefile";
  }
  return "Corefile";
}

function collectCorefiles(model: ClusterModel, raw: RawInput, problems: ParseProblem[]): void {
  const configMaps = model.objects.filter((o) => o.kind === "ConfigMap");
  const consumed = new Set<K8sObject>();
  // Pods of a CoreDNS Deployment or DaemonSet (a snapshot lists both) are not workloads of their own.
  const controllers = model.objects.filter((o) => o.kind !== "Pod" && isCorednsWorkload(o));
  const workloads = model.objects.filter((o) => isCorednsWorkload(o) && !(o.kind === "Pod" && controllers.length > 0 && hasController(o)));
  for (const workload of workloads) {
    for (const c of containers(workload)) {
      if (!/coredns|node-cache/.test(c.image) && c.name !== "coredns") continue;
      const conf = confPath([...c.command, ...c.args]);
      const mounts = configMapMounts(c);
      const vfs = new Map<string, { cm: K8sObject; key: string }>();
      for (const m of mounts) {
        const cm = nearest(workload, configMaps.filter((o) => o.name === m.configMapName && sameNamespace(o, workload)));
        if (!cm) continue;
        const keys = Object.keys((cm.value.data ?? {}) as object);
        for (const [p, key] of mountedFiles(m, keys)) vfs.set(p, { cm, key });
      }
      const confAbs = conf.startsWith("/") ? conf : path.posix.join("/", conf);
      const main = vfs.get(confAbs);
      if (!main) continue;
      consumed.add(main.cm);
      const artifact = corefileFromConfigMap(main.cm, main.key, { filename: confAbs, env: c.env, vfs, deployment: workload }, problems);
      if (artifact) model.corefiles.push(artifact);
    }
  }
  for (const cm of configMaps) {
    if (consumed.has(cm)) continue;
    const data = (cm.value.data ?? {}) as Record<string, unknown>;
    if (typeof data.Corefile !== "string") continue;
    const vfs = new Map<string, { cm: K8sObject; key: string }>();
    for (const k of Object.keys(data)) vfs.set(`/etc/coredns/${k}`, { cm, key: k });
    // k3s and AKS: `coredns-custom` keys are imported from /etc/coredns/custom.
    const custom = nearest(cm, configMaps.filter((o) => o.name === "coredns-custom" && sameNamespace(o, cm)));
    for (const other of custom ? [custom] : []) {
      for (const k of Object.keys((other.value.data ?? {}) as object)) vfs.set(`/etc/coredns/custom/${k}`, { cm: other, key: k });
    }
    // A workload that mounts it under another name (NodeLocal DNSCache renders /etc/Corefile from Corefile.base) still runs it.
    const consumer = nearest(cm, workloads.filter((w) => sameNamespace(w, cm) && containers(w).some((c) => configMapMounts(c).some((m) => m.configMapName === cm.name))));
    const env = consumer ? Object.assign({}, ...containers(consumer).map((c) => c.env)) as Record<string, string> : {};
    const artifact = corefileFromConfigMap(cm, "Corefile", { filename: "/etc/coredns/Corefile", env, vfs, deployment: consumer ?? null }, problems);
    if (artifact) model.corefiles.push(artifact);
  }
  for (const file of raw.corefiles) {
    if (!model.files.includes(file)) continue;
    const parse = parseCorefile(file.text, { filename: file.path, env: {}, files: {}, onUnknownDirective: "record", onMissingImport: "record" });
    model.corefiles.push({
      file,
      configMap: null,
      key: null,
      parse,
      deployment: null,
      mountedFiles: new Map(),
      locate(pos) {
        if (pos.file && pos.file !== file.path) return { file, start: 0, end: 0 };
        if (pos.offset !== undefined) return { file, start: pos.offset, end: pos.endOffset ?? pos.offset + 1 };
        const line = pos.line ?? 1;
        return { file, start: file.lines.lineStart(line), end: file.lines.lineEnd(line) };
      },
    });
  }
}

function corefileFromConfigMap(
  cm: K8sObject,
  key: string,
  ctx: { filename: string; env: Record<string, string>; vfs: Map<string, { cm: K8sObject; key: string }>; deployment: K8sObject | null },
  _problems: ParseProblem[],
): CorefileArtifact | null {
  const main = cm.stringSource(["data", key]);
  if (!main) return null;
  const files: Record<string, string> = {};
  const sources = new Map<string, { cm: K8sObject; offsets: Int32Array; file: SourceFile }>();
  for (const [p, ref] of ctx.vfs) {
    const s = ref.cm.stringSource(["data", ref.key]);
    if (!s) continue;
    files[p] = s.value;
    sources.set(p, { cm: ref.cm, offsets: s.offsets, file: s.file ?? ref.cm.file });
  }
  const parse = parseCorefile(main.value, { filename: ctx.filename, env: ctx.env, files, onUnknownDirective: "record", onMissingImport: "record" });
  const keyLoc = cm.locate(["data", key], "key");
  return {
    file: main.file ?? cm.file,
    configMap: cm,
    key,
    parse,
    deployment: ctx.deployment,
    mountedFiles: ctx.vfs,
    locate(pos) {
      let offsets = main.offsets;
      let file = main.file ?? cm.file;
      if (pos.file && pos.file !== ctx.filename) {
        const src = sources.get(pos.file);
        if (!src) return keyLoc;
        offsets = src.offsets;
        file = src.file;
      }
      const text = pos.file && pos.file !== ctx.filename ? files[pos.file] ?? "" : main.value;
      let start: number;
      let end: number;
      if (pos.offset !== undefined) {
        start = pos.offset;
        end = pos.endOffset ?? pos.offset + 1;
      } else {
        const lines = new LineIndex(text);
        start = lines.lineStart(pos.line ?? 1);
        end = lines.lineEnd(pos.line ?? 1);
      }
      const at = (o: number) => offsets[Math.max(0, Math.min(o, offsets.length - 1))]!;
      const s = at(start);
      const e = end > start ? at(end - 1) + 1 : s;
      return { file, start: s, end: Math.max(s, e) };
    },
  };
}

// ---------------------------------------------------------------- CNI

function collectCni(model: ClusterModel, raw: RawInput, bucket: Bucket, options: BuildOptions): void {
  const factsRuntime = bucket.facts.containerRuntime === "cri-o" || bucket.facts.containerRuntime === "crio" ? "cri-o" : bucket.facts.containerRuntime === "containerd" ? "containerd" : null;
  const maxConfNum = typeof bucket.facts.cniMaxConfNum === "number" ? bucket.facts.cniMaxConfNum : 1;
  const ownedFiles = new Set<string>();
  for (const abs of [...new Set(bucket.confDirs)].sort()) {
    const dirDisplay = displayPath(options.cwd, abs);
    const node = nodeOf(dirDisplay + "/")?.node ?? null;
    const nodeRuntime = node ? model.nodes.get(node)?.runtime ?? null : null;
    const runtime: CniRuntime = nodeRuntime ?? factsRuntime ?? "containerd";
    const runtimeSource = nodeRuntime ? `node ${node}'s containerRuntimeVersion` : factsRuntime ? "facts.containerRuntime" : "default (containerd)";
    const entries = readConfDirFromDisk(abs, options.policy);
    const cache = new Map<string, { text: string } | { error: string }>();
    const cachedEntries: ConfDirEntry[] = entries.map((e) =>
      e.kind === "file"
        ? {
            ...e,
            read: () => {
              let r = cache.get(e.name);
              if (!r) cache.set(e.name, (r = e.read()));
              return r;
            },
          }
        : e,
    );
    const load = loadConfDir(cachedEntries, { runtime, maxConfNum, subdirPlugins: bucket.facts.cniSubdirPlugins === true });
    const dirFile: SourceFile = { path: dirDisplay, absPath: abs, text: "", lines: new LineIndex(""), format: "text" };
    const artifact: CniConfDirArtifact = { dir: dirDisplay, dirFile, node, runtime, runtimeSource, maxConfNum, load, files: new Map(), ignored: [] };
    for (const r of load.perFile) {
      const content = cache.get(r.file) ?? (cachedEntries.find((e) => e.name === r.file && e.kind === "file") as { read?: () => { text: string } | { error: string } } | undefined)?.read?.();
      const filePath = dirDisplay === "." ? r.file : `${dirDisplay}/${r.file}`;
      ownedFiles.add(filePath);
      if (!content || !("text" in content)) {
        artifact.files.set(r.file, null);
        continue;
      }
      const sf: SourceFile = { path: filePath, absPath: path.join(abs, r.file), text: content.text, lines: new LineIndex(content.text), format: "json" };
      model.files.push(sf);
      artifact.files.set(r.file, { file: sf, result: r, confDir: artifact });
    }
    for (const name of load.ignored) {
      const entry = entries.find((e) => e.name === name);
      let looksLikeCni = false;
      if (entry?.kind === "file") {
        const c = entry.read();
        if ("text" in c) {
          const p = parseJson(c.text);
          looksLikeCni = !!p.value && looksLikeCniConfig(toPlain(p.value));
        }
      }
      artifact.ignored.push({ name, path: dirDisplay === "." ? name : `${dirDisplay}/${name}`, looksLikeCni });
    }
    model.cniConfDirs.push(artifact);
  }
  for (const c of raw.cniFiles) {
    if (!model.files.includes(c.file) || ownedFiles.has(c.file.path)) continue;
    const name = path.posix.basename(c.file.path);
    // Outside a conf dir the runtime never reads it: check it as the loader its content suggests.
    const asName = /\.(conflist|conf|json)$/.test(name) ? name : c.value && typeof c.value === "object" && "plugins" in (c.value as object) && !("type" in (c.value as object)) ? `${name}.conflist` : `${name}.conf`;
    const load = loadConfDir([{ name: asName, kind: "file", read: () => ({ text: c.file.text }) }], { runtime: "containerd", maxConfNum: 1 });
    const result = load.perFile[0];
    if (result) model.looseCniFiles.push({ file: c.file, result: { ...result, file: name }, confDir: null });
  }
  // Parse problems of files now owned by a conf dir are reported through the conf dir.
  model.parseProblems = model.parseProblems.filter((p) => !(p.ruleId === "cni/invalid-json" && ownedFiles.has(p.loc.file.path)));
}

// ---------------------------------------------------------------- facts

function splitList(v: unknown): string[] {
  return typeof v === "string" ? v.split(",").map((s) => s.trim()).filter(Boolean) : [];
}

function collectFacts(model: ClusterModel, raw: RawInput): void {
  const f = model.facts;
  const push = (list: Fact[], value: unknown, loc: Loc | null, origin: string, within = false) => {
    // Troubleshoot redacts values in place: a redacted value is unknown, not a fact.
    for (const v of splitList(value)) if (!v.includes("***HIDDEN***")) list.push(within ? { value: v, loc, origin, within } : { value: v, loc, origin });
  };
  for (const cfg of model.kubeadmConfigs) {
    const net = (cfg.value.networking ?? {}) as Record<string, unknown>;
    const where = cfg.configMap ? `kubeadm ClusterConfiguration in ConfigMap ${cfg.configMap.name}` : "kubeadm ClusterConfiguration";
    push(f.podCIDRs, net.podSubnet, cfg.rangeAt(["networking", "podSubnet"]) ?? null, cfg.origins?.["networking.podSubnet"] ?? `${where} networking.podSubnet`);
    push(f.serviceCIDRs, net.serviceSubnet, cfg.rangeAt(["networking", "serviceSubnet"]) ?? null, cfg.origins?.["networking.serviceSubnet"] ?? `${where} networking.serviceSubnet`);
    push(f.clusterDomain, net.dnsDomain, cfg.rangeAt(["networking", "dnsDomain"]) ?? null, cfg.origins?.["networking.dnsDomain"] ?? `${where} networking.dnsDomain`);
  }
  for (const src of model.flagSources) {
    for (const flag of src.flags) {
      const loc: Loc | null = flag.valueStart >= 0 ? { file: src.file, start: flag.valueStart, end: flag.valueEnd } : null;
      if (src.component === "kube-controller-manager" && flag.name === "cluster-cidr") push(f.podCIDRs, flag.value, loc, `kube-controller-manager --cluster-cidr`);
      if ((src.component === "kube-controller-manager" || src.component === "kube-apiserver") && flag.name === "service-cluster-ip-range") push(f.serviceCIDRs, flag.value, loc, `${src.component} --service-cluster-ip-range`);
      if (src.component === "kubelet" && flag.name === "cluster-dns") push(f.clusterDNS, flag.value, loc, `kubelet --cluster-dns (${src.file.path})`);
      if (src.component === "kubelet" && flag.name === "cluster-domain") push(f.clusterDomain, flag.value, loc, `kubelet --cluster-domain (${src.file.path})`);
    }
  }
  for (const cfg of model.kubeletConfigs) {
    const dns = cfg.value.clusterDNS;
    if (Array.isArray(dns)) dns.forEach((ip, i) => typeof ip === "string" && push(f.clusterDNS, ip, cfg.rangeAt(["clusterDNS", i]) ?? null, cfg.origins?.[`clusterDNS.${i}`] ?? "KubeletConfiguration clusterDNS"));
    push(f.clusterDomain, cfg.value.clusterDomain, cfg.rangeAt(["clusterDomain"]) ?? null, cfg.origins?.clusterDomain ?? "KubeletConfiguration clusterDomain");
  }
  for (const obj of model.objects) {
    if (obj.kind === "Service" && (obj.name === "kube-dns" || getPath(obj.value, ["spec", "selector", "k8s-app"]) === "kube-dns")) {
      const ip = getPath(obj.value, ["spec", "clusterIP"]);
      if (typeof ip === "string" && ip !== "None" && !ip.includes("HIDDEN")) push(f.clusterDNS, ip, obj.rangeAt(["spec", "clusterIP"]) ?? null, `Service ${obj.name} spec.clusterIP`);
    }
    if (obj.kind === "ConfigMap") {
      const netConf = getPath(obj.value, ["data", "net-conf.json"]);
      if (typeof netConf === "string") {
        for (const inner of embeddedObjects(obj, ["data", "net-conf.json"], model.parseProblems)) {
          push(f.podCIDRs, inner.value.Network, inner.rangeAt(["Network"]) ?? null, `flannel net-conf.json Network (ConfigMap ${obj.name})`);
          if (inner.value.EnableIPv6 === true) push(f.podCIDRs, inner.value.IPv6Network, inner.rangeAt(["IPv6Network"]) ?? null, `flannel net-conf.json IPv6Network (ConfigMap ${obj.name})`);
        }
      }
    }
    if (obj.kind === "DaemonSet" || obj.kind === "Deployment") {
      for (const c of containers(obj)) {
        const env = Array.isArray(c.value.env) ? (c.value.env as unknown[]) : [];
        env.forEach((e, i) => {
          const entry = e as { name?: unknown; value?: unknown };
          if (entry && entry.name === "CALICO_IPV4POOL_CIDR" && typeof entry.value === "string") {
            push(f.podCIDRs, entry.value, obj.rangeAt([...c.path, "env", i, "value"]) ?? null, `Calico CALICO_IPV4POOL_CIDR (${obj.kind} ${obj.name})`, true);
          }
        });
      }
    }
  }
  for (const n of model.nodes.values()) {
    const obj = n.object;
    if (!obj) continue;
    const cidrs = getPath(obj.value, ["spec", "podCIDRs"]);
    if (Array.isArray(cidrs)) cidrs.forEach((c, i) => push(f.podCIDRs, c, obj.rangeAt(["spec", "podCIDRs", i]) ?? null, `Node ${n.name} spec.podCIDRs`, true));
    else push(f.podCIDRs, getPath(obj.value, ["spec", "podCIDR"]), obj.rangeAt(["spec", "podCIDR"]) ?? null, `Node ${n.name} spec.podCIDR`, true);
  }
  for (const nc of raw.flannelNetConfs) {
    if (!model.files.includes(nc.file)) continue;
    const r = jsonRange(nc.json, ["Network"]);
    push(f.podCIDRs, nc.value.Network, r ? { file: nc.file, start: r[0], end: r[1] } : null, `flannel net-conf.json Network (${nc.file.path})`);
    const r6 = jsonRange(nc.json, ["IPv6Network"]);
    if (nc.value.EnableIPv6 === true) push(f.podCIDRs, nc.value.IPv6Network, r6 ? { file: nc.file, start: r6[0], end: r6[1] } : null, `flannel net-conf.json IPv6Network (${nc.file.path})`);
  }
  const cf = model.configFacts;
  push(f.podCIDRs, cf.podCIDR, null, "facts.podCIDR in the config file");
  push(f.serviceCIDRs, cf.serviceCIDR, null, "facts.serviceCIDR in the config file");
  push(f.clusterDomain, cf.clusterDomain, null, "facts.clusterDomain in the config file");
  push(f.clusterDNS, cf.clusterDNS, null, "facts.clusterDNS in the config file");
}

