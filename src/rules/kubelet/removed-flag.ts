import { defineRule } from "../../engine/rule.js";
import { atLeast, flagLoc, kubeletVersionFor } from "./lib/settings.js";
import { REMOVED_KUBELET_FLAGS } from "./lib/removed-flags.js";

export default defineRule({
  meta: { id: "kubelet/removed-flag", severity: "error", summary: "A kubelet flag removed in the kubelet's version (--network-plugin in 1.24): the kubelet does not start" },
  check({ cluster, report }) {
    for (const src of cluster.flagSources) {
      if (src.component !== "kubelet") continue;
      const version = kubeletVersionFor(cluster, src.node);
      for (const flag of src.flags) {
        const removed = REMOVED_KUBELET_FLAGS[flag.name];
        if (!removed || flag.start < 0) continue;
        if (version && !atLeast(version.version, removed.removedIn)) continue;
        const kubelet = version ? `kubelet ${version.version.join(".")} (${version.origin})` : `a current kubelet (no kubelet version known: set facts.kubernetesVersion if it is older than ${removed.removedIn.join(".")})`;
        report({
          loc: flagLoc(src, flag).loc,
          message: `--${flag.name} was ${removed.why}: ${kubelet} exits at start with "unknown flag: --${flag.name}" and the node goes NotReady; ${removed.instead}`,
        });
      }
    }
  },
});
