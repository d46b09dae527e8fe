import { defineRule } from "../../engine/rule.js";
import { blockOptions, directiveArgs } from "../lib/corefile.js";
import { blockKeys, fqdn, isSubdomain, keyZones, tokLoc } from "./lib/corefile.js";
import { pluginExists, targetVersion } from "./lib/versions.js";

const isReverse = (zone: string) => /(^|\.)(in-addr|ip6)\.arpa\.$/.test(zone);

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
          const zones = args.length ? args.flatMap((a) => (keyZones(a.text, v) ?? []).map((z) => z.zone)) : blockKeys(block).flatMap(({ key }) => (keyZones(key, v) ?? []).map((z) => z.zone));
          const reverse = [...new Set(zones.filter(isReverse))];
          if (reverse.length === 0) continue;
          const fall = blockOptions(d).filter((o) => o.name.text === "fallthrough");
          const covered = (zone: string) => fall.some((f) => f.args.length === 0 || f.args.some((a) => isSubdomain(zone, fqdn(a.text))));
          const missing = reverse.filter((z) => !covered(z));
          if (missing.length === 0) continue;
          report({
            loc: tokLoc(cf, d.tokens[0]!),
            message: `the kubernetes plugin is authoritative for ${missing.join(" ")} without \`fallthrough\` for ${missing.length > 1 ? "them" : "it"}: PTR lookups of IPs outside the cluster (nodes, external hosts) get NXDOMAIN instead of going on to forward. Add \`fallthrough ${missing.map((z) => z.replace(/\.$/, "")).join(" ")}\` to the kubernetes block`,
          });
        }
      }
    }
  },
});
