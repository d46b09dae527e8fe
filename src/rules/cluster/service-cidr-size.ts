import { defineRule } from "../../engine/rule.js";
import type { ComponentConfig, FlagSource, Loc } from "../../model/types.js";
import type { Flag } from "../../parsers/flags.js";
import { where } from "../lib/locations.js";
import { cidrFamily, parseCIDR, type ParsedCIDR } from "../../parsers/net.js";
import { normCidr, serviceCidrSources } from "./lib/facts.js";

/** The apiserver refuses service ranges with more than 20 host bits (kubeadm: MaximumBitsForServiceSubnet). */
const MAX_SERVICE_HOST_BITS = 20;
/** kubeadm PodSubnetNodeMaskMaxDiff, and the controller manager's clusterSubnetMaxDiff (enforced there for IPv6). */
const MAX_NODE_MASK_DIFF = 16;
const RANK: Record<string, number> = { kubeadm: 0, "kube-apiserver": 1, "kube-controller-manager": 2, facts: 3 };

const lastFlag = (src: FlagSource, name: string): Flag | undefined => src.flags.filter((f) => f.name === name).pop();
const flagValueLoc = (src: FlagSource, f: Flag): Loc | null => (f.valueStart >= 0 ? { file: src.file, start: f.valueStart, end: f.valueEnd } : null);

/** A kubeadm extraArgs value (v1beta3 map or v1beta4 name/value list) with its location. */
function extraArg(cfg: ComponentConfig, component: string, name: string): { value: string; loc: Loc | undefined } | undefined {
  const args = (cfg.value[component] as Record<string, unknown> | undefined)?.extraArgs;
  if (Array.isArray(args)) {
    for (let i = args.length - 1; i >= 0; i--) {
      const a = args[i] as { name?: unknown; value?: unknown } | null;
      if (a?.name === name && typeof a.value === "string") return { value: a.value, loc: cfg.rangeAt([component, "extraArgs", i, "value"]) };
    }
    return undefined;
  }
  if (args && typeof args === "object") {
    const v = (args as Record<string, unknown>)[name];
    if (typeof v === "string" || typeof v === "number") return { value: String(v), loc: cfg.rangeAt([component, "extraArgs", name]) };
  }
  return undefined;
}

function gatesOn(value: string | null | undefined, gates: string[]): boolean {
  const on = new Set((value ?? "").split(",").map((g) => g.trim()).filter((g) => /=true$/i.test(g)).map((g) => g.split("=")[0]));
  return gates.every((g) => on.has(g));
}

