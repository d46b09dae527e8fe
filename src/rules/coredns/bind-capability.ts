import { defineRule } from "../../engine/rule.js";
import type { Loc } from "../../model/types.js";
import { where } from "../lib/locations.js";
import { bindBlockedOn } from "../lib/runtime.js";
import { parseVersion } from "./lib/versions.js";
import { asArray, asRecord, corednsWorkloads, corefileDnsPorts, dnsContainerPorts, effectiveSecurity, imageVersion, parsedCorefile, tokenLoc, versionBefore } from "./lib/workload.js";

const isCap = (v: unknown, cap: string) => typeof v === "string" && (v.toUpperCase() === cap || v.toUpperCase() === `CAP_${cap}`);

/** The pod's net.ipv4.ip_unprivileged_port_start sysctl, if set. */
function podSysctl(spec: Record<string, unknown>, locate: (p: (string | number)[]) => Loc | null, specPath: (string | number)[]): { value: number; loc: Loc | null } | null {
  const list = asArray(asRecord(spec.securityContext)?.sysctls);
  const i = list.findIndex((s) => asRecord(s)?.name === "net.ipv4.ip_unprivileged_port_start");
  if (i === -1) return null;
  const value = Number(asRecord(list[i])?.value);
  return Number.isInteger(value) ? { value, loc: locate([...specPath, "securityContext", "sysctls", i, "value"]) } : null;
}

export default defineRule({
  meta: { id: "coredns/bind-capability", severity: "error", summary: "CoreDNS drops NET_BIND_SERVICE: its image's file capability makes exec fail (1.11.0+), or it cannot bind port 53" },
  check({ cluster, report }) {
    for (const w of corednsWorkloads(cluster)) {
      const capsPath = [...w.container.path, "securityContext", "capabilities"];
      const caps = asRecord(asRecord(w.container.value.securityContext)?.capabilities);
      const drop = asArray(caps?.drop);
      const add = asArray(caps?.add);
      const dropIndex = drop.findIndex((c) => isCap(c, "ALL") || isCap(c, "NET_BIND_SERVICE"));
      if (dropIndex === -1 || add.some((c) => isCap(c, "NET_BIND_SERVICE") || isCap(c, "ALL"))) continue;
      const dropLoc = w.object.locate([...capsPath, "drop", dropIndex]);
      const user = effectiveSecurity(w, "runAsUser");
      const nonRoot = effectiveSecurity(w, "runAsNonRoot");
      // The CoreDNS release: the image tag, else facts.corednsVersion.
      const fact = cluster.configFacts.corednsVersion;
      const version = imageVersion(w.container.image) ?? (typeof fact === "string" || typeof fact === "number" ? parseVersion(String(fact)) : null);
      const fromImage = version && !versionBefore(version, [1, 11, 0]);
      const userWhy = typeof user.value === "number" ? `runAsUser ${user.value}` : nonRoot.value === true ? "runAsNonRoot: true" : fromImage ? "nonroot (the image's user since CoreDNS 1.11.0)" : "root (the image's user)";
      const userLoc = typeof user.value === "number" ? user.loc : nonRoot.value === true ? nonRoot.loc : null;
      const userText = `${userWhy}${userLoc ? `, ${where(userLoc)}` : ""}`;
      const related = userLoc ? [{ loc: userLoc, message: userWhy }] : [];
      if (fromImage) {
        // Dockerfile since v1.11.0: `setcap cap_net_bind_service=+ep /coredns`. A file capability with the
        // effective bit that the bounding set cannot grant fails execve with EPERM (capabilities(7),
        // "safety checking for capability-dumb binaries"), for root too, whatever the port or runtime.
        report({
          loc: dropLoc,
          message: `container ${w.container.name} (CoreDNS ${version.join(".")}, runs as ${userText}) drops ${String(drop[dropIndex])} without adding NET_BIND_SERVICE, but since CoreDNS 1.11.0 the image's /coredns carries the file capability cap_net_bind_service=+ep, which the kernel cannot grant without NET_BIND_SERVICE in the container's bounding set: the container fails with "exec /coredns: operation not permitted" (CrashLoopBackOff), whatever the port, the user and the runtime's unprivileged-port setting. Add NET_BIND_SERVICE to capabilities.add, as kubeadm does`,
          related,
        });
        continue;
      }
      // Without a file capability the process itself needs CAP_NET_BIND_SERVICE, which the drop removes from root too.
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
      const sysctl = podSysctl(w.spec, (p) => w.object.rangeAt(p) ?? null, w.specPath);
      const { blocked } = bindBlockedOn(cluster, sysctl, w.spec.hostNetwork === true, low.port);
      if (blocked.length === 0) continue;
      const first = blocked[0]!;
      const others = blocked.length > 1 ? ` (and ${blocked.length - 1} other node${blocked.length > 2 ? "s" : ""})` : "";
      report({
        loc: dropLoc,
        message: `container ${w.container.name} runs as ${userText} and drops ${String(drop[dropIndex])} without adding NET_BIND_SERVICE, but CoreDNS listens on port ${low.port} (${low.what}${low.loc ? `, ${where(low.loc)}` : ""}) and unprivileged binds start at ${first.start} (${first.why}${others}): it exits with "listen tcp :${low.port}: bind: permission denied" (CrashLoopBackOff). Add NET_BIND_SERVICE to capabilities.add, as kubeadm does`,
        related: [...related, ...(low.loc ? [{ loc: low.loc, message: `${low.what}: port ${low.port}` }] : []), ...(first.loc ? [{ loc: first.loc, message: first.why }] : [])],
      });
    }
  },
});
