/**
 * IP / CIDR parsing that accepts exactly what Go accepts.
 *
 * Two dialects exist in the Kubernetes code base:
 *
 * - strict (default): Go's `net.ParseIP` / `net.ParseCIDR` since Go 1.17 (1.22+ parse
 *   through `netip.ParseAddr`). IPv4 needs exactly four decimal fields without leading
 *   zeros; IPv6 groups have at most four hex digits; zones (`%eth0`) and brackets are
 *   rejected; an embedded IPv4 tail is allowed only in the last 32 bits.
 * - sloppy: `k8s.io/utils/net.ParseIPSloppy` / `ParseCIDRSloppy`, a fork of the Go 1.16
 *   parser that Kubernetes components (kube-proxy, kubelet) use for compatibility. It
 *   additionally accepts leading zeros in IPv4 fields (read as decimal, "010" = 10) and
 *   IPv6 groups with leading zeros beyond four digits as long as the value fits 16 bits.
 *
 * Both dialects decide the family by the first '.' or ':' in the string, like Go.
 * The CIDR prefix is decimal digits only (leading zeros allowed, no sign), at most 32
 * for a dotted IPv4 address and 128 for any IPv6 text (including "::ffff:a.b.c.d").
 *
 * Containment and overlap are computed with ipaddr.js.
 */
import { ipaddr } from "../lazy-deps.js";

export interface ParseOptions {
  /** Accept what k8s.io/utils/net's *Sloppy parsers accept (leading zeros). */
  sloppy?: boolean;
}

export interface ParsedIP {
  /** Textual family: 4 for dotted IPv4, 6 for any IPv6 text (including IPv4-mapped). */
  kind: 4 | 6;
  /** 4 bytes for kind 4, 16 bytes for kind 6. */
  bytes: number[];
}

export interface ParsedCIDR {
  kind: 4 | 6;
  /** The address as written (host bits kept). */
  ip: ParsedIP;
  /** The network address (host bits cleared). */
  network: ParsedIP;
  prefix: number;
}

const BIG = 0xffffff;

/** Go's dtoi: leading decimal digits; returns [value, consumed] or null if none/overflow. */
function dtoi(s: string): [number, number] | null {
  let n = 0;
  let i = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    n = n * 10 + (c - 48);
    if (n >= BIG) return null;
  }
  if (i === 0) return null;
  return [n, i];
}

/** Four dot-separated decimal octets, read in one pass (a forwarding rule asks this per server block). */
function parseIPv4(s: string, sloppy: boolean): number[] | null {
  const out: number[] = [];
  let n = 0;
  let len = 0;
  let first = 0;
  for (let i = 0; i <= s.length; i++) {
    // The end of the text ends the last octet as a dot ends the others.
    const c = i < s.length ? s.charCodeAt(i) : 0x2e;
    if (c === 0x2e) {
      if (len === 0 || out.length === 4) return null;
      // Go's strict form: at most three digits, no leading zero.
      if (!sloppy && (len > 3 || (len > 1 && first === 0x30))) return null;
      if (n > 0xff) return null;
      out.push(n);
      n = 0;
      len = 0;
      continue;
    }
    if (c < 0x30 || c > 0x39) return null;
    if (len === 0) first = c;
    n = n * 10 + (c - 0x30);
    if (n >= BIG) return null;
    len++;
  }
  return out.length === 4 ? out : null;
}

function isHex(c: string): boolean {
  return /^[0-9a-fA-F]$/.test(c);
}

