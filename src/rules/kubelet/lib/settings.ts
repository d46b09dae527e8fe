/**
 * What the kubelet of each node (or of the repository's kubelet configuration) is told: clusterDNS,
 * clusterDomain and resolvConf from KubeletConfiguration files and from flags, with their
 * locations. Command-line flags win over the config file, as in the kubelet.
 */
import type { ClusterModel, ComponentConfig, FlagSource, Loc, NodeInfo } from "../../../model/types.js";
import type { Flag } from "../../../parsers/flags.js";
import { getPath } from "../../../model/workloads.js";

export interface KubeletSetting {
  value: string;
  loc: Loc;
  /** "KubeletConfiguration clusterDNS[0] (file)", "kubelet --cluster-dns (file)". */
  origin: string;
  /** Config field path ("clusterDNS[0]") for config values; undefined for flags. */
  field?: string;
  node: string | null;
  source: "config" | "flag";
}

const REDACTED = /\*\*\*HIDDEN\*\*\*/;

/** The last occurrence of a flag (pflag keeps the last). */
export function lastFlag(src: FlagSource, name: string): Flag | undefined {
  return src.flags.filter((f) => f.name === name).pop();
}

/**
 * Where a flag word is. The model's offsets are approximate inside a quoted word (a systemd
 * `Environment="KEY=--a=b --c=d"` line): then the flag is looked up on its line, at or after the
 * approximate offset, where its text is exact.
 */
export function flagLoc(src: FlagSource, f: Flag): { loc: Loc; valueLoc: Loc } {
  const text = src.file.text;
  const word = (f.value === null ? `--${f.name}` : `--${f.name}=${f.value}`);
  const fallback: Loc = { file: src.file, start: Math.max(0, f.start), end: Math.max(0, f.end) };
  const fallbackValue: Loc = f.valueStart >= 0 ? { file: src.file, start: f.valueStart, end: f.valueEnd } : fallback;
  if (f.start < 0) return { loc: fallback, valueLoc: fallbackValue };
  if (text.startsWith(word, f.start) || text.startsWith(word.slice(1), f.start)) return { loc: fallback, valueLoc: fallbackValue };
  const lineEnd = src.file.lines.lineEnd(src.file.lines.position(f.start).line);
  const at = text.slice(f.start, lineEnd).indexOf(word);
  if (at < 0) return { loc: fallback, valueLoc: fallbackValue };
  const start = f.start + at;
  const valueStart = f.value === null ? start : start + word.length - f.value.length;
  return { loc: { file: src.file, start, end: start + word.length }, valueLoc: { file: src.file, start: valueStart, end: start + word.length } };
}

function flagValueLoc(src: FlagSource, f: Flag): Loc {
  return flagLoc(src, f).valueLoc;
}

/** Split a comma-separated flag value into entries with their own ranges when the value is exact on disk. */
function flagEntries(src: FlagSource, f: Flag): { value: string; loc: Loc }[] {
  const whole = flagValueLoc(src, f);
  const value = f.value ?? "";
  const exact = whole.end - whole.start === value.length && src.file.text.slice(whole.start, whole.end) === value;
  const out: { value: string; loc: Loc }[] = [];
  let offset = 0;
  for (const part of value.split(",")) {
    const trimmed = part.trim();
    const lead = part.length - part.trimStart().length;
    if (trimmed) out.push({ value: trimmed, loc: exact ? { file: src.file, start: whole.start + offset + lead, end: whole.start + offset + lead + trimmed.length } : whole });
    offset += part.length + 1;
  }
  return out;
}

function configOrigin(cfg: ComponentConfig, field: string): string {
  const where = cfg.configMap ? `ConfigMap ${cfg.configMap.name} key ${cfg.key}, ${cfg.object.file.path}` : cfg.object.file.path;
  return `KubeletConfiguration ${field} (${where})`;
}

/** Flag sources of the kubelet that set a flag, for a node (or the node-less ones). */
function flagSourcesFor(cluster: ClusterModel, node: string | null): FlagSource[] {
  return cluster.flagSources.filter((s) => s.component === "kubelet" && s.node === node);
}

function nodeSetsFlag(cluster: ClusterModel, node: string | null, name: string): boolean {
  return node !== null && flagSourcesFor(cluster, node).some((s) => lastFlag(s, name));
}

