import { defineRule } from "../../engine/rule.js";
import type { Loc } from "../../model/types.js";
import type { PathSegment } from "../../parsers/yaml.js";
import { closest } from "../lib/closest.js";
import { formatPath } from "../lib/config-problem.js";
import { asObject, asString, field, mapKey, nodeLoc, type JsonNode } from "./lib/json.js";
import { pluginsOf } from "./lib/plugins.js";

interface Needed {
  binary: string;
  node: JsonNode;
  path: PathSegment[];
  role: string;
}

export default defineRule({
  meta: { id: "cni/plugin-binary-missing", severity: "error", summary: "A CNI plugin type that has no binary in the node's CNI bin dir" },
  check({ cluster, report }) {
    for (const dir of cluster.cniConfDirs) {
      if (!dir.node) continue;
      const bins = cluster.nodes.get(dir.node)?.cniBinaries;
      if (!bins) continue;
      const have = new Set(bins.names);
      const binLoc: Loc = { file: bins.file, start: 0, end: Math.min(bins.file.text.length, bins.file.lines.lineEnd(1)) };
      // Only what the runtime loads on this node: the first max_conf_num files (containerd) or every file CRI-O loads.
      for (const net of dir.load.networks) {
        const artifact = dir.files.get(net.file);
        if (!artifact) continue;
        const needed: Needed[] = [];
        for (const p of pluginsOf(artifact)) {
          const typeProp = field(p.node, "type");
          if (typeProp && p.type) needed.push({ binary: p.type, node: typeProp.value, path: [...p.path, typeProp.key], role: "plugin" });
          const ipamProp = field(p.node, "ipam");
          const ipam = asObject(ipamProp?.value);
          const ipamType = ipam ? field(ipam, "type") : undefined;
          const it = asString(ipamType?.value);
          if (ipamProp && ipamType && it) needed.push({ binary: it, node: ipamType.value, path: [...p.path, ipamProp.key, ipamType.key], role: `IPAM plugin of ${p.type}` });
          // flannel runs its delegate (bridge unless the delegate names another type) from the same bin dir.
          if (p.type === "flannel") {
            const dp = field(p.node, "delegate");
            const delegate = asObject(dp?.value);
            const dt = delegate ? mapKey(delegate, "type") : undefined;
            const dtv = asString(dt?.value);
            if (dp && dt && dtv) needed.push({ binary: dtv, node: dt.value, path: [...p.path, dp.key, "type"], role: "delegate of flannel" });
            else if (dp && !dt) needed.push({ binary: "bridge", node: dp.value, path: [...p.path, dp.key], role: "delegate of flannel (bridge by default)" });
            else if (!dp) needed.push({ binary: "bridge", node: typeProp!.value, path: [...p.path, typeProp!.key], role: "delegate of flannel (bridge by default)" });
          }
        }
        for (const n of needed) {
          if (have.has(n.binary)) continue;
          const near = closest(n.binary, have);
          const hint = near ? ` (did you mean "${near}"?)` : "";
          const effect = dir.runtime === "cri-o"
            ? `CRI-O refuses the network (ValidateNetworkList: failed to find plugin "${n.binary}") and skips ${net.file}`
            : `containerd fails every pod setup on ${dir.node} with: failed to find plugin "${n.binary}" in path [/opt/cni/bin]`;
          report({
            loc: nodeLoc(artifact, n.node),
            field: formatPath(n.path),
            message: `${net.file}: the ${n.role} "${n.binary}" has no binary in node ${dir.node}'s CNI bin dir (${bins.file.path})${hint}: ${effect}; pods stay ContainerCreating. Install the CNI plugins package (or the CNI's own install step) on the node`,
            related: [{ loc: binLoc, message: `${bins.file.path}: ${bins.names.length} binaries, no ${n.binary}` }],
          });
        }
      }
    }
  },
});
