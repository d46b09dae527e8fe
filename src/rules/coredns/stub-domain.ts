import { defineRule } from "../../engine/rule.js";
import type { CorefileDirective } from "../../parsers/corefile/index.js";
import { blockOptions, directiveArgs } from "../lib/corefile.js";
import { where } from "../lib/locations.js";
import { blockKeys, fqdn, isSubdomain, keyZones, tokLoc } from "./lib/corefile.js";
import { atLeast, pluginExists, targetVersion } from "./lib/versions.js";

const isReverse = (zone: string) => /(^|\.)(in-addr|ip6)\.arpa\.$/.test(zone);

/** The zone a forwarder handles (its FROM; a CIDR uses its first reverse zone, as forward does). */
function fromZone(d: CorefileDirective, v: readonly [number, number, number]): string | null {
  const from = directiveArgs(d)[0];
  if (!from) return null;
  const z = keyZones(from.text, v);
  return z && z[0] ? z[0].zone : fqdn(from.text);
}

export default defineRule({
  meta: { id: "coredns/stub-domain", severity: "warning", summary: "Stub domains that do not work as meant: a second `forward .`, a stub zone under the cluster domain, a parent stub before its subdomain" },
  check({ cluster, report }) {
    for (const cf of cluster.corefiles) {
      const v = targetVersion(cf, cluster).version;
      // Cluster domains: the kubernetes plugin's forward zones, per port.
      const clusterZones: { zone: string; port: string; at: CorefileDirective }[] = [];
      for (const block of cf.parse.serverBlocks) {
        for (const d of block.directives) {
          if (d.name !== "kubernetes") continue;
          const args = directiveArgs(d);
          const ports = [...new Set(blockKeys(block).flatMap(({ key }) => (keyZones(key, v) ?? []).map((z) => z.port)))];
          const zones = args.length ? args.flatMap((a) => (keyZones(a.text, v) ?? []).map((z) => z.zone)) : blockKeys(block).flatMap(({ key }) => (keyZones(key, v) ?? []).map((z) => z.zone));
          for (const zone of zones) if (!isReverse(zone) && zone !== ".") for (const port of ports) clusterZones.push({ zone, port, at: d });
        }
      }
      for (const block of cf.parse.serverBlocks) {
        // proxy counts even where it is removed: once replaced by forward it forwards the same zone.
        const forwarders = block.directives.filter((d) => (d.name === "forward" && pluginExists("forward", v)) || d.name === "proxy");
        // A second forward in one block fails before 1.9.4: coredns/invalid-plugin-option reports it then.
        const repeatsAllowed = atLeast(v, "1.9.4") || forwarders.some((d) => d.name === "proxy");
        if (repeatsAllowed) {
          forwarders.forEach((d, i) => {
            const zone = fromZone(d, v);
            if (!zone) return;
            for (const earlier of forwarders.slice(0, i)) {
              const parent = fromZone(earlier, v);
              if (!parent || !isSubdomain(zone, parent)) continue;
              const excepted = blockOptions(earlier).some((o) => o.name.text === "except" && o.args.some((a) => isSubdomain(zone, fqdn(a.text))));
              if (excepted) continue;
              const at = where(tokLoc(cf, earlier.tokens[0]!));
              report({
                loc: tokLoc(cf, d.tokens[0]!),
                message: zone === parent
                  ? `a second ${d.name} for ${zone === "." ? "'.'" : zone} in server block ${block.keys.join(" ")}: the first one (${earlier.name} at ${at}) takes every query, so the upstreams here are never used. Merge the upstreams into one forward`
                  : `${d.name} ${zone} comes after ${earlier.name} ${parent} (${at}), which already takes every query under ${parent}: the stub zone is never used. Put the subdomain's forward first, or add \`except ${zone.replace(/\.$/, "")}\` to the parent's forward`,
                related: [{ loc: tokLoc(cf, earlier.tokens[0]!), message: `${earlier.name} ${parent} takes these queries first` }],
              });
              break;
            }
          });
        }
        if (block.directives.some((d) => d.name === "kubernetes") || forwarders.length === 0) continue;
        for (const { key, token } of blockKeys(block)) {
          for (const z of keyZones(key, v) ?? []) {
            const owner = clusterZones.find((c) => c.port === z.port && z.zone !== c.zone && isSubdomain(z.zone, c.zone));
            if (!owner) continue;
            report({
              loc: tokLoc(cf, token),
              message: `server block ${key} forwards ${z.zone}, a zone inside the cluster domain ${owner.zone} that the kubernetes plugin serves (${where(tokLoc(cf, owner.at.tokens[0]!))}): CoreDNS picks the longest matching zone, so Service and pod names under ${z.zone} no longer resolve. Use a stub zone outside the cluster domain`,
              related: [{ loc: tokLoc(cf, owner.at.tokens[0]!), message: `kubernetes serves ${owner.zone}` }],
            });
            break;
          }
        }
      }
    }
  },
});
