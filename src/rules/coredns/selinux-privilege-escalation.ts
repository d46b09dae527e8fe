import { defineRule } from "../../engine/rule.js";
import { getPath } from "../../model/workloads.js";
import { where } from "../lib/locations.js";
import { asRecord, corednsWorkloads } from "./lib/workload.js";

/** Docker before 1.13 (`docker://1.12.6`); Docker's year-based versions (17.03 and later) are newer. */
function oldDocker(runtime: unknown): string | null {
  if (typeof runtime !== "string") return null;
  const m = /^docker:\/\/v?([0-9]+)\.([0-9]+)/.exec(runtime);
  if (!m) return null;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  return major === 0 || (major === 1 && minor < 13) ? runtime.slice("docker://".length) : null;
}

export default defineRule({
  meta: { id: "coredns/selinux-privilege-escalation", severity: "warning", summary: "allowPrivilegeEscalation: false on nodes with Docker older than 1.13 (SELinux): CoreDNS crash-loops" },
  check({ cluster, report }) {
    const nodes = [...cluster.nodes.values()]
      .filter((n) => n.object)
      .map((n) => ({ name: n.name, object: n.object!, docker: oldDocker(getPath(n.object!.value, ["status", "nodeInfo", "containerRuntimeVersion"])) }))
      .filter((n): n is typeof n & { docker: string } => n.docker !== null)
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    if (nodes.length === 0) return;
    for (const w of corednsWorkloads(cluster)) {
      const sc = asRecord(w.container.value.securityContext);
      if (sc?.allowPrivilegeEscalation !== false) continue;
      const first = nodes[0]!;
      const loc = first.object.locate(["status", "nodeInfo", "containerRuntimeVersion"]);
      const os = getPath(first.object.value, ["status", "nodeInfo", "osImage"]);
      const more = nodes.length > 1 ? ` (and ${nodes.length - 1} other node${nodes.length > 2 ? "s" : ""}: ${nodes.slice(1).map((n) => n.name).join(", ")})` : "";
      report({
        loc: w.object.locate([...w.container.path, "securityContext", "allowPrivilegeEscalation"]),
        message: `container ${w.container.name} sets allowPrivilegeEscalation: false, but node ${first.name} runs Docker ${first.docker}${typeof os === "string" ? ` on ${os}` : ""} (${where(loc)})${more}: with SELinux enabled, Docker before 1.13 cannot start a container with no_new_privs and CoreDNS crash-loops there. Upgrade Docker, or set allowPrivilegeEscalation: true`,
        related: nodes.map((n) => ({ loc: n.object.locate(["status", "nodeInfo", "containerRuntimeVersion"]), message: `node ${n.name}: Docker ${n.docker}` })),
      });
    }
  },
});
