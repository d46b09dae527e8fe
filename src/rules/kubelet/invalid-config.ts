import { defineRule } from "../../engine/rule.js";
import { fieldLoc, kubeletProblems } from "./lib/problems.js";

export default defineRule({
  meta: { id: "kubelet/invalid-config", severity: "error", summary: "A KubeletConfiguration value the kubelet rejects, cannot decode, or silently drops" },
  check({ cluster, report }) {
    for (const p of kubeletProblems(cluster)) {
      const { problem, cfg } = p;
      if (problem.kind === "unknown-field") continue;
      let loc = fieldLoc(p);
      // An unknown feature gate: point at the gate's own key.
      const gate = problem.field === "featureGates" ? /^unrecognized feature gate: (\S+)/.exec(problem.message)?.[1] : undefined;
      if (gate) loc = cfg.rangeAt(["featureGates", gate], "key") ?? loc;
      const consequence = problem.kind === "wrong-type" ? ": the kubelet cannot decode its config file and does not start (the node goes NotReady)" : "";
      report({ loc, field: problem.field || undefined, message: `${problem.message}${consequence}` });
    }
  },
});
