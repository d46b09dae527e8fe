// CoreDNS server-key normalisation, re-implemented from the behaviour of
// coredns/coredns core/dnsserver/register.go (InspectServerBlocks), plugin/normalize.go
// (SplitHostPort), plugin/pkg/parse/transport.go, plugin/pkg/cidr and the miekg/dns helpers
// they use (IsDomainName, Fqdn, ReverseAddr), plus the duplicate check of
// validateZonesAndListeningAddresses. All string lengths that CoreDNS measures in bytes are
// measured here on the UTF-8 encoding.

export interface NormalizedZone {
  zone: string;
  /** Numeric port (0 when CoreDNS leaves the port empty, e.g. unix://). */
  port: number;
  /** The port exactly as CoreDNS prints it ("" for unix://). */
  portText: string;
  transport: string;
  /** CoreDNS's canonical key, `transport://zone:port`. */
  canonical: string;
}

export const TRANSPORT_DEFAULT_PORTS: Readonly<Record<string, string>> = Object.freeze({
  dns: "53",
  tls: "853",
  quic: "853",
  grpc: "443",
  https: "443",
  https3: "443",
});

// Order matters: https3 must be tried before https.
const TRANSPORTS = ["tls", "dns", "quic", "grpc", "https3", "https", "unix"] as const;

/** parse.Transport: strip a known scheme; anything else is dns and kept whole. */
export function splitTransport(s: string): { transport: string; rest: string } {
  for (const t of TRANSPORTS) {
    const p = t + "://";
    if (s.startsWith(p)) return { transport: t, rest: s.slice(p.length) };
  }
  return { transport: "dns", rest: s };
}

const utf8 = (s: string): Buffer => Buffer.from(s, "utf8");

/** Go strconv.Atoi followed by strconv.Itoa; null when Atoi fails. */
function goAtoiCanonical(s: string): string | null {
  const m = /^([+-]?)([0-9]+)$/.exec(s);
  if (!m) return null;
  let v: bigint;
  try {
    v = BigInt(m[2]!);
  } catch {
    return null;
  }
  if (m[1] === "-") v = -v;
  if (v > 9223372036854775807n || v < -9223372036854775808n) return null;
  return v.toString();
}

/** miekg/dns IsFqdn (a trailing dot that is not escaped), computed on UTF-8 bytes like Go. */
export function isFqdn(s: string): boolean {
  if (!s.endsWith(".")) return false;
  const b = utf8(s.slice(0, -1));
  let k = 0;
  let j = b.length - 1;
  while (j >= 0 && b[j] === 0x5c) {
    k++;
    j--;
  }
  if (j < 0) return (k + 1) % 2 !== 0;
  // byte length of the last rune that is not a backslash (Go's LastIndexFunc gives its start)
  let start = j;
  while (start > 0 && (b[start]! & 0xc0) === 0x80 && j - start < 3) start--;
  const runeLen = j - start + 1;
  return (k + runeLen) % 2 !== 0;
}

export function fqdn(s: string): string {
  return isFqdn(s) ? s : s + ".";
}

/** miekg/dns IsDomainName (v1.1.72). */
export function isDomainName(s: string): boolean {
  if (s.length === 0) return false;
  const b = utf8(fqdn(s));
  const lenmsg = 256;
  let off = 0;
  let begin = 0;
  let wasDot = false;
  let escape = false;
  const isDigit = (c: number | undefined): boolean => c !== undefined && c >= 0x30 && c <= 0x39;
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c === 0x5c) {
      escape = !escape;
      if (off + 1 > lenmsg) return false;
      if (i + 3 < b.length && isDigit(b[i + 1]) && isDigit(b[i + 2]) && isDigit(b[i + 3])) {
        i += 3;
        begin += 3;
      } else {
        i++;
        begin++;
      }
      wasDot = false;
    } else if (c === 0x2e) {
      escape = false;
      if (i === 0 && b.length > 1) return false;
      if (wasDot) return false;
      wasDot = true;
      const labelLen = i - begin;
      if (labelLen >= 64) return false;
      off += 1 + labelLen;
      if (off > lenmsg) return false;
      begin = i + 1;
    } else {
      wasDot = false;
    }
  }
  return !escape;
}

