import { defineRule } from "../../engine/rule.js";
import { where } from "../lib/locations.js";
import { isLoopbackAddress } from "../../parsers/net.js";
import { loopbackPodResolvConfs, nameserverLoc } from "../lib/resolv.js";


const FIX = "point the kubelet's resolvConf at the file with the real upstream servers (/run/systemd/resolve/resolv.conf on systemd-resolved hosts)";

export default defineRule({
  meta: { id: "kubelet/resolv-conf-loopback", severity: "error", summary: "The kubelet's resolvConf names a loopback nameserver (systemd-resolved's 127.0.0.53): Default-policy pods and CoreDNS loop" },
  check({ cluster, report }) {
    for (const { node: nodeName, via: choice, resolv, loopbacks: loops } of loopbackPodResolvConfs(cluster)) {
      const first = loops[0]!;
      const firstLoc = nameserverLoc(resolv, first);
      const what = `${nodeName}'s ${choice.path} (${where(firstLoc)}) names the loopback nameserver ${first.address}`;
      const effect = `pods with dnsPolicy Default and CoreDNS's \`forward . /etc/resolv.conf\` get it, and inside a pod ${first.address} is the pod itself: lookups fail and CoreDNS detects a loop (CrashLoopBackOff); ${FIX}`;
      const related = loops.map((n) => ({ loc: nameserverLoc(resolv, n), message: `nameserver ${n.address}` }));
      if (choice.source === "flag" || (choice.source === "config" && choice.loc)) {
        report({ loc: choice.loc!, ...(choice.source === "config" ? { field: "resolvConf" } : {}), message: `${choice.source === "flag" ? "--resolv-conf" : "resolvConf"} ${choice.path}: ${what}: ${effect}`, related });
      } else if (choice.config) {
        const cfg = choice.config;
        report({ loc: cfg.rangeAt(["kind"]) ?? cfg.object.loc, field: "resolvConf", message: `resolvConf is not set, so the kubelet uses ${choice.path}: ${what}: ${effect}`, related });
      } else {
        report({ loc: firstLoc, message: `nameserver ${first.address} is loopback, and ${nodeName}'s kubelet hands ${choice.path} (its default resolvConf) to pods: ${effect}` });
      }
    }
    // A resolv.conf given on its own: read as a node's /etc/resolv.conf, the kubelet's default. When every
    // node-less kubelet setting in the input names another file, the kubelet does not hand this one out.
    const settings = [
      ...cluster.kubeletConfigs.filter((c) => !c.node).map((c) => (typeof c.value.resolvConf === "string" ? c.value.resolvConf : "/etc/resolv.conf")),
      ...cluster.flagSources.filter((s) => s.component === "kubelet" && !s.node).flatMap((s) => s.flags.filter((f) => f.name === "resolv-conf" && f.value !== null).map((f) => f.value!)),
    ];
    const handedOut = settings.length === 0 || settings.includes("/etc/resolv.conf");
    for (const resolv of cluster.resolvConfs) {
      if (resolv.node !== null || !handedOut) continue;
      const ns = resolv.conf.nameservers;
      if (ns.length === 0 || !ns.every((n) => isLoopbackAddress(n.address))) continue;
      const first = ns[0]!;
      report({
        loc: nameserverLoc(resolv, first),
        message: `nameserver ${first.address} is a loopback address (systemd-resolved's stub when it is 127.0.0.53): as a node's /etc/resolv.conf, the kubelet's default resolvConf, it reaches pods with dnsPolicy Default and CoreDNS's \`forward . /etc/resolv.conf\`, where ${first.address} is the pod itself: lookups fail and CoreDNS detects a loop (CrashLoopBackOff); ${FIX}`,
      });
    }
  },
});
