import { defineRule, type RuleReport } from "../../engine/rule.js";
import type { K8sObject, Loc } from "../../model/types.js";
import { getPath, podSpecPath } from "../../model/workloads.js";
import type { CorefileServerBlock, CorefileToken } from "../../parsers/corefile/index.js";
import { directiveArgs } from "../lib/corefile.js";
import { ipEqual, isLoopbackAddress, parseIP } from "../../parsers/net.js";
import { where } from "../lib/locations.js";
import { fqdn, isSubdomain } from "./lib/corefile.js";
import { followLocal, reachesLocalHost, SYSTEMD_RESOLVED_STUB, upstreamHostPort } from "./lib/loopback.js";
import { loopbackPodResolvConfs, nameserverLoc } from "../lib/resolv.js";

/** The host of a forward/proxy TO: `dns://127.0.0.1:53`, `[::1]:53`, `127.0.0.53`, `localhost`. */
const upstreamHost = (to: string): string => upstreamHostPort(to).host;

const isFilePath = (to: string) => to.startsWith("/") || (!parseIP(upstreamHost(to), { sloppy: true }) && to.includes("/"));


function dnsPolicyOf(workload: K8sObject | null): { policy: string; explicit: boolean; loc: Loc | null; hostNetwork: boolean; nameservers: string[] } {
  // Without the Deployment, assume what kubeadm and the common distributions deploy: dnsPolicy Default.
  if (!workload) return { policy: "Default", explicit: false, loc: null, hostNetwork: false, nameservers: [] };
  const specPath = podSpecPath(workload)!;
  const spec = (getPath(workload.value, specPath) ?? {}) as Record<string, unknown>;
  const policy = typeof spec.dnsPolicy === "string" ? spec.dnsPolicy : "ClusterFirst";
  const loc = workload.rangeAt([...specPath, "dnsPolicy"]) ?? workload.locate(specPath, "key");
  const ns = getPath(spec, ["dnsConfig", "nameservers"]);
  return { policy, explicit: typeof spec.dnsPolicy === "string", loc, hostNetwork: spec.hostNetwork === true, nameservers: Array.isArray(ns) ? ns.filter((x): x is string => typeof x === "string") : [] };
}

