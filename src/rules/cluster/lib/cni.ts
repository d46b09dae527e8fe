/** Subnets that the active CNI config of each conf dir hands out (bridge/ptp with host-local IPAM). */
import type { ClusterModel, Loc } from "../../../model/types.js";
import { hostLocalConfs } from "../../cni/lib/host-local.js";
import { asString, field, nodeLoc } from "../../cni/lib/json.js";
import { pluginsOf } from "../../cni/lib/plugins.js";
import { parseCIDR, type ParsedCIDR } from "../../../parsers/net.js";
import type { ScopedSource } from "./scope.js";

export interface BridgeSubnet extends ScopedSource {
  cidr: ParsedCIDR;
  value: string;
  loc: Loc;
  /** "etc/cni/net.d/10-containerd-net.conflist (bridge cni0)". */
  label: string;
}

/** host-local `subnet` and `ranges[][].subnet` of the bridge plugins in each conf dir's active configs. */
export function activeBridgeSubnets(cluster: ClusterModel): BridgeSubnet[] {
  const out: BridgeSubnet[] = [];
  for (const dir of cluster.cniConfDirs) {
    for (const net of dir.load.networks) {
      const artifact = dir.files.get(net.file);
      if (!artifact?.result.json) continue;
      for (const conf of hostLocalConfs(pluginsOf(artifact).filter((p) => p.type === "bridge"))) {
        const bridge = asString(field(conf.plugin.node, "bridge")?.value) ?? "cni0";
        for (const range of conf.ranges) {
          const cidr = parseCIDR(range.subnet.value);
          if (!cidr) continue;
          out.push({ kind: "cni", file: artifact.file.path, cidr, value: range.subnet.value, loc: nodeLoc(artifact, range.subnet.node), label: `${artifact.file.path} (bridge ${bridge})` });
        }
      }
    }
  }
  return out;
}
