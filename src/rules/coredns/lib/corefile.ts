/** Corefile helpers for the Corefile rules: token locations, server-key zones per release, text edits. */
import type { CorefileArtifact, Loc } from "../../../model/types.js";
import type { CorefileDirective, CorefileServerBlock, CorefileToken } from "../../../parsers/corefile/index.js";
import { parseCIDR, parseIP as parseIPStrict, splitHostPort as splitHostPortGo } from "../../../parsers/net.js";
import { atLeast, type Version } from "./versions.js";

export const isOpen = (t: CorefileToken) => t.text === "{" && !t.quoted;
export const isClose = (t: CorefileToken) => t.text === "}" && !t.quoted;

/** Where a token is on disk (also for tokens of imported files). */
export function tokLoc(cf: CorefileArtifact, t: CorefileToken): Loc {
  return cf.locate({ offset: t.offset, endOffset: t.endOffset, ...(t.file ? { file: t.file } : {}) });
}

/** From the start of the first token to the end of the last one (same file). */
export function spanLoc(cf: CorefileArtifact, first: CorefileToken, last: CorefileToken): Loc {
  const a = tokLoc(cf, first);
  const b = tokLoc(cf, last);
  return b.file === a.file && b.end > a.start ? { file: a.file, start: a.start, end: b.end } : a;
}

/**
 * A directive's block when its `{` is not on the directive's line: CoreDNS's parser accepts it (a
 * `{` always nests), but the plugin's setup never sees a block (NextBlock needs `{` on the same line).
 */
export function detachedBrace(d: CorefileDirective): CorefileToken | undefined {
  const name = d.tokens[0]!;
  let depth = 0;
  for (const t of d.tokens.slice(1)) {
    if (isOpen(t)) {
      if (depth === 0 && (t.line !== name.line || t.file !== name.file)) return t;
      depth++;
    } else if (isClose(t)) depth--;
  }
  return undefined;
}

/** The key tokens of a block, each with the raw key text (env substituted, trailing comma stripped). */
export function blockKeys(block: CorefileServerBlock): { key: string; token: CorefileToken }[] {
  const out: { key: string; token: CorefileToken }[] = [];
  block.keys.forEach((key, i) => {
    const token = block.keyTokens[i] ?? block.keyTokens[block.keyTokens.length - 1];
    if (token) out.push({ key, token });
  });
  return out;
}

const DEFAULT_PORTS: Record<string, string> = { dns: "53", tls: "853", quic: "853", grpc: "443", https: "443", https3: "443", unix: "" };
const SCHEMES = ["tls", "dns", "quic", "grpc", "https3", "https", "unix"];
/** Each scheme with its `scheme://` prefix, made once (keyZones runs per server key). */
const SCHEME_PREFIXES = SCHEMES.map((s) => ({ s, prefix: `${s}://` }));

export interface KeyZone {
  transport: string;
  zone: string;
  port: string;
}

function reverseOf(bytes: number[]): string {
  if (bytes.length === 4) return `${[...bytes].reverse().join(".")}.in-addr.arpa.`;
  const nibbles: string[] = [];
  for (let i = 15; i >= 0; i--) nibbles.push((bytes[i]! & 0xf).toString(16), (bytes[i]! >> 4).toString(16));
  return `${nibbles.join(".")}.ip6.arpa.`;
}

const dropLabels = (name: string, n: number) => name.split(".").slice(n).join(".");

/**
 * The reverse zones a CIDR key stands for. Since 1.8.4 (coredns/coredns#4538) a mask off the octet
 * (nibble) boundary expands to every zone of the next boundary; before, the address as written was
 * cut at the "nearest" boundary of the old normalize.go, so 192.168.0.0/17 and 192.168.128.0/20 both
 * became 168.192.in-addr.arpa. (coredns/coredns#3123, #3808).
 */
export function cidrZones(host: string, v: Version): string[] | null {
  const c = parseCIDR(host);
  if (!c) return null;
  const bits = c.kind === 4 ? 32 : 128;
  const digit = c.kind === 4 ? 8 : 4;
  if (!atLeast(v, "1.8.4")) {
    const span = bits - c.prefix;
    const nearest = span + (span % digit);
    return [dropLabels(reverseOf(c.ip.bytes), Math.floor(nearest / digit))];
  }
  const prefix = Math.ceil(c.prefix / digit) * digit;
  const count = 2 ** (prefix - c.prefix);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const bytes = [...c.network.bytes];
    // add i << (bits - prefix) to the network address
    let carry = i * 2 ** ((bits - prefix) % 8);
    for (let b = Math.floor((prefix - 1) / 8); b >= 0 && carry > 0; b--) {
      const sum = bytes[b]! + carry;
      bytes[b] = sum & 0xff;
      carry = Math.floor(sum / 256);
    }
    out.push(dropLabels(reverseOf(bytes), (bits - prefix) / digit));
  }
  return out;
}

