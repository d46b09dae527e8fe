/** Helpers the source adapters share: locations of defaults, facts, derived component configs, `name=value` argument lists. */
import type { PathSegment } from "../../parsers/yaml.js";
import type { ComponentConfig, Fact, K8sObject, Loc } from "../types.js";
import type { SourceContext } from "./types.js";

export const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);
export const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() !== "" ? v.trim() : typeof v === "number" ? String(v) : undefined);

/** Where a default the source applies is stated: the document's `kind:` value, else its first line. */
export function docLoc(obj: K8sObject): Loc {
  const k = obj.kind ? obj.rangeAt(["kind"]) : undefined;
  if (k) return k;
  const start = obj.loc.start;
  const lines = obj.file.lines;
  return { file: obj.file, start, end: Math.max(start, Math.min(obj.loc.end, lines.lineEnd(lines.position(start).line))) };
}

/** The value's range, else the key's, else the document. */
export function locOf(obj: K8sObject, path: readonly PathSegment[]): Loc {
  return obj.rangeAt(path) ?? obj.rangeAt(path, "key") ?? docLoc(obj);
}

/** Push each comma-separated entry of a value as a fact (templated values such as `{{ .pod }}` are left out). */
export function addFacts(list: Fact[], value: unknown, loc: Loc, origin: string, within = false): void {
  const parts = Array.isArray(value) ? value.flatMap((v) => (typeof v === "string" ? v.split(",") : [])) : typeof value === "string" ? value.split(",") : [];
  for (const p of parts) {
    const v = p.trim();
    if (!v || /[{}$%<>]/.test(v)) continue;
    list.push(within ? { value: v, loc, origin, within } : { value: v, loc, origin });
  }
}

/** One field of a derived config: its value, where it is stated and how the origin reads. */
export interface DerivedField {
  value: unknown;
  loc: Loc;
  origin: string;
}

/**
 * A component config (KubeProxyConfiguration, KubeletConfiguration, ClusterConfiguration) that a
 * distribution derives from its own settings: every field points at the setting that produced it,
 * so the kube-proxy, kubelet and cluster rules read it as they read a config file.
 */
export function derivedConfig(kind: ComponentConfig["kind"], obj: K8sObject, fields: Record<string, DerivedField | undefined>): ComponentConfig | null {
  const value: Record<string, unknown> = {};
  const locs = new Map<string, Loc>();
  const origins: Record<string, string> = {};
  for (const [key, f] of Object.entries(fields)) {
    if (!f || f.value === undefined) continue;
    const path = key.split(".");
    let v: Record<string, unknown> = value;
    for (const seg of path.slice(0, -1)) v = (v[seg] ??= {}) as Record<string, unknown>;
    v[path[path.length - 1]!] = f.value;
    origins[key] = f.origin;
    locs.set(key, f.loc);
    if (Array.isArray(f.value)) f.value.forEach((_, i) => { locs.set(`${key}.${i}`, f.loc); origins[`${key}.${i}`] = f.origin; });
  }
  if (Object.keys(origins).length === 0) return null;
  const rangeAt = (path: readonly PathSegment[]): Loc | undefined => locs.get(path.join("."));
  return {
    kind,
    value,
    object: obj,
    configMap: null,
    key: null,
    rangeAt,
    locate: (path) => {
      for (let n = path.length; n > 0; n--) {
        const l = rangeAt(path.slice(0, n));
        if (l) return l;
      }
      return docLoc(obj);
    },
    node: obj.node ?? null,
    origins,
  };
}


export function pathValue(value: unknown, path: readonly PathSegment[]): unknown {
  let v = value;
  for (const seg of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

/** The n-th address of a CIDR (kubeadm and k3s put the cluster DNS at the 10th of the service range), or undefined. */
export function nthAddress(cidr: string, n: number): string | undefined {
  const [ip, bits] = cidr.trim().split("/");
  if (!ip || bits === undefined) return undefined;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(ip)) {
    const o = ip.split(".").map(Number);
    if (o.some((x) => x > 255)) return undefined;
    const prefix = Number(bits);
    const base = ((o[0]! << 24) | (o[1]! << 16) | (o[2]! << 8) | o[3]!) >>> 0;
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    const v = ((base & mask) + n) >>> 0;
    return [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join(".");
  }
  if (ip.includes(":")) {
    const [head, tail] = ip.split("::");
    const parts = (s: string | undefined) => (s ? s.split(":").map((h) => parseInt(h, 16)) : []);
    const h = parts(head);
    const t = parts(tail);
    const groups = tail === undefined ? h : [...h, ...new Array(8 - h.length - t.length).fill(0), ...t];
    if (groups.length !== 8 || groups.some((g) => !Number.isFinite(g))) return undefined;
    let v = groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
    const prefix = BigInt(Number(bits));
    v = (v >> (128n - prefix)) << (128n - prefix);
    v += BigInt(n);
    const out: string[] = [];
    for (let i = 7; i >= 0; i--) out.push(((v >> BigInt(i * 16)) & 0xffffn).toString(16));
    return out.join(":").replace(/(^|:)0(:0)+(:|$)/, "::");
  }
  return undefined;
}

/** The first IPv4 CIDR of a comma-separated list (k3s derives cluster-dns from it). */
export function firstIPv4(list: string): string | undefined {
  return list.split(",").map((s) => s.trim()).find((s) => /^\d+\.\d+\.\d+\.\d+\/\d+$/.test(s));
}

export function declareCni(ctx: SourceContext, vendor: string, loc: Loc, origin: string, enforcesPolicy?: boolean): void {
  (ctx.model.declaredCnis ??= []).push(enforcesPolicy ? { vendor, loc, origin, enforcesPolicy } : { vendor, loc, origin });
}

/** "Kind ns/name" for messages and origins. */
export function label(obj: K8sObject): string {
  return `${obj.kind} ${obj.namespace ? obj.namespace + "/" : ""}${obj.name || "(unnamed)"}`;
}

/** A field of the wrong type: said on stderr and not read. */
export function wrongType(ctx: SourceContext, obj: K8sObject, path: PathSegment[], want: string): void {
  const loc = obj.rangeAt(path) ?? docLoc(obj);
  const line = loc.file.lines.position(loc.start).line;
  ctx.notice(obj, `${loc.file.path}:${line}: ${path.join(".")} should be ${want}: not read`);
}
