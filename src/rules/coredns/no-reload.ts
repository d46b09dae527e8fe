import { defineRule } from "../../engine/rule.js";
import { tokLoc } from "./lib/corefile.js";

export default defineRule({
  meta: { id: "coredns/no-reload", severity: "info", advisory: true, summary: "No reload plugin: Corefile (ConfigMap) edits take effect only after a restart" },
  check({ cluster, report }) {
    for (const cf of cluster.corefiles) {
      const blocks = cf.parse.serverBlocks;
      if (cf.parse.error || blocks.length === 0 || blocks.some((b) => b.directives.some((d) => d.name === "reload"))) continue;
      const key = blocks[0]!.keyTokens[0];
      if (!key) continue;
      const what = cf.configMap ? `ConfigMap ${cf.configMap.name}` : cf.file.path;
      report({
        loc: tokLoc(cf, key),
        message: `no server block of this Corefile (${what}) has \`reload\`: edits take effect only when the CoreDNS pods restart (kubectl -n kube-system rollout restart deployment coredns). Add \`reload\` to a server block to pick them up within about two minutes`,
      });
    }
  },
});
