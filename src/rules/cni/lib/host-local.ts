/**
 * host-local IPAM ranges as containernetworking/plugins reads them
 * (plugins/ipam/host-local/backend/allocator/config.go, range.go, range_set.go): the old single
 * range (`ipam.subnet`, `rangeStart`, `rangeEnd`, `gateway`) goes in front of `ipam.ranges`, a list
 * of range sets. Every value keeps its node, so findings point at it.
 */
import type { JsonNode } from "../../../parsers/json.js";
import type { PathSegment } from "../../../parsers/yaml.js";
import { formatIP, type ParsedCIDR, type ParsedIP } from "../../../parsers/net.js";
import { asObject, asString, field, type JsonObject } from "./json.js";
import type { PluginConf } from "./plugins.js";

/** A string value of the config, where it is, and its path in the file. */
export interface Located {
  value: string;
  node: JsonNode;
  path: PathSegment[];
}

export interface RangeConf {
  /** Index of the range set after the old single range was put in front. */
  set: number;
  subnet: Located;
  rangeStart?: Located;
  rangeEnd?: Located;
  gateway?: Located;
}

export interface HostLocalConf {
  plugin: PluginConf;
  ipam: JsonObject;
  ipamPath: PathSegment[];
  ranges: RangeConf[];
  /** A range was left to the calico plugin (`usePodCidr`), or the runtime passes ranges (`capabilities.ipRanges`). */
  rangesFromElsewhere: boolean;
}

/** Calico's host-local template values, replaced by the calico plugin before host-local runs. */
const CALICO_PLACEHOLDERS = new Set(["usePodCidr", "usePodCidrIPv6"]);

function located(obj: JsonObject, base: PathSegment[], name: string): Located | undefined {
  const p = field(obj, name);
  const v = asString(p?.value);
  return v !== undefined && p ? { value: v, node: p.value, path: [...base, p.key] } : undefined;
}

function rangeOf(obj: JsonObject, base: PathSegment[], set: number): RangeConf | undefined {
  const subnet = located(obj, base, "subnet");
  if (!subnet) return undefined;
  const r: RangeConf = { set, subnet };
  const rs = located(obj, base, "rangeStart");
  const re = located(obj, base, "rangeEnd");
  const gw = located(obj, base, "gateway");
  if (rs) r.rangeStart = rs;
  if (re) r.rangeEnd = re;
  if (gw) r.gateway = gw;
  return r;
}

/** The host-local IPAM sections (ipam.type "host-local") of a file's plugins. */
export function hostLocalConfs(plugins: PluginConf[]): HostLocalConf[] {
  const out: HostLocalConf[] = [];
  for (const plugin of plugins) {
    const ipamProp = field(plugin.node, "ipam");
    const ipam = asObject(ipamProp?.value);
    if (!ipam || !ipamProp || asString(field(ipam, "type")?.value) !== "host-local") continue;
    const ipamPath = [...plugin.path, ipamProp.key];
    const caps = asObject(field(plugin.node, "capabilities")?.value);
    const ipRanges = caps?.properties.filter((p) => p.key === "ipRanges").pop();
    const conf: HostLocalConf = { plugin, ipam, ipamPath, ranges: [], rangesFromElsewhere: ipRanges?.value.type === "boolean" && ipRanges.value.value };
    const placeholder = (r: RangeConf) => plugin.type === "calico" && CALICO_PLACEHOLDERS.has(r.subnet.value);
    let set = 0;
    const single = rangeOf(ipam, ipamPath, 0);
    if (single) {
      if (placeholder(single)) conf.rangesFromElsewhere = true;
      else {
        conf.ranges.push(single);
        set = 1;
      }
    }
    const setsProp = field(ipam, "ranges");
    if (setsProp?.value.type === "array") {
      setsProp.value.items.forEach((s, k) => {
        if (s.type !== "array") return;
        const items = s.items
          .map((it, j) => (it.type === "object" ? rangeOf(it, [...ipamPath, setsProp.key, k, j], set) : undefined))
          .filter((r): r is RangeConf => r !== undefined);
        if (items.some(placeholder)) {
          conf.rangesFromElsewhere = true;
          return;
        }
        if (items.length === 0) return;
        for (const item of items) conf.ranges.push(item);
        set++;
      });
    }
    out.push(conf);
  }
  return out;
}

// ------------------------------------------------------------------ address arithmetic

function toBig(bytes: readonly number[]): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

/** Go's canonicalizeIP: To4() first, so an IPv4-mapped IPv6 address counts as IPv4. */
export function canonical(ip: ParsedIP): { v4: boolean; value: bigint } {
  if (ip.kind === 4) return { v4: true, value: toBig(ip.bytes) };
  const mapped = ip.bytes.slice(0, 10).every((b) => b === 0) && ip.bytes[10] === 0xff && ip.bytes[11] === 0xff;
  if (mapped) return { v4: true, value: toBig(ip.bytes.slice(12)) };
  return { v4: false, value: toBig(ip.bytes) };
}

export function formatBig(v: bigint, v4: boolean): string {
  const n = v4 ? 4 : 16;
  const bytes: number[] = [];
  for (let i = n - 1; i >= 0; i--) bytes.push(Number((v >> BigInt(i * 8)) & 0xffn));
  return formatIP({ kind: v4 ? 4 : 6, bytes });
}

/** A subnet as host-local sees it: family, bits, the written address and the network's first and last address. */
export interface Subnet {
  v4: boolean;
  bits: number;
  prefix: number;
  ip: bigint;
  network: bigint;
  broadcast: bigint;
}

export function subnetOf(c: ParsedCIDR): Subnet {
  const bits = c.kind === 4 ? 32 : 128;
  const hostBits = BigInt(bits - c.prefix);
  const hostMask = (1n << hostBits) - 1n;
  const ip = toBig(c.ip.bytes);
  const network = ip & ~hostMask;
  return { v4: c.kind === 4, bits, prefix: c.prefix, ip, network, broadcast: network | hostMask };
}

/** An IPv4-mapped IPv6 subnet: host-local fails it with "IPNet IP and Mask version mismatch" (not modelled, skipped). */
export function isMappedSubnet(c: ParsedCIDR): boolean {
  return c.kind === 6 && canonical(c.ip).v4;
}

/** Go's IPNet.String() of the network ("10.1.2.0/24"). */
export function networkText(c: ParsedCIDR): string {
  return `${formatIP(c.network)}/${c.prefix}`;
}