function parseIPv6(input: string, sloppy: boolean): number[] | null {
  if (input.length === 0) return null;
  const ip = new Array<number>(16).fill(0);
  let s = input;
  let ellipsis = -1;
  let i = 0;
  if (s.length >= 2 && s[0] === ":" && s[1] === ":") {
    ellipsis = 0;
    s = s.slice(2);
    if (s.length === 0) return ip;
  }
  while (i < 16) {
    // Read one hex group.
    let off = 0;
    let acc = 0;
    while (off < s.length && isHex(s[off]!)) {
      acc = acc * 16 + parseInt(s[off]!, 16);
      off++;
      if (!sloppy && off > 4) return null;
      if (acc >= BIG) return null;
    }
    if (off === 0) return null;
    if (off < s.length && s[off] === ".") {
      // Embedded IPv4 tail.
      if (ellipsis < 0 && i !== 12) return null;
      if (i + 4 > 16) return null;
      const v4 = parseIPv4(s, sloppy);
      if (v4 === null) return null;
      for (let k = 0; k < 4; k++) ip[i + k] = v4[k]!;
      i += 4;
      s = "";
      break;
    }
    if (acc > 0xffff) return null;
    ip[i] = acc >> 8;
    ip[i + 1] = acc & 0xff;
    i += 2;
    s = s.slice(off);
    if (s.length === 0) break;
    if (s[0] !== ":" || s.length === 1) return null;
    s = s.slice(1);
    if (s[0] === ":") {
      if (ellipsis >= 0) return null;
      ellipsis = i;
      s = s.slice(1);
      if (s.length === 0) break;
    }
  }
  if (s.length !== 0) return null;
  if (i < 16) {
    if (ellipsis < 0) return null;
    const n = 16 - i;
    for (let j = i - 1; j >= ellipsis; j--) ip[j + n] = ip[j]!;
    for (let j = ellipsis + n - 1; j >= ellipsis; j--) ip[j] = 0;
  } else if (ellipsis >= 0) {
    // "::" must stand for at least one group of zeros.
    return null;
  }
  return ip;
}

/** Like Go's net.ParseIP (strict) or k8s ParseIPSloppy (opts.sloppy). Null when rejected. */
export function parseIP(s: string, opts: ParseOptions = {}): ParsedIP | null {
  if (typeof s !== "string") return null;
  const sloppy = opts.sloppy === true;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === ".") {
      const b = parseIPv4(s, sloppy);
      return b ? { kind: 4, bytes: b } : null;
    }
    if (c === ":") {
      const b = parseIPv6(s, sloppy);
      return b ? { kind: 6, bytes: b } : null;
    }
  }
  return null;
}

/** Like Go's net.ParseCIDR (strict) or k8s ParseCIDRSloppy (opts.sloppy). Null when rejected. */
export function parseCIDR(s: string, opts: ParseOptions = {}): ParsedCIDR | null {
  if (typeof s !== "string") return null;
  const slash = s.indexOf("/");
  if (slash < 0) return null;
  const addr = s.slice(0, slash);
  const mask = s.slice(slash + 1);
  const sloppy = opts.sloppy === true;
  let ip: ParsedIP | null = null;
  const v4 = parseIPv4(addr, sloppy);
  if (v4) ip = { kind: 4, bytes: v4 };
  else {
    const v6 = addr.includes(":") ? parseIPv6(addr, sloppy) : null;
    if (v6) ip = { kind: 6, bytes: v6 };
  }
  if (!ip) return null;
  const d = dtoi(mask);
  const bits = ip.kind === 4 ? 32 : 128;
  if (d === null || d[1] !== mask.length || d[0] > bits) return null;
  const prefix = d[0];
  const net = ip.bytes.map((b, idx) => {
    const start = idx * 8;
    if (prefix >= start + 8) return b;
    if (prefix <= start) return 0;
    const keep = prefix - start;
    return b & ((0xff << (8 - keep)) & 0xff);
  });
  return { kind: ip.kind, ip, network: { kind: ip.kind, bytes: net }, prefix };
}

const V4_MAPPED_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

/**
 * The family Kubernetes assigns (k8s.io/utils/net IsIPv4/IsIPv6 use Go's To4()): an
 * IPv4-mapped IPv6 address ("::ffff:1.2.3.4") counts as IPv4.
 */
export function ipFamily(ip: ParsedIP): 4 | 6 {
  if (ip.kind === 4) return 4;
  return V4_MAPPED_PREFIX.every((b, i) => ip.bytes[i] === b) ? 4 : 6;
}

/** The family Kubernetes assigns to a CIDR (by its address, like netutils.IsIPv6CIDR). */
export function cidrFamily(c: ParsedCIDR): 4 | 6 {
  return ipFamily(c.ip);
}

/** Format a parsed address in canonical form (via ipaddr.js). */
export function formatIP(ip: ParsedIP): string {
  return ipaddr().fromByteArray(ip.bytes).toString();
}

