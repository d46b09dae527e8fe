import { defineRule } from "../../engine/rule.js";
import { fieldLoc, kubeletProblems } from "./lib/problems.js";

export default defineRule({
  meta: { id: "kubelet/invalid-config", severity: "error", summary: "A KubeletConfiguration value the kubelet rejects, cannot decode, or silently drops" },
  check({ cluster, report }) {
    const problems = kubeletProblems(cluster).flatMap(({ cfg, problems }) => problems.filter((problem) => problem.kind !== "unknown-field").map((problem) => ({ cfg, problem })));
    // The configurations with a bad clusterDNS entry, and those with no usable address left.
    const badEntry = new Set(problems.filter((q) => q.problem.field.startsWith("clusterDNS[")).map((q) => q.cfg));
    const noneUsable = new Set(problems.filter((q) => q.problem.field === "clusterDNS").map((q) => q.cfg));
    for (const p of problems) {
      const { problem, cfg } = p;
      // "No usable clusterDNS address" has one cause, the bad entries: it is said with them, not apart.
      if (problem.field === "clusterDNS" && badEntry.has(cfg)) continue;
      const noneLeft = problem.field.startsWith("clusterDNS[") && noneUsable.has(cfg);
      let loc = fieldLoc(cfg, problem);
      // An unknown feature gate: point at the gate's own key.
      const gate = problem.field === "featureGates" ? /^unrecognized feature gate: (\S+)/.exec(problem.message)?.[1] : undefined;
      if (gate) loc = cfg.rangeAt(["featureGates", gate], "key") ?? loc;
      const consequence =
        problem.kind === "wrong-type"
          ? ": the kubelet cannot decode its config file and does not start (the node goes NotReady)"
          : noneLeft
            ? "; no usable clusterDNS address is left, so pods with dnsPolicy ClusterFirst fall back to the node's resolv.conf (MissingClusterDNS event) and cannot resolve Service names"
            : "";
      report({ loc, ...(problem.field ? { field: problem.field } : {}), message: `${problem.message}${consequence}` });
    }
  },
});