/** Go strconv.Quote (used by fmt %q). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    switch (cp) {
      case 0x07:
        out += "\\a";
        continue;
      case 0x08:
        out += "\\b";
        continue;
      case 0x0c:
        out += "\\f";
        continue;
      case 0x0a:
        out += "\\n";
        continue;
      case 0x0d:
        out += "\\r";
        continue;
      case 0x09:
        out += "\\t";
        continue;
      case 0x0b:
        out += "\\v";
        continue;
      case 0x22:
        out += '\\"';
        continue;
      case 0x5c:
        out += "\\\\";
        continue;
    }
    if (cp >= 0xd800 && cp <= 0xdfff) {
      out += "\\ufffd"; // unrepresentable in Go strings; would have been U+FFFD
      continue;
    }
    if (cp === 0x20 || /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(ch)) {
      out += ch;
      continue;
    }
    const hex = cp.toString(16);
    if (cp < 0x80) out += "\\x" + hex.padStart(2, "0");
    else if (cp < 0x10000) out += "\\u" + hex.padStart(4, "0");
    else out += "\\U" + hex.padStart(8, "0");
  }
  return out + '"';
}

/** Go strings.ToLower (simple, context-free case mapping). */
export function goToLower(s: string): string {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(s)) return s.toLowerCase();
  let out = "";
  for (const ch of s) {
    if (ch === "\u0130") {
      out += "i";
      continue;
    }
    const l = ch.toLowerCase();
    out += [...l].length === 1 ? l : ch;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// IP / CIDR parsing (Go net.ParseCIDR on top of netip.ParseAddr)

interface ParsedCidr {
  bytes: number[]; // network address (host bits cleared), 4 or 16 bytes
  ones: number;
  bits: number;
}

function parseIPv4(s: string): number[] | null {
  const parts = s.split(".");
  if (parts.length !== 4) return null;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^[0-9]{1,3}$/.test(p)) return null;
    if (p.length > 1 && p[0] === "0") return null;
    const v = Number(p);
    if (v > 255) return null;
    out.push(v);
  }
  return out;
}

