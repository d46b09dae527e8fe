import { defineRule } from "../../engine/rule.js";
import { where } from "../lib/locations.js";
import { isDomainLike, kubernetesZones, normDomain } from "../cluster/lib/dns.js";
import { Scopes } from "../cluster/lib/scope.js";
import { kubeletClusterDomain } from "./lib/settings.js";
import { domainVote } from "./lib/domain-vote.js";

export default defineRule({
  meta: { id: "kubelet/cluster-domain-mismatch", severity: "error", summary: "The kubelet's clusterDomain differs from CoreDNS's kubernetes zone or kubeadm's dnsDomain" },
  check({ cluster, report }) {
    const settings = kubeletClusterDomain(cluster)
      .filter((s) => isDomainLike(s.value))
      .map((s) => ({ ...s, kind: "kubelet", file: s.loc.file.path }));
    if (settings.length === 0) return;
    const zones = kubernetesZones(cluster).filter((z) => isDomainLike(z.zone) && z.zone !== ".");
    const kubeadm = cluster.kubeadmConfigs.flatMap((cfg) => {
      const d = (cfg.value.networking as Record<string, unknown> | undefined)?.dnsDomain;
      const loc = cfg.rangeAt(["networking", "dnsDomain"]);
      return typeof d === "string" && d !== "" && loc && isDomainLike(d) ? [{ kind: "kubeadm", file: loc.file.path, value: d, loc }] : [];
    });
    const scopes = new Scopes([...settings, ...zones, ...kubeadm]);
    const votes = new Map<string, ReturnType<typeof domainVote>>();
    const reported = new Set<string>();
    for (const s of settings) {
      const domain = normDomain(s.value);
      const field = s.field ? { field: s.field } : {};
      const myZones = zones.filter((z) => scopes.together(s, z));
      // One CoreDNS Corefile may list several zones for the kubernetes plugin: the domain must be one of them.
      const byCorefile = new Map<string, typeof myZones>();
      for (const z of myZones) {
        const key = `${z.corefile.file.path}\u0000${z.corefile.key ?? ""}`;
        byCorefile.set(key, [...(byCorefile.get(key) ?? []), z]);
      }
      // The odd one out is blamed (cluster/lib/odd-one-out.ts): when the kubelet agrees with the others, the Corefile or kubeadm that does not is reported.
      // One vote per peer set (a snapshot's nodes share one).
      const pk = scopes.peerKey(s);
      if (!votes.has(pk)) votes.set(pk, domainVote(settings.filter((t) => scopes.together(s, t)), [...byCorefile.values()], kubeadm.filter((k) => scopes.together(s, k))));
      const vote = votes.get(pk);
      if (vote && vote.agreeing.has(s)) {
        if (!reported.has(pk)) for (const r of vote.reports) report(r);
        reported.add(pk);
        continue;
      }
      const corefileMiss = [...byCorefile.values()].find((list) => !list.some((z) => normDomain(z.zone) === domain));
      const kubeadmMiss = kubeadm.find((k) => scopes.together(s, k) && normDomain(k.value) !== domain);
      if (corefileMiss) {
        const z = corefileMiss[0]!;
        report({
          loc: s.loc,
          ...field,
          message: `clusterDomain ${s.value} is not a zone of CoreDNS's kubernetes plugin (${corefileMiss.map((x) => x.zone).join(" ")} at ${where(z.loc)}): pods search ${s.value} and get NXDOMAIN for every Service name (kubernetes.default.svc.${s.value}); make the kubelet's clusterDomain and the kubernetes plugin's zone the same`,
          related: [{ loc: z.loc, message: `kubernetes ${corefileMiss.map((x) => x.zone).join(" ")}` }, ...(kubeadmMiss ? [{ loc: kubeadmMiss.loc, message: `kubeadm networking.dnsDomain ${kubeadmMiss.value}` }] : [])],
        });
      } else if (kubeadmMiss) {
        report({
          loc: s.loc,
          ...field,
          message: `clusterDomain ${s.value} differs from kubeadm's networking.dnsDomain ${kubeadmMiss.value} (${where(kubeadmMiss.loc)}), from which kubeadm configures CoreDNS's kubernetes zone: pods search ${s.value} and get NXDOMAIN for Service names; use ${kubeadmMiss.value}`,
          related: [{ loc: kubeadmMiss.loc, message: `kubeadm networking.dnsDomain ${kubeadmMiss.value}` }],
        });
      }
    }
  },
});