/** Every clusterDNS entry a kubelet is given (a node's config entries are dropped when that node's flags set --cluster-dns). */
export function kubeletClusterDNS(cluster: ClusterModel): KubeletSetting[] {
  const out: KubeletSetting[] = [];
  for (const cfg of cluster.kubeletConfigs) {
    const dns = cfg.value.clusterDNS;
    if (!Array.isArray(dns) || nodeSetsFlag(cluster, cfg.node, "cluster-dns")) continue;
    dns.forEach((ip, i) => {
      const loc = cfg.rangeAt(["clusterDNS", i]);
      if (typeof ip !== "string" || !loc || REDACTED.test(ip)) return;
      out.push({ value: ip, loc, origin: configOrigin(cfg, "clusterDNS"), field: `clusterDNS[${i}]`, node: cfg.node, source: "config" });
    });
  }
  for (const src of cluster.flagSources) {
    if (src.component !== "kubelet") continue;
    const f = lastFlag(src, "cluster-dns");
    if (!f || f.value === null) continue;
    for (const e of flagEntries(src, f)) {
      if (!REDACTED.test(e.value)) out.push({ value: e.value, loc: e.loc, origin: `kubelet --cluster-dns (${src.file.path})`, node: src.node, source: "flag" });
    }
  }
  return out;
}

/** Every clusterDomain a kubelet is given. */
export function kubeletClusterDomain(cluster: ClusterModel): KubeletSetting[] {
  const out: KubeletSetting[] = [];
  for (const cfg of cluster.kubeletConfigs) {
    const d = cfg.value.clusterDomain;
    const loc = cfg.rangeAt(["clusterDomain"]);
    if (typeof d !== "string" || d === "" || !loc || nodeSetsFlag(cluster, cfg.node, "cluster-domain")) continue;
    out.push({ value: d, loc, origin: configOrigin(cfg, "clusterDomain"), field: "clusterDomain", node: cfg.node, source: "config" });
  }
  for (const src of cluster.flagSources) {
    if (src.component !== "kubelet") continue;
    const f = lastFlag(src, "cluster-domain");
    if (!f || !f.value) continue;
    out.push({ value: f.value, loc: flagValueLoc(src, f), origin: `kubelet --cluster-domain (${src.file.path})`, node: src.node, source: "flag" });
  }
  return out;
}


/** The kubelet configuration that applies to a node: its own, else the repository's only node-less one. */
export function kubeletConfigFor(cluster: ClusterModel, node: NodeInfo): ComponentConfig | null {
  if (node.kubeletConfig) return node.kubeletConfig;
  const shared = cluster.kubeletConfigs.filter((c) => !c.node);
  return shared.length === 1 ? shared[0]! : null;
}


/** A Kubernetes version as [major, minor], or null. */
export function parseMinor(v: unknown): [number, number] | null {
  if (typeof v !== "string" && typeof v !== "number") return null;
  const m = /^v?(\d+)\.(\d+)/.exec(String(v).trim());
  return m ? [Number(m[1]), Number(m[2])] : null;
}

export interface KubeletVersion {
  version: [number, number];
  origin: string;
}

/**
 * The kubelet version of a node (its Node's status.nodeInfo.kubeletVersion); for sources on no node,
 * the version every Node reports, else facts.kubernetesVersion, else the kubernetesVersion of the only
 * kubeadm ClusterConfiguration. Null: unknown (assume a current kubelet).
 */
export function kubeletVersionFor(cluster: ClusterModel, node: string | null): KubeletVersion | null {
  const ofNode = (n: NodeInfo | undefined) => (n?.object ? parseMinor(getPath(n.object.value, ["status", "nodeInfo", "kubeletVersion"])) : null);
  if (node !== null) {
    const v = ofNode(cluster.nodes.get(node));
    if (v) return { version: v, origin: `node ${node}'s kubeletVersion` };
  } else {
    const versions = [...cluster.nodes.values()].map(ofNode).filter((v): v is [number, number] => v !== null);
    const distinct = new Set(versions.map((v) => v.join(".")));
    if (versions.length && distinct.size === 1) return { version: versions[0]!, origin: "the nodes' kubeletVersion" };
  }
  const fact = parseMinor(cluster.configFacts.kubernetesVersion);
  if (fact) return { version: fact, origin: "facts.kubernetesVersion" };
  const kubeadm = cluster.kubeadmConfigs.map((k) => parseMinor(k.value.kubernetesVersion)).filter((v): v is [number, number] => v !== null);
  if (kubeadm.length === 1) return { version: kubeadm[0]!, origin: "the kubeadm ClusterConfiguration's kubernetesVersion" };
  return null;
}

/** `a` is at least `b`. */
export function atLeast(a: [number, number], b: [number, number]): boolean {
  return a[0] > b[0] || (a[0] === b[0] && a[1] >= b[1]);
}

/** "clusterDNS[0]", "logging.format", 'evictionHard["memory.available"]' as path segments. */
export function fieldSegments(field: string): (string | number)[] {
  const out: (string | number)[] = [];
  const re = /([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|\./g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(field))) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[3] !== undefined) out.push(JSON.parse(m[3]) as string);
  }
  return out;
}
