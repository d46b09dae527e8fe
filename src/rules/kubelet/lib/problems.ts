/** The library's problems for each KubeletConfiguration of a cluster, with the location of each field. */
import type { ClusterModel, ComponentConfig, Loc } from "../../../model/types.js";
import { getPath } from "../../../model/workloads.js";
import { checkKubeletConfig, type ConfigProblem } from "./validate.js";
import { fieldSegments } from "./settings.js";

export interface LocatedProblem {
  cfg: ComponentConfig;
  problem: ConfigProblem;
  segments: (string | number)[];
}

function platformOf(cluster: ClusterModel, cfg: ComponentConfig): "linux" | "windows" {
  const node = cfg.node ? cluster.nodes.get(cfg.node) : undefined;
  const os = node?.object ? getPath(node.object.value, ["status", "nodeInfo", "operatingSystem"]) : undefined;
  return os === "windows" ? "windows" : "linux";
}

/** Per cluster: two rules read the same problems, and validating a large configuration twice cost a second (300,000 unknown keys). */
const cache = new WeakMap<ClusterModel, LocatedProblem[]>();

export function kubeletProblems(cluster: ClusterModel): readonly LocatedProblem[] {
  let out = cache.get(cluster);
  if (!out) cache.set(cluster, (out = locatedProblems(cluster)));
  return out;
}

function locatedProblems(cluster: ClusterModel): LocatedProblem[] {
  const out: LocatedProblem[] = [];
  for (const cfg of cluster.kubeletConfigs) {
    for (const problem of checkKubeletConfig(cfg.value, { platform: platformOf(cluster, cfg) })) {
      out.push({ cfg, problem, segments: fieldSegments(problem.field) });
    }
  }
  return out;
}

/** A field's value (or key) range, else its nearest ancestor's. */
export function fieldLoc(p: LocatedProblem, part: "value" | "key" = "value"): Loc {
  return p.cfg.rangeAt(p.segments, part) ?? p.cfg.locate(p.segments, part);
}
