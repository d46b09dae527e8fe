/** The library's problems for each KubeletConfiguration of a cluster, with the location of each field. */
import type { ClusterModel, ComponentConfig, Loc } from "../../../model/types.js";
import { getPath } from "../../../model/workloads.js";
import { checkKubeletConfig, type ConfigProblem } from "./validate.js";
import { fieldSegments } from "./settings.js";

/** A configuration and its problems (no object per problem beside the problem: 300,000 unknown keys kept 300,000 of each, and a path list each). */
export interface ConfigProblems {
  cfg: ComponentConfig;
  problems: readonly ConfigProblem[];
}

function platformOf(cluster: ClusterModel, cfg: ComponentConfig): "linux" | "windows" {
  const node = cfg.node ? cluster.nodes.get(cfg.node) : undefined;
  const os = node?.object ? getPath(node.object.value, ["status", "nodeInfo", "operatingSystem"]) : undefined;
  return os === "windows" ? "windows" : "linux";
}

/** Per cluster: two rules read the same problems, and validating a large configuration twice cost a second (300,000 unknown keys). */
const cache = new WeakMap<ClusterModel, ConfigProblems[]>();

export function kubeletProblems(cluster: ClusterModel): readonly ConfigProblems[] {
  let out = cache.get(cluster);
  if (!out) cache.set(cluster, (out = problemsOf(cluster)));
  return out;
}

function problemsOf(cluster: ClusterModel): ConfigProblems[] {
  return cluster.kubeletConfigs.map((cfg) => ({ cfg, problems: checkKubeletConfig(cfg.value, { platform: platformOf(cluster, cfg) }) }));
}

/** A problem's field's value (or key) range, else its nearest ancestor's. */
export function fieldLoc(cfg: ComponentConfig, problem: ConfigProblem, part: "value" | "key" = "value"): Loc {
  const segments = fieldSegments(problem.field);
  return cfg.rangeAt(segments, part) ?? cfg.locate(segments, part);
}