/** A server key's transport, zones and port as the target release normalises it; null when CoreDNS rejects the key. */
export function keyZones(key: string, v: Version): KeyZone[] | null {
  let transport = "dns";
  let rest = key;
  for (const { s, prefix } of SCHEME_PREFIXES) {
    if (key.startsWith(prefix)) {
      transport = s;
      rest = key.slice(prefix.length);
      break;
    }
  }
  let host = rest;
  let port = "";
  const colon = rest.lastIndexOf(":");
  if (colon === rest.length - 1) return null;
  if (colon !== -1 && /^[+-]?\d+$/.test(rest.slice(colon + 1))) {
    port = String(Number(rest.slice(colon + 1)));
    host = rest.slice(0, colon);
  }
  if (host === "") return null;
  if (port === "") port = DEFAULT_PORTS[transport] ?? "";
  const rev = cidrZones(host, v);
  const hosts = rev ?? [host];
  return hosts.map((h) => ({ transport, port, zone: (h.endsWith(".") ? h : `${h}.`).toLowerCase() }));
}

/** Whether `child` is `parent` or below it (FQDNs, lower case). */
export function isSubdomain(child: string, parent: string): boolean {
  return parent === "." || child === parent || child.endsWith(`.${parent}`);
}

export const fqdn = (s: string) => (s.endsWith(".") ? s : `${s}.`).toLowerCase();

export interface LineInfo {
  /** Offset of the line's first character in the file on disk. */
  lineStart: number;
  /** Offset just past the line's end (before its line break). */
  lineEnd: number;
  indent: string;
}

/**
 * The line of a token in the file on disk, when text edits there are safe: not for JSON files (the
 * Corefile is an escaped string) nor for tokens of imported files.
 */
export function editableLine(cf: CorefileArtifact, t: CorefileToken): LineInfo | null {
  if (t.file || cf.file.format === "json" || t.fromEnv) return null;
  const loc = tokLoc(cf, t);
  const { lines, text } = cf.file;
  const line = lines.position(loc.start).line;
  const lineStart = lines.lineStart(line);
  const lineEnd = lines.lineEnd(line);
  return { lineStart, lineEnd, indent: /^[ \t]*/.exec(text.slice(lineStart, lineEnd))![0] };
}

/** The line break the file uses. */
const lineBreaks = new WeakMap<object, string>();

/** The file's line break, decided once per file. */
export function eol(cf: CorefileArtifact): string {
  let b = lineBreaks.get(cf.file);
  if (b === undefined) lineBreaks.set(cf.file, (b = cf.file.text.includes("\r\n") ? "\r\n" : "\n"));
  return b;
}

export type UpstreamKind = "ip" | "file" | "hostname" | "invalid";

/**
 * What a forward TO is, after its scheme (parse.HostPortOrFile): an IP with optional port, a
 * resolv.conf-style file, or a name (resolved at startup only since 1.14.4).
 */
export function upstreamKind(to: string): { scheme: string; kind: UpstreamKind } {
  const m = /^([a-z0-9]+):\/\//.exec(to);
  const scheme = m && SCHEMES.includes(m[1]!) ? m[1]! : "dns";
  const rest = m && SCHEMES.includes(m[1]!) ? to.slice(m[0].length) : to;
  if (rest === "") return { scheme, kind: "invalid" };
  let host = rest;
  const hp = splitHostPortGo(rest);
  if (hp) host = hp.host;
  // An IPv6 zone (fe80::1%eth0) is stripped before the address is parsed.
  if (parseIPStrict(host.replace(/%.*$/, ""))) return { scheme, kind: "ip" };
  // Otherwise CoreDNS tries it as a resolv.conf-style file (relative to its working directory).
  if (rest.includes("/") || /\.conf$/.test(rest)) return { scheme, kind: "file" };
  return { scheme, kind: /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\.?$/.test(host) ? "hostname" : "invalid" };
}
