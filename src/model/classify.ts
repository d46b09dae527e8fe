/**
 * The cheap scan: decide from a file's name and a glance at its text what it can hold, and from a
 * document's top-level `kind:` line whether any rule needs it, before any full parse. When the scan
 * is unsure, the document is parsed.
 */
import path from "node:path";
import { SOURCE_KINDS } from "./sources/index.js";
import { CNI_PLUGIN_TYPES } from "./cni-plugin-names.js";

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
  // A .yaml/.yml file is YAML whatever its name (`corefile-configmap.yaml`, a kustomize `corefile-patch.yaml`).
  if (ext === ".yaml" || ext === ".yml" || name === "Kustomization") return "yaml";
  if (name === "Corefile" || ext === ".corefile" || /^Corefile[.-]/i.test(name)) return "corefile";
  if (ext === ".env" || /^\s*KUBELET_[A-Z_]*ARGS=/m.test(head)) return "kubelet-env";
  if (/^\s*\[(Service|Unit)\]\s*$/m.test(head) && /^(Environment|ExecStart)=/m.test(text)) return "systemd-dropin";
  // `[` starts JSON only when an array follows; `[section]` (INI, TOML: registries.conf, nfsmount.conf) is another format.
  if (firstChar === "{" || (firstChar === "[" && JSON_ARRAY_START.test(head))) return "json";
  if (/resolv\.conf/.test(name) || looksLikeResolv(head)) return "resolv-conf";
  if (looksLikeManifest(head)) return "yaml";
  if (/corefile/i.test(name) || looksLikeCorefile(text)) return "corefile";
  return "unknown";
}

const JSON_ARRAY_START = /^[\s\ufeff]*\[\s*([[{"\]\d-]|true\b|false\b|null\b|$)/;

/**
 * A Kubernetes manifest without a YAML extension: a top-level `apiVersion: group/version` and
 * `kind: Kind`. A Makefile's `kind:` target has no such pair (and its recipes are tab-indented).
 */
function looksLikeManifest(head: string): boolean {
  return /^apiVersion:[ \t]*["']?[a-z0-9][a-z0-9.-]*(\/[a-z0-9.-]+)?["']?[ \t]*\r?$/m.test(head) && /^kind:[ \t]*["']?[A-Z][A-Za-z0-9]*["']?[ \t]*\r?$/m.test(head) && !/^\t/m.test(head);
}

function looksLikeResolv(head: string): boolean {
  const lines = head.split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#") && !l.startsWith(";"));
  return lines.length > 0 && lines.every((l) => /^(nameserver|search|domain|options|sortlist)(\s|$)/.test(l));
}

/**
 * Directives only a Corefile has. Words that nginx or Caddy also use (rewrite, log, file, errors,
 * proxy, cache, template, health) do not count: an nginx `server {` block with a `rewrite` line is
 * not a Corefile.
 */
const COREFILE_DIRECTIVE = /^\s*(forward|kubernetes|loop|ready|reload|hosts|whoami|prometheus|loadbalance|autopath|k8s_external|dnssec|bufsize|dns64|nsid|chaos|etcd|route53|clouddns)(\s|$)/m;
/** A server block key as a Corefile writes it: a zone (`.`, `cluster.local.`, `example.org`), a port, a scheme. */
const COREFILE_KEY = /^[ \t]*(?:(?:dns|tls|grpc|https|quic):\/\/)?(?:\.|[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]*)+|[A-Za-z0-9-]*\.)?(?::\d+)?[ \t]*(?:,[ \t]*[^\s,{]+[ \t]*)*\{[ \t]*\r?$/m;
/** Statements only nginx (a `;` at the end), Caddy or HAProxy write. */
const OTHER_SERVER_CONFIG = /;[ \t]*\r?$|^\s*(reverse_proxy|file_server|php_fastcgi|encode|respond|location|listen|server_name|upstream|frontend|backend|bind|acl|use_backend)(\s|$)/m;

function looksLikeCorefile(text: string): boolean {
  const head = text.slice(0, 16384);
  const lines = head.split("\n").filter((l) => !/^\s*#/.test(l)).join("\n");
  // Key lists are matched without nested quantifiers over the same characters (no catastrophic backtracking).
  return COREFILE_KEY.test(lines.slice(0, 8192)) && COREFILE_DIRECTIVE.test(lines) && !OTHER_SERVER_CONFIG.test(lines);
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
  // Not a `type` key alone: package.json's "type": "module", ARM templates' resource types.
  if (Array.isArray(v.plugins) && v.plugins.some((p) => p && typeof p === "object" && typeof (p as Record<string, unknown>).type === "string")) return true;
  if (typeof v.type !== "string") return false;
  if (CNI_PLUGIN_TYPES.has(v.type) || v.type.startsWith("kindnet")) return true;
  const ipam = v.ipam as Record<string, unknown> | undefined;
  return (!!ipam && typeof ipam === "object" && typeof ipam.type === "string") || (!!v.delegate && typeof v.delegate === "object");
}

/** flannel's net-conf.json. */
export function looksLikeFlannelNetConf(value: unknown): boolean {
  if (!value || typeof value !== "object" || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return ("Network" in v || "EnableIPv6" in v || "IPv6Network" in v) && ("Backend" in v || "SubnetLen" in v || "Network" in v);
}
