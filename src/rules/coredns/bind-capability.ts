import { defineRule } from "../../engine/rule.js";
import type { Loc } from "../../model/types.js";
import { where } from "../lib/locations.js";
import { asArray, asRecord, corednsWorkloads, corefileDnsPorts, dnsContainerPorts, effectiveSecurity, parsedCorefile, tokenLoc } from "./lib/workload.js";

const isCap = (v: unknown, cap: string) => typeof v === "string" && (v.toUpperCase() === cap || v.toUpperCase() === `CAP_${cap}`);

export default defineRule({
  meta: { id: "coredns/bind-capability", severity: "error", summary: "Non-root CoreDNS drops NET_BIND_SERVICE and listens on 53: bind: permission denied" },
  check({ cluster, report }) {
    for (const w of corednsWorkloads(cluster)) {
      const user = effectiveSecurity(w, "runAsUser");
      const nonRoot = effectiveSecurity(w, "runAsNonRoot");
      const runsNonRoot = typeof user.value === "number" ? user.value !== 0 : nonRoot.value === true;
      if (!runsNonRoot) continue;
      const capsPath = [...w.container.path, "securityContext", "capabilities"];
      const caps = asRecord(asRecord(w.container.value.securityContext)?.capabilities);
      const drop = asArray(caps?.drop);
      const add = asArray(caps?.add);
      const dropIndex = drop.findIndex((c) => isCap(c, "ALL") || isCap(c, "NET_BIND_SERVICE"));
      if (dropIndex === -1 || add.some((c) => isCap(c, "NET_BIND_SERVICE") || isCap(c, "ALL"))) continue;
      // Where CoreDNS listens: its Corefile when known, else the declared DNS ports, else 53.
      const cf = parsedCorefile(w);
      let low: { port: number; loc: Loc | null; what: string } | null = null;
      if (cf) {
        const ports = [...corefileDnsPorts(cf).entries()].filter(([p]) => p < 1024).sort((a, b) => a[0] - b[0]);
        if (ports[0]) low = { port: ports[0][0], loc: tokenLoc(cf, ports[0][1].key), what: `server block ${ports[0][1].block.keys.join(" ")}` };
      } else {
        const declared = dnsContainerPorts(w).filter((p) => p.port < 1024);
        if (declared[0]) low = { port: declared[0].port, loc: w.object.locate([...declared[0].path, "containerPort"]), what: `containerPort ${declared[0].port}` };
        else if (dnsContainerPorts(w).length === 0) low = { port: 53, loc: null, what: "CoreDNS's default port" };
      }
      if (!low) continue;
      const userWhy = typeof user.value === "number" ? `runAsUser ${user.value}` : "runAsNonRoot: true";
      const userLoc = typeof user.value === "number" ? user.loc : nonRoot.loc;
      const related = [
        ...(userLoc ? [{ loc: userLoc, message: `${userWhy}: CoreDNS runs as a non-root user` }] : []),
        ...(low.loc ? [{ loc: low.loc, message: `${low.what}: port ${low.port}` }] : []),
      ];
      report({
        loc: w.object.locate([...capsPath, "drop", dropIndex]),
        message: `container ${w.container.name} runs as non-root (${userWhy}${userLoc ? `, ${where(userLoc)}` : ""}) and drops ${String(drop[dropIndex])} without adding NET_BIND_SERVICE, but CoreDNS listens on port ${low.port} (${low.what}${low.loc ? `, ${where(low.loc)}` : ""}): it exits with "listen tcp :${low.port}: bind: permission denied" (CrashLoopBackOff). Add NET_BIND_SERVICE to capabilities.add, as kubeadm does`,
        related,
      });
    }
  },
});