export default defineRule({
  meta: { id: "cluster/service-cidr-size", severity: "error", summary: "A service range with more than 20 host bits, or a node CIDR mask that does not fit the pod CIDR" },
  check({ cluster, report }) {
    // Service ranges.
    const apiservers = cluster.flagSources.filter((s) => s.component === "kube-apiserver");
    const multiCidr = apiservers.some((s) => gatesOn(lastFlag(s, "feature-gates")?.value, ["MultiCIDRServiceAllocator", "DisableAllocatorDualWrite"]));
    const seen = new Set<string>();
    const sources = serviceCidrSources(cluster).filter((s) => s.loc).sort((a, b) => (RANK[a.kind] ?? 9) - (RANK[b.kind] ?? 9));
    for (const s of sources) {
      if (multiCidr) break;
      for (const c of s.cidrs) {
        const bits = c.kind === 4 ? 32 : 128;
        if (bits - c.prefix <= MAX_SERVICE_HOST_BITS || seen.has(normCidr(c))) continue;
        seen.add(normCidr(c));
        const others = sources.filter((o) => o !== s && o.cidrs.some((x) => normCidr(x) === normCidr(c)));
        report({
          loc: s.loc!,
          message: `the service range ${normCidr(c)} (${s.origin}) has ${bits - c.prefix} host bits, more than ${MAX_SERVICE_HOST_BITS}: the API server refuses it ("specified --service-cluster-ip-range is too large; for ${bits}-bit addresses, the mask must be >= ${bits - MAX_SERVICE_HOST_BITS}") and kubeadm refuses the same serviceSubnet, so the control plane does not come up. Use a /${bits - MAX_SERVICE_HOST_BITS} or smaller range`,
          related: others.map((o) => ({ loc: o.loc!, message: `${o.origin}: ${normCidr(c)}` })),
        });
      }
    }

    // Node masks against the pod CIDR.
    const reported = new Set<string>();
    const checkMask = (cidr: ParsedCIDR, mask: number, maskOrigin: string, at: Loc, who: "kubeadm" | "kcm", related: { loc: Loc; message: string }[]) => {
      const key = `${normCidr(cidr)}|${mask}`;
      if (reported.has(key)) return;
      const v6 = cidrFamily(cidr) === 6;
      let why: string | null = null;
      if (cidr.prefix > mask) {
        why = who === "kubeadm"
          ? `"the size of pod subnet with mask ${cidr.prefix} is smaller than the size of node subnet with mask ${mask}": kubeadm refuses the config`
          : `the controller manager cannot carve /${mask} node podCIDRs out of a /${cidr.prefix} ("Invalid --cluster-cidr, mask size of cluster CIDR must be less than or equal to --node-cidr-mask-size configured for CIDR family"), so its node IPAM controller does not start: nodes get no podCIDR and CNIs that need one (flannel: "pod cidr not assigned") fail`;
      } else if (mask - cidr.prefix > MAX_NODE_MASK_DIFF && (who === "kubeadm" || v6)) {
        why = who === "kubeadm"
          ? `"pod subnet mask (${cidr.prefix}) and node-mask (${mask}) difference is greater than ${MAX_NODE_MASK_DIFF}": kubeadm refuses the config`
          : `the controller manager allows at most ${MAX_NODE_MASK_DIFF} bits between them ("the node CIDR size is too big"): node IPAM does not start and nodes get no podCIDR`;
      }
      if (!why) return;
      reported.add(key);
      report({ loc: at, message: `the node CIDR mask /${mask} (${maskOrigin}) does not fit the pod CIDR ${normCidr(cidr)}: ${why}. Make the pod CIDR prefix between /${Math.max(0, mask - MAX_NODE_MASK_DIFF)} and /${mask}, or change the node mask`, related });
    };

    for (const cfg of cluster.kubeadmConfigs) {
      const podSubnet = (cfg.value.networking as Record<string, unknown> | undefined)?.podSubnet;
      const at = cfg.rangeAt(["networking", "podSubnet"]);
      if (typeof podSubnet !== "string" || !at || extraArg(cfg, "controllerManager", "allocate-node-cidrs")?.value === "false") continue;
      for (const part of podSubnet.split(",")) {
        const cidr = parseCIDR(part.trim(), { sloppy: true });
        if (!cidr) continue;
        const name = cidrFamily(cidr) === 6 ? "node-cidr-mask-size-ipv6" : "node-cidr-mask-size-ipv4";
        const arg = extraArg(cfg, "controllerManager", name);
        const mask = arg ? Number(arg.value) : cidrFamily(cidr) === 6 ? 64 : 24;
        if (!Number.isInteger(mask)) continue;
        const origin = arg ? `controllerManager.extraArgs ${name}${arg.loc ? `, ${where(arg.loc)}` : ""}` : `kubeadm's default for IPv${cidrFamily(cidr)}`;
        checkMask(cidr, mask, origin, at, "kubeadm", arg?.loc ? [{ loc: arg.loc, message: `${name}: ${arg.value}` }] : []);
      }
    }

    for (const src of cluster.flagSources) {
      if (src.component !== "kube-controller-manager") continue;
      const clusterCidr = lastFlag(src, "cluster-cidr");
      if (lastFlag(src, "allocate-node-cidrs")?.value !== "true" || !clusterCidr?.value) continue;
      const cidrs = clusterCidr.value.split(",").map((s) => parseCIDR(s.trim(), { sloppy: true }));
      if (cidrs.some((c) => !c)) continue;
      const plain = lastFlag(src, "node-cidr-mask-size");
      const v4 = lastFlag(src, "node-cidr-mask-size-ipv4");
      const v6 = lastFlag(src, "node-cidr-mask-size-ipv6");
      const plainLoc = plain ? flagValueLoc(src, plain) : null;
      if (plain && plainLoc && (cidrs.length > 1 || v4 || v6)) {
        report({
          loc: plainLoc,
          message: cidrs.length > 1
            ? `--node-cidr-mask-size with the dual-stack --cluster-cidr ${clusterCidr.value}: the controller manager refuses it ("usage of --node-cidr-mask-size is not allowed with dual-stack clusters") and does not start; use --node-cidr-mask-size-ipv4 and --node-cidr-mask-size-ipv6`
            : `--node-cidr-mask-size together with --node-cidr-mask-size-ipv4/-ipv6: the controller manager refuses it ("usage of --node-cidr-mask-size-ipv4 and --node-cidr-mask-size-ipv6 is not allowed if --node-cidr-mask-size is set") and does not start; keep one of them`,
        });
        continue;
      }
      for (const cidr of cidrs as ParsedCIDR[]) {
        const isV6 = cidrFamily(cidr) === 6;
        const flag = (isV6 ? v6 : v4) ?? plain;
        const mask = flag?.value ? Number(flag.value) : isV6 ? 64 : 24;
        if (!Number.isInteger(mask)) continue;
        const loc = (flag && flagValueLoc(src, flag)) ?? flagValueLoc(src, clusterCidr);
        if (!loc) continue;
        checkMask(cidr, mask, flag ? `kube-controller-manager --${flag.name}` : `the controller manager's default for IPv${isV6 ? 6 : 4}`, loc, "kcm", []);
      }
    }
  },
});
