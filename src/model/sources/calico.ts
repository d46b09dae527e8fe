/**
 * Calico pools: the operator's `operator.tigera.io/v1` Installation `spec.calicoNetwork.ipPools[].cidr`
 * (the tigera-operator chart takes the same under `installation:`; RKE2's rke2-calico too), and
 * `IPPool` CRs (`crd.projectcalico.org/v1`, `projectcalico.org/v3`) `spec.cidr` unless disabled.
 * Pools must lie inside the cluster's pod CIDR (docs.tigera.io): each is a `within` fact, which
 * cni/subnet-outside-pod-cidr checks. No default pool is assumed: without pools the operator takes
 * kubeadm's podSubnet when it finds one, else 192.168.0.0/16.
 */
import type { PathSegment } from "../../parsers/yaml.js";
import type { K8sObject } from "../types.js";
import { declareCni, isRecord, label, locOf, pathValue } from "./lib.js";
import type { SourceAdapter, SourceContext, ValuesRef } from "./types.js";

function installationPools(ctx: SourceContext, obj: K8sObject, base: PathSegment[], origin: string): void {
  const pools = pathValue(obj.value, [...base, "calicoNetwork", "ipPools"]);
  if (pools === undefined) return;
  if (!Array.isArray(pools)) {
    ctx.notice(obj, `${origin}calicoNetwork.ipPools should be a list: not read`);
    return;
  }
  pools.forEach((p, i) => {
    if (!isRecord(p) || typeof p.cidr !== "string" || p.disabled === true) return;
    ctx.facts.podCIDRs.push({ value: p.cidr.trim(), loc: locOf(obj, [...base, "calicoNetwork", "ipPools", i, "cidr"]), origin: `Calico ${origin}calicoNetwork.ipPools[${i}].cidr`, within: true });
  });
}

function values(ref: ValuesRef, ctx: SourceContext): void {
  if (!isRecord(ref.values.installation)) return;
  declareCni(ctx, "calico", locOf(ref.obj, [...ref.base, "installation"]), `Calico (${ref.origin})`);
  installationPools(ctx, ref.obj, [...ref.base, "installation"], `${ref.origin} installation.`);
}

const adapter: SourceAdapter = {
  name: "calico",
  kinds: ["Installation", "IPPool"],
  accepts: (obj) => (obj.kind === "Installation" && /^operator\.tigera\.io\//.test(obj.apiVersion)) || (obj.kind === "IPPool" && /projectcalico\.org\//.test(obj.apiVersion)),
  collect(ctx) {
    for (const obj of ctx.docs) {
      if (obj.kind === "Installation") {
        if (obj.apiVersion !== "operator.tigera.io/v1") ctx.notice(obj, `Installation with apiVersion ${obj.apiVersion}: kube-netlint knows operator.tigera.io/v1 and reads it as such`);
        declareCni(ctx, "calico", locOf(obj, ["metadata", "name"]), `Calico ${label(obj)}`);
        installationPools(ctx, obj, ["spec"], `${label(obj)} spec.`);
        continue;
      }
      if (obj.apiVersion !== "crd.projectcalico.org/v1" && obj.apiVersion !== "projectcalico.org/v3") ctx.notice(obj, `IPPool with apiVersion ${obj.apiVersion}: kube-netlint knows crd.projectcalico.org/v1 and projectcalico.org/v3 and reads it as such`);
      const cidr = pathValue(obj.value, ["spec", "cidr"]);
      if (typeof cidr === "string" && cidr.trim() && pathValue(obj.value, ["spec", "disabled"]) !== true) {
        ctx.facts.podCIDRs.push({ value: cidr.trim(), loc: locOf(obj, ["spec", "cidr"]), origin: `Calico IPPool ${obj.name || "(unnamed)"} spec.cidr`, within: true });
      }
    }
  },
  chart: {
    names: /tigera-operator|(^|[-/])(rke2-)?calico$/,
    textHint: /^installation:/m,
    looksLike: (v) => isRecord(v.installation) && isRecord(v.installation.calicoNetwork),
    values,
  },
};

export default adapter;
