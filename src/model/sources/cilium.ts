/**
 * Cilium: Helm values (cilium/cilium install/kubernetes/cilium/values.yaml: ipam.mode "cluster-pool"
 * by default, ipam.operator.clusterPoolIPv4PodCIDRList ["10.0.0.0/8"], kubeProxyReplacement) and the
 * rendered `cilium-config` ConfigMap (`ipam`, `cluster-pool-ipv4-cidr`). In cluster-pool mode Cilium
 * hands out pod addresses from its own pool and ignores the nodes' podCIDRs, so the pool is a part of
 * the pod CIDR (a `within` fact), and the default 10.0.0.0/8 counts when no pool is set. RKE2's
 * rke2-cilium chart gets its pool from RKE2's cluster-cidr instead: no default there.
 */
import { getPath } from "../workloads.js";
import { declareCni, docLoc, isRecord, label, locOf, pathValue } from "./lib.js";
import type { SourceAdapter, ValuesRef, SourceContext } from "./types.js";

function pools(ctx: SourceContext, list: string[], loc: ReturnType<typeof docLoc>, origin: string): void {
  for (const v of list.flatMap((s) => s.split(/[\s,]+/)).filter(Boolean)) {
    if (/[{}$%<>]/.test(v)) continue;
    ctx.facts.podCIDRs.push({ value: v, loc, origin, within: true });
  }
}

function values(ref: ValuesRef, ctx: SourceContext): void {
  const at = (p: (string | number)[]) => [...ref.base, ...p];
  const ipam = isRecord(ref.values.ipam) ? ref.values.ipam : {};
  const mode = typeof ipam.mode === "string" ? ipam.mode : "cluster-pool";
  const kpr = ref.values.kubeProxyReplacement;
  const kprText = kpr === undefined ? "" : `, kubeProxyReplacement ${String(kpr)}`;
  declareCni(ctx, "cilium", locOf(ref.obj, ref.base.length ? ref.base : ["ipam"]), `Cilium (${ref.origin}${kprText})`);
  if (mode !== "cluster-pool") return;
  const list = pathValue(ipam, ["operator", "clusterPoolIPv4PodCIDRList"]);
  const legacy = pathValue(ipam, ["operator", "clusterPoolIPv4PodCIDR"]);
  if (Array.isArray(list) && list.length) {
    list.forEach((c, i) => typeof c === "string" && pools(ctx, [c], locOf(ref.obj, at(["ipam", "operator", "clusterPoolIPv4PodCIDRList", i])), `Cilium ipam.operator.clusterPoolIPv4PodCIDRList (${ref.origin})`));
  } else if (typeof list === "string" && list) {
    pools(ctx, [list], locOf(ref.obj, at(["ipam", "operator", "clusterPoolIPv4PodCIDRList"])), `Cilium ipam.operator.clusterPoolIPv4PodCIDRList (${ref.origin})`);
  } else if (typeof legacy === "string" && legacy) {
    pools(ctx, [legacy], locOf(ref.obj, at(["ipam", "operator", "clusterPoolIPv4PodCIDR"])), `Cilium ipam.operator.clusterPoolIPv4PodCIDR (${ref.origin})`);
  } else if (!ref.chart?.startsWith("rke2-")) {
    const loc = ipam.mode !== undefined ? locOf(ref.obj, at(["ipam", "mode"])) : ref.base.length ? locOf(ref.obj, ref.base) : docLoc(ref.obj);
    pools(ctx, ["10.0.0.0/8"], loc, `Cilium's default cluster-pool 10.0.0.0/8 (${ref.origin} sets no ipam.operator.clusterPoolIPv4PodCIDRList)`);
  }
}

const adapter: SourceAdapter = {
  name: "cilium",
  kinds: ["ConfigMap"],
  kindFilter: /cilium-config/,
  accepts: (obj) => obj.kind === "ConfigMap" && obj.name === "cilium-config",
  collect(ctx) {
    for (const cm of ctx.docs) {
      const mode = getPath(cm.value, ["data", "ipam"]);
      if (mode !== undefined && mode !== "cluster-pool") continue;
      const cidr = getPath(cm.value, ["data", "cluster-pool-ipv4-cidr"]);
      if (typeof cidr === "string" && cidr.trim()) pools(ctx, [cidr], locOf(cm, ["data", "cluster-pool-ipv4-cidr"]), `Cilium cluster-pool-ipv4-cidr (${label(cm)})`);
    }
  },
  chart: {
    names: /(^|[-/])cilium$/,
    textHint: /^(ipam|kubeProxyReplacement):/m,
    looksLike: (v) => (isRecord(v.ipam) && (isRecord(v.ipam.operator) || typeof v.ipam.mode === "string")) || v.kubeProxyReplacement !== undefined,
    values,
  },
};

export default adapter;