function toCIDR(x: string | ParsedCIDR | ParsedIP): ParsedCIDR | null {
  if (typeof x === "string") {
    if (x.includes("/")) return parseCIDR(x, { sloppy: true });
    const ip = parseIP(x, { sloppy: true });
    if (!ip) return null;
    return { kind: ip.kind, ip, network: ip, prefix: ip.kind === 4 ? 32 : 128 };
  }
  if ("prefix" in x) return x;
  return { kind: x.kind, ip: x, network: x, prefix: x.kind === 4 ? 32 : 128 };
}

function matches(addr: ParsedIP, range: ParsedCIDR): boolean {
  if (addr.kind !== range.kind) return false;
  const a = ipaddr().fromByteArray(addr.bytes);
  const r = ipaddr().fromByteArray(range.network.bytes);
  if (a.kind() !== r.kind()) return false;
  return a.match(r, range.prefix);
}

/**
 * True when CIDR `a` contains `b` (a CIDR or a single IP) entirely. Strings are parsed
 * sloppily; unparsable input yields false. IPv4 and IPv6 never contain each other.
 */
export function cidrContains(a: string | ParsedCIDR, b: string | ParsedCIDR | ParsedIP): boolean {
  const ca = toCIDR(a);
  const cb = toCIDR(b);
  if (!ca || !cb || ca.kind !== cb.kind) return false;
  return ca.prefix <= cb.prefix && matches(cb.network, ca);
}

/** True when the two CIDRs share at least one address. IPv4 never overlaps IPv6. */
export function cidrOverlaps(a: string | ParsedCIDR, b: string | ParsedCIDR): boolean {
  const ca = toCIDR(a);
  const cb = toCIDR(b);
  if (!ca || !cb || ca.kind !== cb.kind) return false;
  return ca.prefix <= cb.prefix ? matches(cb.network, ca) : matches(ca.network, cb);
}

/**
 * Go's net.SplitHostPort. Returns null where Go returns an error ("missing port in
 * address", "too many colons", "missing ']'", "unexpected '['/']'").
 */
export function splitHostPort(hostport: string): { host: string; port: string } | null {
  const i = hostport.lastIndexOf(":");
  if (i < 0) return null;
  let host: string;
  let j = 0;
  let k = 0;
  if (hostport[0] === "[") {
    const end = hostport.indexOf("]");
    if (end < 0) return null;
    if (end + 1 === hostport.length) return null;
    if (end + 1 !== i) return null;
    host = hostport.slice(1, end);
    j = 1;
    k = end + 1;
  } else {
    host = hostport.slice(0, i);
    if (host.includes(":")) return null;
  }
  if (hostport.slice(j).includes("[")) return null;
  if (hostport.slice(k).includes("]")) return null;
  return { host, port: hostport.slice(i + 1) };
}

/** Go's strconv.Atoi for the values that matter here: optional sign, decimal digits. */
export function goAtoi(s: string): number | null {
  if (!/^[+-]?[0-9]+$/.test(s)) return null;
  const n = Number(s);
  if (!Number.isSafeInteger(n)) return null;
  return n;
}

/** A host only the pod itself reaches: localhost, 127.0.0.0/8, ::1 (and IPv4-mapped loopback). */
export function isLoopbackAddress(host: string): boolean {
  const h = host.toLowerCase();
  if (h === "localhost" || h === "localhost.") return true;
  const ip = parseIP(host, { sloppy: true });
  if (!ip) return false;
  return ip.kind === 4 ? cidrContains("127.0.0.0/8", ip) : cidrContains("::1/128", ip) || cidrContains("::ffff:127.0.0.0/104", ip);
}

/** The same address (IPv4 and its IPv6 text are different addresses here, as in Kubernetes). Strings are parsed sloppily. */
export function ipEqual(a: string | ParsedIP, b: string | ParsedIP): boolean {
  const x = typeof a === "string" ? parseIP(a, { sloppy: true }) : a;
  const y = typeof b === "string" ? parseIP(b, { sloppy: true }) : b;
  return !!x && !!y && x.bytes.length === y.bytes.length && x.bytes.every((v, i) => v === y.bytes[i]);
}