export default defineRule({
  meta: { id: "coredns/forward-loop", severity: "error", summary: "Forwarding that comes back to CoreDNS itself: loop detected, CrashLoopBackOff" },
  check({ cluster, report }) {
    // The kube-dns Service's own IP (a kubelet's clusterDNS may be a node-local cache, not CoreDNS).
    const clusterDNS = cluster.facts.clusterDNS.filter((f) => f.loc === null || f.origin.startsWith("Service "));
    for (const cf of cluster.corefiles) {
      const tokLoc = (t: CorefileToken) => cf.locate({ offset: t.offset, endOffset: t.endOffset, ...(t.file ? { file: t.file } : {}) });
      const policy = dnsPolicyOf(cf.deployment);
      const reportedCycles = new Set<CorefileServerBlock>();
      for (const block of cf.parse.serverBlocks) {
        for (const d of block.directives) {
          if (d.name !== "forward" && d.name !== "proxy") continue;
          const args = directiveArgs(d);
          const tos = args.slice(1);
          const line = d.tokens[0]!;
          const lineLoc = tokLoc(line);
          const lastArg = args.length ? args[args.length - 1]! : line;
          const wholeLoc: Loc = { file: lineLoc.file, start: lineLoc.start, end: Math.max(lineLoc.end, tokLoc(lastArg).end) };
          const findings: RuleReport[] = [];
          for (const to of tos) {
            if (isFilePath(to.text)) {
              if (to.text !== "/etc/resolv.conf") continue;
              // On the host network a loopback nameserver is the node's own resolver (systemd-resolved), not CoreDNS.
              if (policy.hostNetwork && (policy.policy === "Default" || policy.policy === "ClusterFirst")) continue;
              if (policy.policy === "Default") {
                // The first loopback nameserver of each node: the resolver uses them in order, and one anywhere is tried and loops.
                const loops = loopbackPodResolvConfs(cluster).map((l) => ({ ...l, nameserver: l.loopbacks[0]!.address, nsLoc: nameserverLoc(l.resolv, l.loopbacks[0]!) }));
                if (loops.length === 0) continue;
                const first = loops[0]!;
                const others = loops.length > 1 ? ` (and on ${loops.length - 1} other node${loops.length > 2 ? "s" : ""}: ${loops.slice(1).map((l) => l.node).join(", ")})` : "";
                const related = loops.map((l) => ({ loc: l.nsLoc, message: `nameserver ${l.nameserver} in ${l.node}'s ${l.resolv.nodePath ?? l.resolv.file.path}` }));
                if (first.via.loc) related.push({ loc: first.via.loc, message: `the kubelet hands pods ${first.via.path} (${first.via.origin})` });
                if (policy.loc) related.push({ loc: policy.loc, message: `dnsPolicy ${policy.policy}: CoreDNS gets the node's resolv.conf` });
                findings.push({
                  loc: wholeLoc,
                  message: `${d.name} ${args[0]?.text ?? "."} /etc/resolv.conf sends queries to ${first.nameserver} (${first.node}'s ${first.resolv.nodePath ?? first.resolv.file.path}, ${where(first.nsLoc)})${others}: that loopback address is CoreDNS's own pod, so the loop plugin detects a loop and CoreDNS crash-loops (CrashLoopBackOff). Point the kubelet's resolvConf at the real upstream file (/run/systemd/resolve/resolv.conf) or forward to upstream IPs`,
                  related,
                });
              } else if (policy.policy === "ClusterFirst" || policy.policy === "ClusterFirstWithHostNet") {
                const dnsIP = clusterDNS[0];
                const related = policy.loc ? [{ loc: policy.loc, message: `dnsPolicy ${policy.policy}${policy.explicit ? "" : " (the default when dnsPolicy is not set)"}` }] : [];
                if (dnsIP?.loc) related.push({ loc: dnsIP.loc, message: `cluster DNS ${dnsIP.value} (${dnsIP.origin})` });
                findings.push({
                  loc: wholeLoc,
                  message: `${d.name} ${args[0]?.text ?? "."} /etc/resolv.conf in ${cf.deployment!.kind} ${cf.deployment!.name}, whose dnsPolicy is ${policy.policy}: its /etc/resolv.conf names the cluster DNS${dnsIP ? ` ${dnsIP.value}` : ""}, i.e. CoreDNS itself, so queries loop (loop detected, or memory grows until OOM). Set dnsPolicy: Default, as kubeadm does`,
                  related,
                });
              } else if (policy.policy === "None") {
                const bad = policy.nameservers.find((ns) => isLoopbackAddress(ns) || clusterDNS.some((f) => ipEqual(f.value, ns)));
                if (bad) findings.push({ loc: wholeLoc, message: `${d.name} ${args[0]?.text ?? "."} /etc/resolv.conf: the pod's dnsConfig nameserver ${bad} is ${isLoopbackAddress(bad) ? "a loopback address" : "the cluster DNS Service"}, so queries come back to CoreDNS and loop`, related: policy.loc ? [{ loc: policy.loc, message: "dnsPolicy None with dnsConfig" }] : [] });
              }
              continue;
            }
            const host = upstreamHost(to.text);
            if (reachesLocalHost(host)) {
              // On the host network 127.0.0.53 is the node's systemd-resolved, not CoreDNS.
              if (policy.hostNetwork && host === SYSTEMD_RESOLVED_STUB) continue;
              const { port } = upstreamHostPort(to.text);
              // The names this forward sends: its FROM zone, within the block's own zone.
              const from = fqdn(args[0]?.text ?? ".");
              const own = block.zones[0]?.zone ?? ".";
              const zone = isSubdomain(from, own) ? from : own;
              const target = followLocal(cf.parse.serverBlocks, block, zone, host, port, policy.hostNetwork);
              // Another server block of this Corefile takes the query and answers it or sends it on: no loop.
              if (target.kind === "elsewhere") continue;
              // A cycle through several blocks is one problem: reported at its first forward.
              if (target.kind === "loop") {
                const cycle = target.path.slice(target.path.indexOf(target.path[target.path.length - 1]!), -1);
                if (cycle.some((b) => reportedCycles.has(b))) continue;
                for (const b of cycle) reportedCycles.add(b);
              }
              const what = isLoopbackAddress(host) ? "a loopback address" : `${host}, which reaches the local host`;
              const back = policy.hostNetwork ? "the node, where CoreDNS itself listens (hostNetwork)" : "CoreDNS's own pod";
              if (target.kind === "loop" && target.path.length > 2) {
                const chain = target.path.slice(1, -1).map((b) => `server block ${b.keys.join(" ")} (${where(tokLoc(b.keyTokens[0]!))})`).join(", then ");
                findings.push({ loc: tokLoc(to), message: `${d.name} to ${to.text} sends queries to ${chain}, which forwards them back to this server block: the loop plugin detects the loop and CoreDNS crash-loops (CrashLoopBackOff). Forward to an upstream resolver's IP instead`, related: target.path.slice(1, -1).map((b) => ({ loc: tokLoc(b.keyTokens[0]!), message: `server block ${b.keys.join(" ")} forwards to the local host again` })) });
              } else {
                findings.push({ loc: tokLoc(to), message: `${d.name} to ${to.text} sends queries to ${what}, i.e. back to ${back}: the loop plugin detects the loop and CoreDNS crash-loops (CrashLoopBackOff). Forward to an upstream resolver's IP instead` });
              }
              continue;
            }
            const svc = clusterDNS.find((f) => ipEqual(f.value, host));
            if (svc) {
              findings.push({
                loc: tokLoc(to),
                message: `${d.name} to ${to.text} sends queries to the cluster DNS Service (${svc.origin}${svc.loc ? `, ${where(svc.loc)}` : ""}), i.e. back to CoreDNS: queries loop until they time out and memory grows until OOM`,
                related: svc.loc ? [{ loc: svc.loc, message: `cluster DNS ${svc.value}` }] : [],
              });
            }
          }
          for (const f of findings) report(f);
        }
      }
    }
  },
});
