import { defineRule } from "../../engine/rule.js";
import type { Fact } from "../../model/types.js";
import { where } from "../lib/locations.js";
import { cidrFamily, cidrOverlaps, formatIP, parseCIDR, type ParsedCIDR } from "../../parsers/net.js";
import { inScope, scopeDir } from "../lib/scope.js";
import { clusterCIDRs, detectLocalMode } from "./lib/cidrs.js";

const norm = (c: ParsedCIDR) => `${formatIP(c.network)}/${c.prefix}`;

export default defineRule({
  meta: { id: "kube-proxy/cidr-overlap", severity: "error", summary: "kube-proxy's clusterCIDR overlaps the service CIDR" },
  check({ cluster, report }) {
    const peerFiles = cluster.kubeProxyConfigs.map((c) => c.object.file.path);
    for (const cfg of cluster.kubeProxyConfigs) {
      const proxy = clusterCIDRs(cfg);
      if (!proxy) continue;
      const scope = scopeDir(cfg.object.file.path, peerFiles);
      const pods = cluster.facts.podCIDRs.filter((f) => !f.within && inScope(f.loc, scope)).map((f) => parseCIDR(f.value, { sloppy: true })).filter((c): c is ParsedCIDR => !!c);
      const hits: { cidr: ParsedCIDR; service: ParsedCIDR; fact: Fact }[] = [];
      const seen = new Set<string>();
      for (const fact of cluster.facts.serviceCIDRs) {
        if (!inScope(fact.loc, scope)) continue;
        const service = parseCIDR(fact.value, { sloppy: true });
        if (!service) continue;
        for (const cidr of proxy.cidrs) {
          if (!cidrOverlaps(cidr, service)) continue;
          // A pod CIDR of this family is stated: if it is this value, it is the cause (cluster/cidr-overlap reports it at its
          // source); if it differs, clusterCIDR is simply wrong (kube-proxy/cluster-cidr-mismatch reports it here).
          if (pods.some((p) => cidrFamily(p) === cidrFamily(cidr))) continue;
          const key = `${norm(cidr)} ${norm(service)}`;
          if (seen.has(key)) continue;
          seen.add(key);
          hits.push({ cidr, service, fact });
        }
      }
      if (!hits.length) continue;
      const first = hits[0]!;
      const mode = detectLocalMode(cfg);
      const unused = mode !== null && mode !== "ClusterCIDR" ? ` (detectLocalMode ${mode} does not use clusterCIDR today, so this bites only when the mode changes)` : "";
      const more = hits.length > 1 ? `; also ${hits.slice(1).map((h) => `${norm(h.cidr)} with ${norm(h.service)} (${h.fact.origin})`).join(", ")}` : "";
      report({
        loc: cfg.rangeAt(["clusterCIDR"]) ?? cfg.locate(["clusterCIDR"]),
        field: "clusterCIDR",
        ...(unused ? { severity: "warning" as const } : {}),
        message: `kube-proxy clusterCIDR ${norm(first.cidr)} overlaps the service CIDR ${norm(first.service)} stated by ${first.fact.origin}${first.fact.loc ? ` (${where(first.fact.loc)})` : ""}${more}${unused}. Pod and Service addresses must not overlap: kube-proxy counts ClusterIPs as pod-local sources when it decides what to masquerade, and a pod that gets an address in the overlap is shadowed by the Service rules for that ClusterIP`,
        related: hits.filter((h) => h.fact.loc).map((h) => ({ loc: h.fact.loc!, message: `${h.fact.origin}: ${h.fact.value}` })),
      });
    }
  },
});
