import { defineRule } from "../../engine/rule.js";
import type { Loc } from "../../model/types.js";
import { where } from "../lib/locations.js";
import {
  corefileDnsPorts, corednsWorkloads, dnsContainerPorts, isKubeDnsService, parsedCorefile, podPorts, resolveTargetPort,
  servicePorts, servicesSelecting, targetLoc, tokenLoc,
} from "./lib/workload.js";

/** A place outside the Corefile that says which port CoreDNS serves DNS on. */
interface Claim {
  port: number;
  loc: Loc;
  what: string;
}

export default defineRule({
  meta: { id: "coredns/port-mismatch", severity: "error", summary: "The Corefile's server block port differs from the DNS containerPort or the Service targetPort" },
  check({ cluster, report }) {
    for (const w of corednsWorkloads(cluster)) {
      const cf = parsedCorefile(w);
      if (!cf) continue;
      const listening = corefileDnsPorts(cf);
      if (listening.size === 0) continue;
      const claims: Claim[] = [];
      const declared = dnsContainerPorts(w);
      for (const p of declared) {
        claims.push({ port: p.port, loc: w.object.locate([...p.path, "containerPort"]), what: `containerPort ${p.name ? `${p.name} ` : ""}(${p.port}/${p.protocol}) of ${w.object.kind} ${w.object.name}` });
      }
      const pod = podPorts(w);
      for (const svc of servicesSelecting(cluster, w)) {
        const ports = servicePorts(svc).filter((sp) => sp.port === 53 || /dns/i.test(sp.name));
        if (!isKubeDnsService(svc) && ports.length === 0) continue;
        for (const sp of ports) {
          const target = resolveTargetPort(sp, pod);
          // An unresolved name is service-port-mismatch's; a name that resolves to a declared DNS port is that port's claim.
          if (!target || (target.via && declared.some((d) => d.path.join(".") === target.via!.path.join(".")))) continue;
          claims.push({ port: target.port, loc: targetLoc(svc, sp), what: `Service ${svc.name} port ${sp.name ? `${sp.name} ` : ""}(${sp.port}/${sp.protocol}) targeting ${target.port}` });
        }
      }
      const bad = claims.filter((c) => !listening.has(c.port));
      if (bad.length === 0) continue;
      const ports = [...listening.entries()].map(([port, l]) => `${port} (server block ${l.block.keys.join(" ")}, ${where(tokenLoc(cf, l.key))})`);
      if (bad.length === claims.length) {
        // Everything around CoreDNS agrees and the Corefile does not: the Corefile is the odd one out.
        const first = [...listening.values()][0]!;
        report({
          loc: tokenLoc(cf, first.key),
          message: `CoreDNS serves DNS on port ${[...listening.keys()].join(", ")} (server block ${first.block.keys.join(" ")}), but everything in front of it uses ${[...new Set(bad.map((c) => c.port))].join(", ")}: ${bad.map((c) => `${c.what} (${where(c.loc)})`).join(", ")}: queries reach a port where CoreDNS does not listen and every lookup times out`,
          related: bad.map((c) => ({ loc: c.loc, message: c.what })),
        });
        continue;
      }
      for (const c of bad) {
        report({
          loc: c.loc,
          message: `${c.what}: CoreDNS does not serve DNS on ${c.port}, its Corefile (${cf.configMap ? `ConfigMap ${cf.configMap.name}` : cf.file.path}) listens on ${ports.join(", ")}: traffic to ${c.port} gets no answer`,
          related: [...listening.values()].map((l) => ({ loc: tokenLoc(cf, l.key), message: `server block ${l.block.keys.join(" ")}` })),
        });
      }
    }
  },
});
