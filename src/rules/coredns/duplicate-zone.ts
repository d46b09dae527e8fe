import { defineRule } from "../../engine/rule.js";
import { directiveArgs } from "../lib/corefile.js";
import { where } from "../lib/locations.js";
import type { CorefileToken } from "../../parsers/corefile/index.js";
import { blockKeys, keyZones, tokLoc } from "./lib/corefile.js";
import { atLeast, describeTarget, isKnownPluginName, pluginExists, targetVersion } from "./lib/versions.js";

/** A zone served on an address, by a key token; where the token is is looked up only for a finding. */
interface ZoneAddr {
  transport: string;
  zone: string;
  address: string;
  port: string;
  token: CorefileToken;
  key: string;
}

/**
 * A zone and port on any address: the key of `unbound`; the key of `registered` is this and the
 * address. One flat string: the maps keep one per zone (a template's pieces were four objects each).
 */
const anyAddrKey = (z: { transport: string; zone: string; port: string }) => [z.transport, "://", z.zone, ":", z.port, "\0"].join("");
const show = (z: ZoneAddr) => `${z.transport}://${z.zone}:${z.port}${z.address ? ` on ${z.address}` : ""}`;

export default defineRule({
  meta: { id: "coredns/duplicate-zone", severity: "error", summary: "Two server blocks (or two keys) serve the same zone and port after CoreDNS's key normalisation: CoreDNS does not start" },
  check({ cluster, report }) {
    for (const cf of cluster.corefiles) {
      const err = cf.parse.error;
      // CoreDNS stops before the zone check on any other error (coredns/corefile-syntax reports it).
      if (err && !/already defined/.test(err.message)) continue;
      const target = targetVersion(cf, cluster);
      const v = target.version;
      // core/dnsserver/register.go validateZonesAndListeningAddresses, with the zoneOverlap checker.
      const registered = new Map<string, ZoneAddr>();
      const unbound = new Map<string, ZoneAddr>();
      // Each key string is built once per zone and address (100,000 server blocks built and copied one per lookup).
      const check = (at: string, any: string, address: string): { exist?: ZoneAddr; overlap?: ZoneAddr } | undefined => {
        const exist = registered.get(at);
        if (exist) return { exist };
        const u = unbound.get(any);
        if (u && (address === "" || registered.has(any))) return { overlap: u };
        return undefined;
      };
      let reportedAny = false;
      let symptomBlock = false;
      for (const block of cf.parse.serverBlocks) {
        const keys = blockKeys(block);
        // A block whose "keys" are a directive line or a stray brace is a symptom of a structure problem (coredns/parser-quirk).
        if (keys.length === 0 || keys[0]!.key === "}" || isKnownPluginName(keys[0]!.key)) {
          symptomBlock = true;
          continue;
        }
        const binds = block.directives.filter((d) => d.name === "bind").flatMap((d) => directiveArgs(d).map((a) => a.text));
        const hosts = binds.length ? binds : [""];
        const filtered = atLeast(v, "1.10.0") && block.directives.some((d) => d.name === "view" && pluginExists("view", v));
        for (const { key, token } of keys) {
          const zones = keyZones(key, v);
          if (!zones) continue;
          let reported = false;
          for (const kz of zones) {
            const any = anyAddrKey(kz);
            for (const address of hosts) {
              const at = any + address;
              const found = check(at, any, address);
              if (filtered) {
                // Since 1.14.3 (coredns/coredns#7733) a view block may share its zone with an unfiltered one in any order.
                if (found && atLeast(v, "1.14.3")) delete found.exist;
              } else if (!found) {
                const z: ZoneAddr = { transport: kz.transport, zone: kz.zone, address, port: kz.port, token, key };
                registered.set(at, z);
                unbound.set(any, z);
              }
              const other = found?.exist ?? found?.overlap;
              if (!found || !other || reported) continue;
              const z: ZoneAddr = { transport: kz.transport, zone: kz.zone, address, port: kz.port, token, key };
              reported = true;
              reportedAny = true;
              const loc = tokLoc(cf, token);
              const otherLoc = tokLoc(cf, other.token);
              const same = otherLoc.file === loc.file && otherLoc.start === loc.start;
              const firstAt = same ? "" : ` (first at ${where(otherLoc)}, key '${other.key}')`;
              const why = found.exist
                ? `cannot serve ${show(z)} - it is already defined`
                : `cannot serve ${show(z)} - zone overlap listener capacity with ${show(other)}`;
              const cidr = key.includes("/") || other.key.includes("/") ? `; the CIDR key${key !== other.key ? "s" : ""} '${other.key}'${key !== other.key ? ` and '${key}'` : ""} normalise to ${z.zone} in ${describeTarget(target)}` : "";
              const view = filtered && found.exist ? "; before CoreDNS 1.14.3 a view block must come before the unfiltered block of the same zone" : "";
              report({
                loc,
                message: `key '${key}' serves zone ${z.zone} on port ${z.port} again${firstAt}: CoreDNS stops with "${why}"${cidr}${view}`,
                related: same ? [] : [{ loc: otherLoc, message: `zone ${other.zone} on port ${other.port} is first served here` }],
              });
            }
          }
        }
      }
      // The parser runs CoreDNS's own check (current key normalisation, no bind/view): never lose its verdict.
      if (!reportedAny && !symptomBlock && err && atLeast(v, "1.8.4")) {
        const pos: { offset?: number; endOffset?: number; file?: string; line?: number } = { line: err.line };
        if (err.offset !== undefined) pos.offset = err.offset;
        if (err.endOffset !== undefined) pos.endOffset = err.endOffset;
        if (err.file && err.file !== cf.parse.file) pos.file = err.file;
        report({ loc: cf.locate(pos), message: `CoreDNS stops with "${err.message}": two server keys serve the same zone and port` });
      }
    }
  },
});