function parseIPv6(s: string): number[] | null {
  if (s.includes("%")) return null; // zones are rejected by ParseCIDR
  let tail: number[] = [];
  let str = s;
  // embedded IPv4 in the last 32 bits
  const lastColon = str.lastIndexOf(":");
  if (lastColon >= 0 && str.slice(lastColon + 1).includes(".")) {
    const v4 = parseIPv4(str.slice(lastColon + 1));
    if (!v4) return null;
    tail = v4;
    str = str.slice(0, lastColon + 1) + "0:0"; // placeholder groups, replaced below
  }
  const dbl = str.indexOf("::");
  if (dbl !== str.lastIndexOf("::") && dbl >= 0) return null;
  const parseGroups = (part: string): number[] | null => {
    if (part === "") return [];
    const gs = part.split(":");
    const out: number[] = [];
    for (const g of gs) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  let groups: number[];
  if (dbl >= 0) {
    const left = parseGroups(str.slice(0, dbl));
    const right = parseGroups(str.slice(dbl + 2));
    if (!left || !right) return null;
    const missing = 8 - left.length - right.length;
    if (missing < 1) return null;
    groups = [...left, ...new Array<number>(missing).fill(0), ...right];
  } else {
    const g = parseGroups(str);
    if (!g || g.length !== 8) return null;
    groups = g;
  }
  const bytes: number[] = [];
  for (const g of groups) bytes.push(g >> 8, g & 0xff);
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes;
}

function parseCIDR(s: string): ParsedCidr | null {
  const slash = s.indexOf("/");
  if (slash < 0) return null;
  const addr = s.slice(0, slash);
  const mask = s.slice(slash + 1);
  let bytes: number[] | null;
  let bits: number;
  if (addr.includes(":")) {
    bytes = parseIPv6(addr);
    bits = 128;
  } else {
    bytes = parseIPv4(addr);
    bits = 32;
  }
  if (!bytes) return null;
  if (!/^[0-9]+$/.test(mask)) return null;
  // Go dtoi: stops with !ok at 0xFFFFFF
  let n = 0;
  for (const c of mask) {
    n = n * 10 + (c.charCodeAt(0) - 48);
    if (n >= 0xffffff) return null;
  }
  if (n > bits) return null;
  const net = bytes.slice();
  for (let i = 0; i < net.length; i++) {
    const bitStart = i * 8;
    const keep = Math.max(0, Math.min(8, n - bitStart));
    const m = keep === 0 ? 0 : (0xff << (8 - keep)) & 0xff;
    net[i] = net[i]! & m;
  }
  return { bytes: net, ones: n, bits };
}

function bytesToBig(b: number[]): bigint {
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return v;
}

function bigToBytes(v: bigint, len: number): number[] {
  const out = new Array<number>(len).fill(0);
  for (let i = len - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

function reverseName(bytes: number[]): string {
  const hex = "0123456789abcdef";
  let s = "";
  if (bytes.length === 4) {
    for (let i = 3; i >= 0; i--) s += String(bytes[i]) + ".";
    return s + "in-addr.arpa.";
  }
  for (let i = 15; i >= 0; i--) {
    const v = bytes[i]!;
    s += hex[v & 0xf] + "." + hex[v >> 4] + ".";
  }
  return s + "ip6.arpa.";
}

/** cidr.Split + cidr.Reverse: the reverse zones a (valid) CIDR key stands for. */
function reverseZones(c: ParsedCidr): string[] {
  const boundary = c.bits === 32 ? 8 : 4;
  let subnets: number[][];
  let prefix = c.ones;
  if (c.ones % boundary === 0) {
    subnets = [c.bytes];
  } else {
    prefix = Math.ceil(c.ones / boundary) * boundary;
    const count = 2 ** (prefix - c.ones);
    const step = 1n << BigInt(c.bits - prefix);
    const base = bytesToBig(c.bytes);
    const max = (1n << BigInt(c.bits)) - 1n;
    subnets = [];
    for (let i = 0; i < count; i++) {
      const v = (base + BigInt(i) * step) & max;
      subnets.push(bigToBytes(v, c.bits / 8));
    }
  }
  const sizeDigit = c.bits === 32 ? 8 : 4;
  const skip = (c.bits - prefix) / sizeDigit;
  return subnets.map((b) => {
    const r = reverseName(b);
    let off = 0;
    for (let i = 0; i < skip; i++) {
      const dot = r.indexOf(".", off);
      if (dot < 0 || dot >= r.length - 1) {
        off = r.length;
        break;
      }
      off = dot + 1;
    }
    return r.slice(off);
  });
}

/** plugin.SplitHostPort. */
export function splitHostPort(s: string): { hosts: string[]; port: string } | { error: string } {
  let host = s;
  let port = "";
  const colon = s.lastIndexOf(":");
  if (colon === s.length - 1) return { error: `expecting data after last colon: ${goQuote(s)}` };
  if (colon !== -1) {
    const p = goAtoiCanonical(s.slice(colon + 1));
    if (p !== null) {
      port = p;
      host = s.slice(0, colon);
    }
  }
  const blen = utf8(host).length;
  if (blen > 255) return { error: `specified zone is too long: ${blen} > 255` };
  if (!isDomainName(host)) return { error: `zone is not a valid domain name: ${host}` };
  const c = parseCIDR(host);
  if (!c) return { hosts: [host], port };
  if (host[0] === ":" || (host[0] === "0" && host.includes(":"))) return { error: `invalid CIDR ${host}` };
  return { hosts: reverseZones(c), port };
}

/** Normalise one server-block key the way InspectServerBlocks does. */
export function normalizeKey(key: string): { zones: NormalizedZone[] } | { error: string } {
  const { transport, rest } = splitTransport(key);
  const r = splitHostPort(rest);
  if ("hosts" in r) {
    for (const h of r.hosts) {
      const again = splitHostPort(fqdn(h));
      if ("error" in again) return { error: again.error };
    }
  } else {
    return { error: r.error };
  }
  let port = r.port;
  if (port === "") port = TRANSPORT_DEFAULT_PORTS[transport] ?? "";
  const zones = r.hosts.map((h) => {
    const zone = goToLower(fqdn(h));
    return {
      zone,
      port: port === "" ? 0 : Number(port),
      portText: port,
      transport,
      // One flat string: a template's pieces were three more objects per zone, kept with the model.
      canonical: [transport, "://", zone, ":", port].join(""),
    };
  });
  return { zones };
}

export interface InspectBlockInput {
  keys: string[];
  /** The block's directives (bind/view disable the overlap check, as in the oracle). */
  directives: readonly { name: string }[];
}

export interface InspectResult {
  /** Zones per block (for a failing key: the zones of the keys that did normalise). */
  zones: NormalizedZone[][];
  error: { message: string; block: number; key: number } | null;
  overlapChecked: boolean;
}

/**
 * InspectServerBlocks + the duplicate-address check of MakeServers
 * (validateZonesAndListeningAddresses), for blocks without bind/view.
 */
export function inspectServerBlocks(blocks: readonly InspectBlockInput[]): InspectResult {
  const zones: NormalizedZone[][] = [];
  let error: InspectResult["error"] = null;
  blocks.forEach((b, bi) => {
    const z: NormalizedZone[] = [];
    b.keys.forEach((k, ki) => {
      const r = normalizeKey(k);
      if ("error" in r) {
        if (!error) error = { message: `error inspecting server blocks: ${r.error}`, block: bi, key: ki };
      } else {
        for (const zone of r.zones) z.push(zone);
      }
    });
    zones.push(z);
  });
  if (error) return { zones, error, overlapChecked: false };
  let skip = false;
  for (const b of blocks) {
    for (const d of b.directives) if (d.name === "bind" || d.name === "view") skip = true;
  }
  if (skip) return { zones, error: null, overlapChecked: false };
  const seen = new Set<string>();
  for (let bi = 0; bi < blocks.length; bi++) {
    const keysOfBlock = blocks[bi]!.keys;
    const zs = zones[bi]!;
    for (const z of zs) {
      const k = z.canonical;
      if (seen.has(k)) {
        // find the key index that produced this zone (for positions)
        let ki = 0;
        let acc = 0;
        for (let i = 0; i < keysOfBlock.length; i++) {
          const r = normalizeKey(keysOfBlock[i]!);
          const cnt = "zones" in r ? r.zones.length : 0;
          if (zs.indexOf(z) < acc + cnt) {
            ki = i;
            break;
          }
          acc += cnt;
        }
        return { zones, error: { message: `cannot serve ${k} - it is already defined`, block: bi, key: ki }, overlapChecked: true };
      }
      seen.add(k);
    }
  }
  return { zones, error: null, overlapChecked: true };
}
