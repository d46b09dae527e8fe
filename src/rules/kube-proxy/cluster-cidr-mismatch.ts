import { defineRule } from "../../engine/rule.js";
import type { Fact } from "../../model/types.js";
import { where } from "../lib/locations.js";
import { cidrContains, cidrFamily, formatIP, parseCIDR, type ParsedCIDR } from "../lib/net.js";
import { inScope, scopeDir } from "../lib/scope.js";

const norm = (c: ParsedCIDR) => `${formatIP(c.network)}/${c.prefix}`;

export default defineRule({
  meta: { id: "kube-proxy/cluster-cidr-mismatch", severity: "error", summary: "kube-proxy's clusterCIDR differs from the cluster's pod CIDR" },
  check({ cluster, report }) {
    const configs = cluster.kubeProxyConfigs;
    const peerFiles = configs.map((c) => c.object.file.path);
    for (const cfg of configs) {
      const raw = cfg.value.clusterCIDR;
      if (typeof raw !== "string" || raw.trim() === "") continue;
      const proxy = raw.split(",").map((s) => parseCIDR(s.trim(), { sloppy: true }));
      if (proxy.some((c) => !c)) continue;
      const proxyCidrs = proxy as ParsedCIDR[];
      const proxySet = new Set(proxyCidrs.map(norm));
      const scope = scopeDir(cfg.object.file.path, peerFiles);
      // Sources are grouped by origin: one source may state a dual-stack pair.
      const byOrigin = new Map<string, Fact[]>();
      for (const f of cluster.facts.podCIDRs) {
        if (!inScope(f.loc, scope)) continue;
        const list = byOrigin.get(f.origin) ?? [];
        list.push(f);
        byOrigin.set(f.origin, list);
      }
      const disagreeing: { facts: Fact[]; why: string }[] = [];
      for (const facts of byOrigin.values()) {
        const parsed = facts.map((f) => parseCIDR(f.value, { sloppy: true }));
        if (parsed.some((p) => !p)) continue;
        const cidrs = parsed as ParsedCIDR[];
        if (facts[0]!.within) {
          const outside = cidrs.filter((c) => !proxyCidrs.some((p) => cidrContains(p, c)));
          if (outside.length) disagreeing.push({ facts, why: `does not contain ${outside.map(norm).join(",")}, stated by ${facts[0]!.origin} (${where(facts[0]!.loc)})` });
          continue;
        }
        // Compare the address families the source states.
        const families = new Set(cidrs.map(cidrFamily));
        const proxyInFamilies = new Set(proxyCidrs.filter((p) => families.has(cidrFamily(p))).map(norm));
        const stated = new Set(cidrs.map(norm));
        const same = stated.size === proxyInFamilies.size && [...stated].every((c) => proxyInFamilies.has(c));
        if (!same) disagreeing.push({ facts, why: `differs from the pod CIDR ${[...stated].join(",")} stated by ${facts[0]!.origin} (${where(facts[0]!.loc)})` });
      }
      if (disagreeing.length === 0) continue;
      const first = disagreeing[0]!;
      // Only detectLocalMode ClusterCIDR (the default) uses clusterCIDR; under the other modes a wrong value waits for a mode change.
      const mode = typeof cfg.value.detectLocalMode === "string" && cfg.value.detectLocalMode !== "" ? cfg.value.detectLocalMode : "ClusterCIDR";
      const unused = mode !== "ClusterCIDR" ? ` (detectLocalMode ${mode} does not use clusterCIDR today, so this bites only when the mode changes)` : "";
      const more = disagreeing.length > 1 ? ` (also ${disagreeing.slice(1).map((d) => d.facts[0]!.origin).join("; ")})` : "";
      report({
        loc: cfg.rangeAt(["clusterCIDR"]) ?? cfg.locate(["clusterCIDR"]),
        field: "clusterCIDR",
        ...(unused ? { severity: "warning" as const } : {}),
        message: `kube-proxy clusterCIDR ${[...proxySet].join(",")} ${first.why}${more}${unused}. kube-proxy then misjudges which traffic is pod-local: wrong masquerading, broken NodePorts and source IPs`,
        related: disagreeing.flatMap((d) => d.facts.filter((f) => f.loc).map((f) => ({ loc: f.loc!, message: `${f.origin}: ${f.value}` }))),
      });
    }
  },
});
