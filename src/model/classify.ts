/**
 * The cheap scan: decide from a file's name and a glance at its text what it can hold, and from a
 * document's top-level `kind:` line whether any rule needs it, before any full parse. When the scan
 * is unsure, the document is parsed.
 */
import path from "node:path";
import { SOURCE_KINDS } from "./sources/index.js";

export type FileClass =
  | "yaml"
  | "json"
  | "corefile"
  | "kubelet-env"
  | "systemd-dropin"
  | "resolv-conf"
  | "cni-bin-list"
  | "snapshot-marker"
  | "unknown";

export function classifyFile(displayPath: string, text: string): FileClass {
  const name = path.posix.basename(displayPath);
  const ext = path.posix.extname(name).toLowerCase();
  if (name === "kube-netlint-snapshot.json") return "snapshot-marker";
  if (/(^|\/)opt\/cni\/bin\.txt$/.test(displayPath) || name === "bin.txt") return "cni-bin-list";
  const head = text.slice(0, 4096);
  const firstChar = /^[\s\ufeff]*(.)/.exec(head)?.[1];
  if (ext === ".json" || ext === ".conflist") return "json";
  if (name === "Corefile" || ext === ".corefile" || /^Corefile[.-]/i.test(name)) return "corefile";
  if (ext === ".yaml" || ext === ".yml") return "yaml";
  if (ext === ".env" || /^\s*KUBELET_[A-Z_]*ARGS=/m.test(head)) return "kubelet-env";
  if (/^\s*\[(Service|Unit)\]\s*$/m.test(head) && /^(Environment|ExecStart)=/m.test(text)) return "systemd-dropin";
  if (firstChar === "{" || firstChar === "[") return "json";
  if (/resolv\.conf/.test(name) || looksLikeResolv(head)) return "resolv-conf";
  if (/^(apiVersion|kind):/m.test(head)) return "yaml";
  if (/corefile/i.test(name) || looksLikeCorefile(text)) return "corefile";
  return "unknown";
}

function looksLikeResolv(head: string): boolean {
  const lines = head.split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#") && !l.startsWith(";"));
  return lines.length > 0 && lines.every((l) => /^(nameserver|search|domain|options|sortlist)(\s|$)/.test(l));
}

const COREFILE_DIRECTIVE = /^\s*(forward|kubernetes|errors|cache|health|ready|loop|reload|proxy|hosts|log|whoami|prometheus|loadbalance|rewrite|file|template)(\s|$)/m;

function looksLikeCorefile(text: string): boolean {
  // Key lists are matched without nested quantifiers over the same characters (no catastrophic backtracking).
  return /^[^\s#{}:"',]*(:\d+)?[ \t]*(?:,[ \t]*[^\s,{]+[ \t]*)*\{[ \t]*\r?$/m.test(text.slice(0, 8192)) && COREFILE_DIRECTIVE.test(text.slice(0, 16384));
}

/** Kinds some rule reads. Everything else is counted, not parsed. */
const RELEVANT_KINDS = new Set([
  "ConfigMap", "Deployment", "DaemonSet", "Service", "Pod", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding",
  "ServiceAccount", "Node", "NetworkPolicy", "KubeProxyConfiguration", "KubeletConfiguration", "ClusterConfiguration",
  "InitConfiguration", "JoinConfiguration", "MasterConfiguration", "Endpoints", "EndpointSlice",
  "IPPool", "Installation", "CiliumConfig",
]);

/** Kinds that are relevant only when their text mentions a networking component (the many app Deployments are not). */
const FILTERED_KINDS: Record<string, RegExp> = {
  // Not any "dns": application Deployments with dnsPolicy/dnsConfig are common and no rule reads them.
  Deployment: /coredns|kube-dns|node-cache|calico|cilium|autoscaler/i,
  Service: /kube-dns|coredns|kube-system/,
  Pod: /kube-controller-manager|kube-apiserver|coredns|kube-proxy|kube-system/,
  ConfigMap: /Corefile|kube-proxy|KubeProxyConfiguration|ClusterConfiguration|KubeletConfiguration|net-conf\.json|cni|coredns|kube-system|kubelet/,
  ServiceAccount: /coredns|kube-dns|kube-system/,
  Endpoints: /kube-dns|coredns/,
  EndpointSlice: /kube-dns|coredns/,
};

export interface DocScan {
  /** `kind` as the top-level line says, or null when there is none at column 0. */
  kind: string | null;
  /** Parse fully? */
  needed: boolean;
}

const KIND_LINE = /^kind:[ \t]*["']?([A-Za-z0-9]+)["']?[ \t]*(?:#.*)?\r?$/m;

export function scanDocument(docText: string): DocScan {
  const m = KIND_LINE.exec(docText);
  if (!m) {
    // No block-style top-level kind: a flow or JSON-style document, or no object at all. Parse when it could be one.
    const unsure = /["']?kind["']?\s*:/.test(docText);
    return { kind: null, needed: unsure };
  }
  const kind = m[1]!;
  if (kind === "List" || kind.endsWith("List")) return { kind, needed: true };
  return { kind, needed: isRelevantKind(kind, docText) };
}

export function isRelevantKind(kind: string, text?: string): boolean {
  // Kinds a source adapter reads (src/model/sources), with the adapter's own pre-filter.
  const source = SOURCE_KINDS.get(kind);
  if (source !== undefined && (source === null || text === undefined || source.test(text))) return true;
  if (!RELEVANT_KINDS.has(kind)) return false;
  const filter = FILTERED_KINDS[kind];
  return !filter || text === undefined || filter.test(text);
}

/** Does a JSON/YAML object look like a CNI network config (single plugin conf or list)? */
export function looksLikeCniConfig(value: unknown): boolean {
  if (!value || typeof value !== "object" || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  // Kubernetes objects have string kind/apiVersion; Windows HNS v2 CNI configs carry a numeric apiVersion.
  if (typeof v.kind === "string" || typeof v.apiVersion === "string") return false;
  if ("cniVersion" in v) return true;
  if (Array.isArray(v.plugins) && ("name" in v || v.plugins.some((p) => p && typeof p === "object" && "type" in p))) return true;
  return typeof v.type === "string" && ("ipam" in v || "name" in v || "delegate" in v);
}

/** flannel's net-conf.json. */
export function looksLikeFlannelNetConf(value: unknown): boolean {
  if (!value || typeof value !== "object" || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return ("Network" in v || "EnableIPv6" in v || "IPv6Network" in v) && ("Backend" in v || "SubnetLen" in v || "Network" in v);
}
