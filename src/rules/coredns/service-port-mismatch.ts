import { defineRule } from "../../engine/rule.js";
import type { K8sObject } from "../../model/types.js";
import { where } from "../lib/locations.js";
import {
  containerPorts, corednsWorkloads, isKubeDnsService, parsedCorefile, podPorts, servicePorts, servicesSelecting,
  type CorednsWorkload, type ServicePort,
} from "./lib/workload.js";

const isDnsPort = (sp: ServicePort) => sp.port === 53 || /dns/i.test(sp.name);

/** Services in front of CoreDNS that serve DNS (a metrics-only Service is not one). */
function dnsServices(cluster: Parameters<typeof servicesSelecting>[0], w: CorednsWorkload): K8sObject[] {
  return servicesSelecting(cluster, w).filter((s) => isKubeDnsService(s) || servicePorts(s).some(isDnsPort));
}

export default defineRule({
  meta: { id: "coredns/service-port-mismatch", severity: "error", summary: "The kube-dns Service lacks 53/UDP or 53/TCP, or a targetPort matches no CoreDNS container port" },
  check({ cluster, report }) {
    const seen = new Set<K8sObject>();
    for (const w of corednsWorkloads(cluster)) {
      const pod = podPorts(w);
      const own = containerPorts(w.container);
      for (const svc of dnsServices(cluster, w)) {
        if (seen.has(svc)) continue;
        seen.add(svc);
        const ports = servicePorts(svc);
        const has = (protocol: string) => ports.some((p) => p.port === 53 && p.protocol === protocol);
        const missing = ["UDP", "TCP"].filter((p) => !has(p));
        if (missing.length) {
          const other = ports.find((p) => p.port === 53);
          const loc = other ? svc.rangeAt([...other.path, "protocol"]) ?? svc.locate([...other.path, "port"]) : svc.locate(["spec", "ports"], "key");
          const present = ports.map((p) => `${p.port}/${p.protocol}`).join(", ") || "none";
          const defaulted = other && !svc.rangeAt([...other.path, "protocol"]) ? "; a port without protocol is TCP" : "";
          const effect = missing.length === 2
            ? "pods send their queries to port 53 of the cluster DNS IP, where nothing answers: every lookup times out"
            : missing[0] === "UDP"
              ? "resolvers query over UDP first, so every lookup times out"
              : "answers larger than 512 bytes are truncated and the TCP retry fails";
          report({
            loc,
            message: `Service ${svc.name} in front of ${w.object.kind} ${w.object.name} has no port 53/${missing.join(" or 53/")} (its ports: ${present}${defaulted}): ${effect}. Declare both 53/UDP and 53/TCP`,
          });
        }
        for (const sp of ports) {
          if (sp.targetPort === undefined && !isDnsPort(sp)) continue;
          const tpLoc = svc.rangeAt([...sp.path, "targetPort"]) ?? svc.locate([...sp.path, "port"]);
          if (typeof sp.targetPort === "string") {
            if (pod.some((p) => p.name === sp.targetPort && p.protocol === sp.protocol)) continue;
            const sameName = pod.find((p) => p.name === sp.targetPort);
            const names = pod.filter((p) => p.name).map((p) => `${p.name} (${p.port}/${p.protocol})`).join(", ") || "none";
            const hint = sameName
              ? `; ${sameName.name} is a ${sameName.protocol} port, and a named targetPort matches name and protocol`
              : "";
            report({
              loc: tpLoc,
              message: `Service ${svc.name} port ${sp.name || sp.port}/${sp.protocol} targets the port named ${sp.targetPort}, which no container of ${w.object.kind} ${w.object.name} declares for ${sp.protocol} (named ports: ${names})${hint}: the Service gets no endpoints for this port`,
              related: [{ loc: w.object.locate([...w.container.path, "ports"], "key"), message: `ports of container ${w.container.name}` }],
            });
            continue;
          }
          // A numeric target is judged against the Corefile by port-mismatch when there is one; else against the declared ports.
          if (!isDnsPort(sp) || parsedCorefile(w) || own.length === 0) continue;
          const target = sp.targetPort ?? sp.port;
          if (own.some((p) => p.port === target && p.protocol === sp.protocol)) continue;
          const dnsPorts = own.filter((p) => p.protocol === sp.protocol).map((p) => `${p.port}${p.name ? ` (${p.name})` : ""}`).join(", ") || "none";
          report({
            loc: tpLoc,
            message: `Service ${svc.name} port ${sp.name || sp.port}/${sp.protocol} sends DNS to ${sp.targetPort === undefined ? `port ${target} (no targetPort: the port itself)` : `targetPort ${target}`}, but container ${w.container.name} of ${w.object.kind} ${w.object.name} declares no ${sp.protocol} port ${target} (its ${sp.protocol} ports: ${dnsPorts}; ${where(w.object.locate([...w.container.path, "ports"], "key"))})`,
          });
        }
      }
    }
  },
});
