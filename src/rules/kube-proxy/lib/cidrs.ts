/** kube-proxy's clusterCIDR and detectLocalMode as kube-proxy reads them. */
import type { ComponentConfig } from "../../../model/types.js";
import { parseCIDR, type ParsedCIDR } from "../../../parsers/net.js";

/** The effective detectLocalMode ("" means ClusterCIDR), or null when it is not a string. */
export function detectLocalMode(cfg: ComponentConfig): string | null {
  const m = cfg.value.detectLocalMode;
  if (m === undefined || m === null || m === "") return "ClusterCIDR";
  return typeof m === "string" ? m : null;
}

/** The clusterCIDR entries (comma-separated, parsed like ParseCIDRSloppy); null when unset, empty, not a string or malformed. */
export function clusterCIDRs(cfg: ComponentConfig): { raw: string; cidrs: ParsedCIDR[] } | null {
  const raw = cfg.value.clusterCIDR;
  if (typeof raw !== "string" || raw.trim() === "") return null;
  const parsed = raw.split(",").map((s) => parseCIDR(s.trim(), { sloppy: true }));
  if (parsed.some((c) => !c)) return null;
  return { raw, cidrs: parsed as ParsedCIDR[] };
}
