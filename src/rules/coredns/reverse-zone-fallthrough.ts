import { defineRule } from "../../engine/rule.js";
import { blockOptions, directiveArgs } from "../lib/corefile.js";
import { blockKeys, fqdn, isSubdomain, keyZones, tokLoc } from "./lib/corefile.js";
import { pluginExists, targetVersion } from "./lib/versions.js";
import { cidrContains, cidrOverlaps, parseCIDR, type ParsedCIDR } from "../../parsers/net.js";
import type { Fact } from "../../model/types.js";

const isReverse = (zone: string) => /(^|\.)(in-addr|ip6)\.arpa\.$/.test(zone);

/** Whether a CIDR holds only Service IPs: inside a stated Service range, or (none stated) clear of the pod ranges. */
function onlyServices(cidr: ParsedCIDR, services: readonly Fact[], pods: readonly Fact[]): boolean {
  const whole = services.filter((f) => !f.within);
  if (whole.length > 0) return whole.some((f) => cidrContains(f.value, cidr));
  return !pods.some((f) => {
    const p = parseCIDR(f.value);
    return p ? cidrOverlaps(p, cidr) : false;
  });
}

export default defineRule({
  meta: { id: "coredns/reverse-zone-fallthrough", severity: "warning", summary: "The kubernetes plugin is authoritative for in-addr.arpa/ip6.arpa without fallthrough for them: PTR lookups of other IPs get NXDOMAIN" },
  check({ cluster, report }) {
    for (const cf of cluster.corefiles) {
      const v = targetVersion(cf, cluster).version;
      if (!pluginExists("kubernetes", v)) continue;
      for (const block of cf.parse.serverBlocks) {
        for (const d of block.directives) {
          if (d.name !== "kubernetes") continue;
          const args = directiveArgs(d);
          const sources = args.length ? args.map((a) => a.text) : blockKeys(block).map(({ key }) => key);
          const zones: string[] = [];
          const fromCidr = new Map<string, string>();
          for (const src of sources) {
            const found = (keyZones(src, v) ?? []).map((z) => z.zone);
            // A CIDR inside the Service range holds only Service IPs, which the plugin answers itself: NXDOMAIN
            // for the rest is right. Without a known Service range an explicit CIDR counts as one unless it
            // is pod address space.
            const cidr = parseCIDR(src.replace(/^[a-z0-9]+:\/\//i, "").replace(/:\d+$/, ""));
            if (cidr && onlyServices(cidr, cluster.facts.serviceCIDRs, cluster.facts.podCIDRs)) continue;
            zones.push(...found);
            if (cidr) for (const z of found) fromCidr.set(z, src);
          }
          const reverse = [...new Set(zones.filter(isReverse))];
          if (reverse.length === 0) continue;
          const fall = blockOptions(d).filter((o) => o.name.text === "fallthrough");
          const covered = (zone: string) => fall.some((f) => f.args.length === 0 || f.args.some((a) => isSubdomain(zone, fqdn(a.text))));
          const missing = reverse.filter((z) => !covered(z));
          if (missing.length === 0) continue;
          // A whole reverse tree holds nodes and external hosts; a CIDR given here holds what lives in it.
          const cidrs = [...new Set(missing.map((z) => fromCidr.get(z)).filter((c): c is string => !!c))];
          const who = (zs: string[]) => (zs.every((z) => fromCidr.has(z)) ? `IPs in ${cidrs.join(" ")} that are not Service or endpoint addresses (pods that back no Service, or nodes and other hosts in that range)` : "IPs outside the cluster (nodes, external hosts)");
          report({
            loc: tokLoc(cf, d.tokens[0]!),
            message: `the kubernetes plugin is authoritative for ${missing.join(" ")} without \`fallthrough\` for ${missing.length > 1 ? "them" : "it"}: PTR lookups of ${who(missing)} get NXDOMAIN instead of going on to forward. Add \`fallthrough ${missing.map((z) => z.replace(/\.$/, "")).join(" ")}\` to the kubernetes block`,
          });
        }
      }
    }
  },
});
