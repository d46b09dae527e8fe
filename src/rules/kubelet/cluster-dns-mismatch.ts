import { defineRule } from "../../engine/rule.js";
import { where } from "../lib/locations.js";
import { cidrContains, ipEqual, ipFamily, parseIP } from "../../parsers/net.js";
import { kubeDnsServiceIPs, nodeLocalDns } from "../cluster/lib/dns.js";
import { cidrText, describeSource, ofFamily, serviceCidrSources } from "../cluster/lib/facts.js";
import { Scopes } from "../cluster/lib/scope.js";
import { kubeletClusterDNS } from "./lib/settings.js";

const isLinkLocal = (v: string) => cidrContains("169.254.0.0/16", v) || cidrContains("fe80::/10", v);

export default defineRule({
  meta: { id: "kubelet/cluster-dns-mismatch", severity: "error", summary: "The kubelet's clusterDNS is not the kube-dns Service's IP, or lies outside the service CIDR" },
  check({ cluster, report }) {
    const settings = kubeletClusterDNS(cluster).map((s) => ({ ...s, kind: "kubelet", file: s.loc.file.path }));
    if (settings.length === 0) return;
    const services = kubeDnsServiceIPs(cluster);
    const ranges = serviceCidrSources(cluster).filter((r) => !r.within);
    const factsDNS = cluster.facts.clusterDNS.filter((f) => f.loc === null);
    const scopes = new Scopes([...settings, ...services, ...ranges]);
    const nodeLocal = nodeLocalDns(cluster);
    for (const s of settings) {
      const ip = parseIP(s.value, { sloppy: true });
      if (!ip) continue;
      // NodeLocal DNSCache: the kubelet points pods at the node-local cache's link-local address on purpose.
      if (isLinkLocal(s.value) && nodeLocal) continue;
      const family = ipFamily(ip);
      const field = s.field ? { field: s.field } : {};
      const svcIPs = services.filter((v) => scopes.together(s, v));
      const svcFamily = svcIPs.filter((v) => ipFamily(v.ip) === family);
      const inRanges = ranges.filter((r) => scopes.together(s, r) && ofFamily(r, family).length > 0);
      const outside = inRanges.filter((r) => !ofFamily(r, family).some((c) => cidrContains(c, ip)));
      const outsideText = outside.length
        ? ` and lies outside the service CIDR ${cidrText({ cidrs: ofFamily(outside[0]!, family) })} (${describeSource(outside[0]!, where)})`
        : "";
      const linkLocalNote = isLinkLocal(s.value) ? ` (a NodeLocal DNSCache address, but no node-local-dns DaemonSet or ConfigMap is in the input)` : "";
      const related = [
        ...svcFamily.filter((v) => v.loc).map((v) => ({ loc: v.loc!, message: `Service ${v.service.name} clusterIP ${v.value}` })),
        ...outside.filter((r) => r.loc).map((r) => ({ loc: r.loc!, message: `${r.origin}: ${cidrText(r)}` })),
      ];
      // The reference: the kube-dns Service's addresses, else the config file's facts.clusterDNS.
      const factsFamily = factsDNS.flatMap((f) => {
        const p = parseIP(f.value, { sloppy: true });
        return p && ipFamily(p) === family ? [{ value: f.value, ip: p }] : [];
      });
      // The reference's own address is right for the pods, whatever a range source says.
      if (svcFamily.some((v) => ipEqual(v.ip, ip)) || (!svcIPs.length && factsFamily.some((f) => ipEqual(f.ip, ip)))) continue;
      if (svcIPs.length) {
        const expected = svcFamily[0];
        const svc = svcIPs[0]!;
        report({
          loc: s.loc,
          ...field,
          message: expected
            ? `clusterDNS ${s.value}${linkLocalNote} is not the kube-dns Service's clusterIP ${expected.value} (${where(expected.loc ?? expected.service.loc)})${outsideText}: pods get a nameserver that no Service answers on, so every cluster lookup times out; set it to ${expected.value}`
            : `clusterDNS ${s.value}${linkLocalNote} is an IPv${family} address, but the kube-dns Service ${svc.service.name} (${where(svc.loc ?? svc.service.loc)}) has no IPv${family} clusterIP${outsideText}: pods get a nameserver that nothing answers on`,
          related,
        });
        continue;
      }
      if (factsFamily.length) {
        report({
          loc: s.loc,
          ...field,
          message: `clusterDNS ${s.value}${linkLocalNote} differs from the cluster DNS address ${factsFamily[0]!.value} that facts.clusterDNS in the config file states${outsideText}: pods get a nameserver that no Service answers on`,
          related,
        });
        continue;
      }
      if (!outside.length) continue;
      report({
        loc: s.loc,
        ...field,
        message: `clusterDNS ${s.value}${linkLocalNote}${outsideText.replace(/^ and/, "")}: no Service can have that address, so pods get a nameserver nobody answers on and every cluster lookup times out; use an address inside the service CIDR (kubeadm uses its 10th address)`,
        related,
      });
    }
  },
});
