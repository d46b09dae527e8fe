import { defineRule } from "../../engine/rule.js";
import { cniFileLoc, deployedCnis, vendorOfPluginTypes } from "../lib/cni.js";

/** The first point where two names differ, to show why one sorts first. */
function byteOrderReason(a: string, b: string): string {
  const stem = (s: string) => s.replace(/\.(conflist|conf|json)$/, "");
  if (stem(a) === stem(b)) return `same name: ${a.slice(stem(a).length)} sorts before ${b.slice(stem(b).length)}`;
  return `${JSON.stringify(stem(a))} < ${JSON.stringify(stem(b))} in byte order`;
}

export default defineRule({
  meta: { id: "cni/conf-shadowed", severity: "warning", summary: "A loadable CNI config that the runtime never uses because another sorts first" },
  check({ cluster, report }) {
    const deployed = deployedCnis(cluster).map((d) => d.vendor).filter((v) => v !== "multus");
    for (const dir of cluster.cniConfDirs) {
      const { load } = dir;
      if (!load.ready || !load.chosen) continue;
      // containerd attaches the first max_conf_num networks; CRI-O loads every valid config but attaches
      // only the default network, the first one that loads (cri-o/ocicni: ocicni.go loadNetworks).
      const used = new Set(dir.runtime === "cri-o" ? [load.chosen.file] : load.networks.map((n) => n.file));
      const active = load.chosen;
      const activeTypes = new Set(active.pluginTypes);
      const activeVendor = vendorOfPluginTypes(active.pluginTypes);
      // Meta plugins (Multus) read the other configs themselves: nothing is shadowed.
      if (activeVendor === "multus") continue;
      const activeArtifact = dir.files.get(active.file);
      for (const f of load.perFile) {
        if (!f.ok || used.has(f.file)) continue;
        const types = f.pluginTypes ?? [];
        // Deliberate chaining: the active list already runs this file's main plugin (Cilium on flannel, Canal).
        if (types[0] && activeTypes.has(types[0]) && active.pluginTypes.length > types.length) continue;
        const artifact = dir.files.get(f.file);
        if (!artifact) continue;
        const conflict = activeVendor !== null && deployed.length > 0 && !deployed.includes(activeVendor);
        const source = dir.runtimeSource.startsWith("default") ? "assumed: no Node containerRuntimeVersion or facts.containerRuntime" : dir.runtimeSource;
        const runtimeWhy = dir.runtime === "containerd"
          ? `containerd (${source}; max_conf_num ${dir.maxConfNum}) loads only ${dir.maxConfNum === 1 ? "the first config" : `the first ${dir.maxConfNum} configs`}`
          : `CRI-O (${source}) loads it but gives pods only its default network, the first config that loads`;
        const leftover = conflict ? `; it belongs to ${activeVendor}, but the cluster deploys ${deployed.join(" and ")}: a leftover config is running pod networking` : "";
        report({
          loc: cniFileLoc(artifact),
          severity: conflict ? "error" : "warning",
          message: `${f.file} is never used: ${runtimeWhy}, and ${active.file} sorts first (${byteOrderReason(active.file, f.file)})${leftover}`,
          related: activeArtifact ? [{ loc: cniFileLoc(activeArtifact), message: `${active.file}: the config ${dir.runtime} uses (network ${JSON.stringify(active.name)}, plugins ${active.pluginTypes.join(", ")})` }] : [],
        });
      }
    }
  },
});
