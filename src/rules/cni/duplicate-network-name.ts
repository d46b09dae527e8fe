import { defineRule } from "../../engine/rule.js";
import type { CniFileArtifact } from "../../model/types.js";
import { cniFileLoc } from "../lib/cni.js";

export default defineRule({
  meta: { id: "cni/duplicate-network-name", severity: "warning", summary: "Two CNI configs in one conf dir with the same network name" },
  check({ cluster, report }) {
    for (const dir of cluster.cniConfDirs) {
      const first = new Map<string, CniFileArtifact>();
      for (const r of dir.load.perFile) {
        if (!r.ok || !r.name) continue;
        const artifact = dir.files.get(r.file);
        if (!artifact) continue;
        const earlier = first.get(r.name);
        if (!earlier) {
          first.set(r.name, artifact);
          continue;
        }
        const used = new Set(dir.load.networks.map((n) => n.file));
        let effect: string;
        if (dir.runtime === "cri-o") effect = `CRI-O loads only the first network named ${JSON.stringify(r.name)} (from ${earlier.result.file}) and ignores this file`;
        else if (used.has(r.file) && used.has(earlier.result.file)) effect = `containerd (max_conf_num ${dir.maxConfNum}) attaches both to every pod under one name, so they share libcni's result cache and host-local's lease directory /var/lib/cni/networks/${r.name}`;
        else effect = `libcni looks networks up by name and finds ${earlier.result.file} first; both files claim host-local's lease directory /var/lib/cni/networks/${r.name}`;
        report({
          loc: cniFileLoc(artifact),
          message: `${r.file} defines network ${JSON.stringify(r.name)}, which ${earlier.result.file} (it sorts first) already defines: ${effect}. Network names must be unique on a node (CNI SPEC); this is usually a stale copy of the same CNI's config: delete the stale one`,
          related: [{ loc: cniFileLoc(earlier), message: `${earlier.result.file}: network ${JSON.stringify(r.name)}` }],
        });
      }
    }
  },
});
