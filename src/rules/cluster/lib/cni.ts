/** Subnets that the active CNI config of each conf dir hands out (bridge/ptp with host-local IPAM). */
import type { ClusterModel, Loc } from "../../../model/types.js";
import { toPlain } from "../../../parsers/json.js";
import { cniFieldLoc } from "../../lib/cni.js";
import { parseCIDR, type ParsedCIDR } from "../../lib/net.js";
import type { PathSegment } from "../../../parsers/yaml.js";
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
      const json = artifact?.result.json;
      if (!artifact || !json) continue;
      const value = toPlain(json) as Record<string, unknown>;
      const plugins: { conf: Record<string, unknown>; path: PathSegment[] }[] = Array.isArray(value.plugins)
        ? (value.plugins as unknown[]).map((p, i) => ({ conf: (p ?? {}) as Record<string, unknown>, path: ["plugins", i] }))
        : [{ conf: value, path: [] }];
      for (const { conf, path } of plugins) {
        if (conf.type !== "bridge") continue;
        const ipam = (conf.ipam ?? {}) as Record<string, unknown>;
        if (ipam.type !== "host-local") continue;
        const add = (v: unknown, p: PathSegment[]) => {
          if (typeof v !== "string") return;
          const cidr = parseCIDR(v);
          if (!cidr) return;
          out.push({ kind: "cni", file: artifact.file.path, cidr, value: v, loc: cniFieldLoc(artifact, p), label: `${artifact.file.path} (bridge ${typeof conf.bridge === "string" ? conf.bridge : "cni0"})` });
        };
        add(ipam.subnet, [...path, "ipam", "subnet"]);
        if (Array.isArray(ipam.ranges)) {
          (ipam.ranges as unknown[]).forEach((set, i) => {
            if (Array.isArray(set)) set.forEach((r, j) => add((r as Record<string, unknown> | null)?.subnet, [...path, "ipam", "ranges", i, j, "subnet"]));
          });
        }
      }
    }
  }
  return out;
}
