/**
 * Where a forward to a local address leads: a loopback or unspecified address (0.0.0.0 and :: reach the
 * local host) is CoreDNS's own network namespace, so the query arrives at whichever server block of the
 * same Corefile listens on that port; that block may answer it or forward it on. Under hostNetwork,
 * 127.0.0.53 is the node's systemd-resolved stub listener instead.
 */
import type { CorefileServerBlock } from "../../../parsers/corefile/index.js";
import { directiveArgs } from "../../lib/corefile.js";
import { isLoopbackAddress, parseIP } from "../../../parsers/net.js";
import { fqdn, isSubdomain } from "./corefile.js";

const DEFAULT_PORT: Record<string, number> = { dns: 53, tls: 853 };

/** The host and port of a forward TO: `dns://127.0.0.1:5353`, `[::1]:53`, `0.0.0.0`, `tls://127.0.0.1`. */
export function upstreamHostPort(to: string): { scheme: string; host: string; port: number } {
  const m = /^([a-z0-9]+):\/\//i.exec(to);
  const scheme = m ? m[1]!.toLowerCase() : "dns";
  const s = m ? to.slice(m[0].length) : to;
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (bracket) return { scheme, host: bracket[1]!, port: bracket[2] ? Number(bracket[2]) : DEFAULT_PORT[scheme] ?? 53 };
  const hp = /^([^:]+):(\d+)$/.exec(s);
  if (hp) return { scheme, host: hp[1]!, port: Number(hp[2]) };
  return { scheme, host: s, port: DEFAULT_PORT[scheme] ?? 53 };
}

/** An address that reaches the local host: loopback, or the unspecified address (connecting to 0.0.0.0 or :: goes to this host). */
export function reachesLocalHost(host: string): boolean {
  if (isLoopbackAddress(host)) return true;
  const ip = parseIP(host, { sloppy: true });
  return !!ip && ip.bytes.every((b) => b === 0);
}

/** systemd-resolved's stub listener address. */
export const SYSTEMD_RESOLVED_STUB = "127.0.0.53";

export type LocalTarget =
  /** Back to a block already on the path: the loop plugin sees its probe come back. */
  | { kind: "loop"; path: CorefileServerBlock[] }
  /** Another block takes it and answers or forwards it elsewhere. */
  | { kind: "elsewhere"; path: CorefileServerBlock[] }
  /** No block of this Corefile listens there. */
  | { kind: "none" };

/** Whether a block listens on a loopback address (no `bind`, or a bind that includes it or a wildcard). */
function listensOn(block: CorefileServerBlock): boolean {
  const binds = block.directives.filter((d) => d.name === "bind").flatMap((d) => directiveArgs(d).map((a) => a.text));
  if (binds.length === 0) return true;
  // Interface names (bind lo) or anything that is not an address: assume it listens.
  if (binds.some((b) => !parseIP(b, { sloppy: true }))) return true;
  return binds.some((b) => reachesLocalHost(b));
}

/** The block of the Corefile that serves `zone` on DNS port `port`: the longest matching zone. */
function servingBlock(blocks: readonly CorefileServerBlock[], zone: string, port: number): CorefileServerBlock | null {
  let best: { block: CorefileServerBlock; len: number } | null = null;
  for (const block of blocks) {
    if (!listensOn(block)) continue;
    for (const z of block.zones) {
      if (z.transport !== "dns" || z.port !== port || !isSubdomain(zone, z.zone)) continue;
      if (!best || z.zone.length > best.len) best = { block, len: z.zone.length };
    }
  }
  return best?.block ?? null;
}

/**
 * Follow a query for `zone` sent from `from` to a local `host:port`, through the Corefile's blocks and
 * their forwards to local addresses, until it leaves the host or comes back.
 */
export function followLocal(blocks: readonly CorefileServerBlock[], from: CorefileServerBlock, zone: string, host: string, port: number, hostNetwork: boolean): LocalTarget {
  const path: CorefileServerBlock[] = [from];
  let cur = { host, port };
  for (let hops = 0; hops < blocks.length + 1; hops++) {
    const next = servingBlock(blocks, fqdn(zone), cur.port);
    if (!next) return hops === 0 ? { kind: "none" } : { kind: "elsewhere", path };
    if (path.includes(next)) return { kind: "loop", path: [...path, next] };
    path.push(next);
    // The next block's forward for this zone, if it goes to the local host again.
    const fwd = next.directives.find((d) => (d.name === "forward" || d.name === "proxy") && isSubdomain(fqdn(zone), fqdn(directiveArgs(d)[0]?.text ?? ".")));
    const local = fwd ? directiveArgs(fwd).slice(1).map((t) => upstreamHostPort(t.text)).find((u) => (u.scheme === "dns" || u.scheme === "tls") && reachesLocalHost(u.host) && !(hostNetwork && u.host === SYSTEMD_RESOLVED_STUB)) : undefined;
    if (!local) return { kind: "elsewhere", path };
    cur = { host: local.host, port: local.port };
  }
  return { kind: "elsewhere", path };
}
