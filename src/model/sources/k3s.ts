/**
 * k3s and RKE2 config files: /etc/rancher/{k3s,rke2}/config.yaml and config.yaml.d/*.yaml (or the
 * paths `k3sConfigFiles` names). Keys are the server/agent flags; drop-ins are read in name order
 * after config.yaml, a later key replaces an earlier one and `key+:` appends
 * (k3s-io/k3s pkg/configfilearg/parser.go). Defaults and derivations (k3s-io/k3s pkg/cli/cmds/server.go,
 * pkg/cli/server/server.go, pkg/daemons/agent): cluster-cidr 10.42.0.0/16, service-cidr 10.43.0.0/16,
 * cluster-dns the 10th address of the first IPv4 service CIDR, cluster-domain cluster.local;
 * kube-proxy runs with --cluster-cidr=<cluster-cidr> and the kubelet with --cluster-dns/--cluster-domain,
 * each overridden by `kube-proxy-arg` / `kubelet-arg` entries. CNI: k3s's embedded flannel
 * (`flannel-backend`, none = bring your own) with its network policy controller; RKE2's `cni`
 * (canal by default; calico, cilium, flannel, none; `multus,X`).
 */
import path from "node:path";
import type { PathSegment } from "../../parsers/yaml.js";
import type { K8sObject, Loc } from "../types.js";
import { addFacts, declareCni, derivedConfig, docLoc, firstIPv4, locOf, nthAddress, type DerivedField } from "./lib.js";
import type { SourceAdapter, SourceContext } from "./types.js";

const CONFIG_PATH = /(^|\/)rancher\/(k3s|rke2)\/config\.yaml$/;
const DROPIN_PATH = /(^|\/)config\.yaml\.d\/[^/]+\.ya?ml$/;
/** Keys only a server reads: a file with `server:` and none of these is an agent's (it gets the cluster settings from the server). */
const SERVER_KEYS = /^(cluster-cidr|service-cidr|cluster-dns|cluster-domain|cluster-init|disable|cni|flannel-backend|tls-san|disable-kube-proxy|disable-network-policy|kube-apiserver-arg|kube-controller-manager-arg)\+?$/;

interface Setting {
  value: unknown;
  obj: K8sObject;
  path: PathSegment[];
}

/** One k3s/RKE2 node's configuration: config.yaml and its drop-ins, merged as k3s merges them. */
function merge(files: K8sObject[]): Map<string, Setting[]> {
  const out = new Map<string, Setting[]>();
  for (const obj of files) {
    for (const [rawKey, value] of Object.entries(obj.value)) {
      const append = rawKey.endsWith("+");
      const key = append ? rawKey.slice(0, -1) : rawKey;
      const entries: Setting[] = Array.isArray(value) ? value.map((v, i) => ({ value: v, obj, path: [rawKey, i] })) : [{ value, obj, path: [rawKey] }];
      out.set(key, append ? [...(out.get(key) ?? []), ...entries] : entries);
    }
  }
  return out;
}

/** A list setting as strings (a string value is a comma-separated list, as urfave/cli splits it). */
function listOf(s: Setting[] | undefined): { value: string; loc: Loc; setting: Setting }[] {
  return (s ?? []).flatMap((e) => (typeof e.value === "string" || typeof e.value === "number" ? [{ value: String(e.value), loc: locOf(e.obj, e.path), setting: e }] : []));
}

/** The last `name=value` entry of a `*-arg` list, with the location of its value. */
function argOf(s: Setting[] | undefined, name: string, dist: string): DerivedField | undefined {
  let found: DerivedField | undefined;
  for (const e of s ?? []) {
    if (typeof e.value !== "string") continue;
    const m = /^\s*-{0,2}([A-Za-z0-9-]+)=(.*)$/.exec(e.value);
    if (!m || m[1] !== name) continue;
    const src = e.obj.stringSource(e.path);
    const at = e.value.indexOf("=") + 1;
    let loc = locOf(e.obj, e.path);
    if (src && src.exact && src.offsets.length >= e.value.length && e.value.length > at) loc = { file: e.obj.file, start: src.offsets[at]!, end: src.offsets[e.value.length - 1]! + 1 };
    found = { value: m[2]!.trim(), loc, origin: `${dist} config ${String(e.path[0]).replace(/\+$/, "")} ${name}=` };
  }
  return found;
}

function groupKey(p: string): string {
  const m = /^(.*?)config\.yaml\.d\/[^/]+$/.exec(p);
  return m ? `${m[1]}config.yaml` : p;
}

