import { defineRule } from "../../engine/rule.js";
import { fieldLoc, kubeletProblems } from "./lib/problems.js";

export default defineRule({
  meta: { id: "kubelet/unknown-field", severity: "warning", summary: "A KubeletConfiguration field the kubelet does not know: ignored, the setting has no effect" },
  check({ cluster, report }) {
    for (const { cfg, problems } of kubeletProblems(cluster)) {
      for (const problem of problems) {
        if (problem.kind !== "unknown-field") continue;
        const resolver = problem.suggestion === "resolvConf"
          ? ", so the kubelet keeps the default resolvConf /etc/resolv.conf (on a systemd-resolved host the 127.0.0.53 stub, and CoreDNS then detects a loop)"
          : ", so the setting has no effect";
        report({ loc: fieldLoc(cfg, problem, "key"), field: problem.field, message: `${problem.message}${resolver}` });
      }
    }
  },
});
