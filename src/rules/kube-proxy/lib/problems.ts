/**
 * The validation library's problems for each KubeProxyConfiguration of a cluster (computed once and
 * shared by invalid-config, unknown-field and wrong-type), and where each problem is in the file.
 */
import type { ClusterModel, ComponentConfig, Loc } from "../../../model/types.js";
import { checkKubeProxyConfig, type KubeProxyProblem } from "./validate.js";
import { fieldSegments, kubeProxyPlatform, kubeProxyVersion } from "./workload.js";

export interface CheckedConfig {
  problems: KubeProxyProblem[];
  platform: "linux" | "windows";
  version: { version: string; origin: string } | undefined;
}

const cache = new WeakMap<ComponentConfig, CheckedConfig>();

export function checkedConfig(cluster: ClusterModel, cfg: ComponentConfig): CheckedConfig {
  const hit = cache.get(cfg);
  if (hit) return hit;
  const platform = kubeProxyPlatform(cluster, cfg);
  const version = kubeProxyVersion(cluster, cfg);
  const problems = checkKubeProxyConfig(cfg.value, { platform, ...(version ? { kubernetesVersion: version.version } : {}) });
  const out = { problems, platform, version };
  cache.set(cfg, out);
  return out;
}

/**
 * A field that validation reports although it is absent (kube-proxy defaulted it), with the field
 * that made the defaulted value wrong: the finding goes there when it is in the file.
 */
function causeOfAbsent(field: string): string | undefined {
  if (field === "detectLocal.bridgeInterface" || field === "detectLocal.interfaceNamePrefix") return "detectLocalMode";
  const sync = /^(iptables|ipvs|nftables)\.syncPeriod$/.exec(field);
  if (sync) return `${sync[1]}.minSyncPeriod`;
  return undefined;
}

/** Where a problem is: its exact node, else the field's value (or key), else the cause of a defaulted value, else the nearest ancestor. */
export function problemLoc(cfg: ComponentConfig, p: KubeProxyProblem, part: "value" | "key" = "value"): Loc {
  if (p.at) {
    const r = cfg.rangeAt(p.at.path, p.at.part);
    if (r) return r;
  }
  const segs = fieldSegments(p.field);
  const exact = cfg.rangeAt(segs, part);
  if (exact) return exact;
  const cause = causeOfAbsent(p.field);
  const causeLoc = cause ? cfg.rangeAt(fieldSegments(cause)) : undefined;
  return causeLoc ?? cfg.locate(segs, part);
}