function collectOne(ctx: SourceContext, files: K8sObject[], proxies: Set<string>): void {
  const s = merge(files);
  const first = files[0]!;
  const isRke2 = files.some((f) => /(^|\/)rke2\//.test(f.file.path)) || s.has("cni");
  const dist = isRke2 ? "RKE2" : "k3s";
  const agent = s.has("server") && ![...s.keys()].some((k) => SERVER_KEYS.test(k));
  const f = ctx.facts;
  const single = (key: string): { value: string; loc: Loc; origin: string } | undefined => {
    const list = listOf(s.get(key));
    if (!list.length) return undefined;
    // A list or comma-separated value: the whole text, located at its first entry.
    return { value: list.map((x) => x.value).join(","), loc: list[0]!.loc, origin: `${dist} config ${key}` };
  };
  const def = (key: string, value: string): { value: string; loc: Loc; origin: string } => ({ value, loc: docLoc(first), origin: `${dist}'s default ${key} ${value} (${first.file.path} does not set it)` });
  const bool = (key: string) => (s.get(key) ?? []).some((e) => e.value === true || e.value === "true");
  const disabled = listOf(s.get("disable")).flatMap((x) => x.value.split(",").map((v) => v.trim()));

  const clusterCidr = agent ? undefined : single("cluster-cidr") ?? def("cluster-cidr", "10.42.0.0/16");
  const serviceCidr = agent ? undefined : single("service-cidr") ?? def("service-cidr", "10.43.0.0/16");
  if (clusterCidr) addFacts(f.podCIDRs, clusterCidr.value, clusterCidr.loc, clusterCidr.origin);
  if (serviceCidr) addFacts(f.serviceCIDRs, serviceCidr.value, serviceCidr.loc, serviceCidr.origin);

  const proxyArgs = s.get("kube-proxy-arg");
  const kubeletArgs = s.get("kubelet-arg");
  const noProxy = bool("disable-kube-proxy") || disabled.includes("rke2-kube-proxy");
  // kube-proxy's clusterCIDR is cluster-cidr unless a kube-proxy-arg overrides it: only an override is
  // a configuration of its own (the plain derivation restates cluster-cidr, and would compare it with
  // the pod CIDRs of other clusters kept in the same repository).
  const override = argOf(proxyArgs, "cluster-cidr", dist);
  if (!noProxy && override) {
    const cidr = override;
    const mode = argOf(proxyArgs, "proxy-mode", dist);
    const cfg = derivedConfig("KubeProxyConfiguration", first, { clusterCIDR: cidr, ...(mode ? { mode } : {}) });
    // HA servers with the same settings run one kube-proxy configuration, not several candidates (meta/ambiguous-cluster).
    const key = `${String(cidr?.value)}\u0000${String(mode?.value ?? "")}`;
    if (cfg && cidr && !proxies.has(key)) {
      proxies.add(key);
      ctx.model.kubeProxyConfigs.push(cfg);
    }
  }
  const dnsIP = serviceCidr ? nthAddress(firstIPv4(serviceCidr.value) ?? "", 10) : undefined;
  const clusterDns = argOf(kubeletArgs, "cluster-dns", dist) ?? single("cluster-dns") ?? (serviceCidr && dnsIP ? { value: dnsIP, loc: serviceCidr.loc, origin: `${dist}'s default cluster-dns, the 10th address of service-cidr ${serviceCidr.value}${serviceCidr.origin.includes("default") ? " (a default)" : ""}` } : undefined);
  const domain = argOf(kubeletArgs, "cluster-domain", dist) ?? single("cluster-domain") ?? (agent ? undefined : def("cluster-domain", "cluster.local"));
  const kubelet = derivedConfig("KubeletConfiguration", first, {
    clusterDNS: clusterDns ? { ...clusterDns, value: String(clusterDns.value).split(",").map((x) => x.trim()) } : undefined,
    clusterDomain: domain,
  });
  if (kubelet) ctx.model.kubeletConfigs.push(kubelet);

  if (agent) return;
  if (isRke2) {
    const cni = listOf(s.get("cni")).flatMap((x) => x.value.split(",").map((v) => ({ v: v.trim(), loc: x.loc }))).filter((x) => x.v && x.v !== "multus");
    const chosen = cni[0] ?? { v: "canal", loc: docLoc(first) };
    if (chosen.v !== "none") declareCni(ctx, chosen.v, chosen.loc, cni[0] ? `RKE2 config cni ${chosen.v}` : "RKE2's default cni canal");
  } else {
    const backend = single("flannel-backend");
    if (backend?.value !== "none") declareCni(ctx, "flannel", backend?.loc ?? docLoc(first), backend ? `k3s's embedded flannel (flannel-backend ${backend.value})` : "k3s's embedded flannel (default flannel-backend vxlan)", !bool("disable-network-policy"));
  }
}

const adapter: SourceAdapter = {
  name: "k3s",
  selectFile: (p, _head, named) => named || CONFIG_PATH.test(p) || DROPIN_PATH.test(p),
  accepts: () => true,
  collect(ctx) {
    const groups = new Map<string, K8sObject[]>();
    for (const d of ctx.docs) {
      const key = groupKey(d.file.path);
      groups.set(key, [...(groups.get(key) ?? []), d]);
    }
    const proxies = new Set<string>();
    for (const files of groups.values()) {
      // config.yaml first, then the drop-ins in name order (byte order, as filepath.Glob sorts).
      files.sort((a, b) => {
        const da = DROPIN_PATH.test(a.file.path) ? 1 : 0;
        const db = DROPIN_PATH.test(b.file.path) ? 1 : 0;
        const na = path.posix.basename(a.file.path);
        const nb = path.posix.basename(b.file.path);
        return da - db || (na < nb ? -1 : na > nb ? 1 : 0);
      });
      collectOne(ctx, files, proxies);
    }
  },
};

export default adapter;
