/**
 * Talos machine configs (`version: v1alpha1` with `machine:` and `cluster:`, no kind). Fields
 * (siderolabs/talos pkg/machinery/config/types/v1alpha1): cluster.network.{podSubnets, serviceSubnets,
 * dnsDomain, cni.name}, cluster.proxy.{disabled, mode, extraArgs}, machine.kubelet.{clusterDNS,
 * extraArgs}. Defaults (pkg/machinery/constants): pods 10.244.0.0/16, services 10.96.0.0/12,
 * cluster.local, CNI flannel; the kubelet's clusterDNS is the 10th address of the first service subnet.
 * Control-plane and worker files of one cluster both carry `cluster:`: the cluster facts come from
 * every file, kube-proxy (an `extraArgs` cluster-cidr override) from the first control-plane file, the kubelet settings from every file.
 */
import type { PathSegment } from "../../parsers/yaml.js";
import type { K8sObject, Loc } from "../types.js";
import { addFacts, declareCni, derivedConfig, docLoc, isRecord, locOf, pathValue, wrongType, type DerivedField } from "./lib.js";
import type { SourceAdapter, SourceContext } from "./types.js";

const VERSION = /^version:[ \t]*["']?v1alpha1["']?[ \t]*(#.*)?\r?$/m;

function list(ctx: SourceContext, obj: K8sObject, path: PathSegment[]): { values: string[]; loc: Loc } | undefined {
  const v = pathValue(obj.value, path);
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) {
    wrongType(ctx, obj, path, "a list of strings (Talos rejects this machine config)");
    return undefined;
  }
  return v.length ? { values: v as string[], loc: locOf(obj, [...path, 0]) } : undefined;
}

function extraArg(obj: K8sObject, path: PathSegment[], name: string, origin: string): DerivedField | undefined {
  const v = pathValue(obj.value, [...path, name]);
  return typeof v === "string" ? { value: v, loc: locOf(obj, [...path, name]), origin } : undefined;
}

const adapter: SourceAdapter = {
  name: "talos",
  selectFile: (_p, head) => VERSION.test(head) && /^machine:/m.test(head) && /^cluster:/m.test(head),
  accepts: () => true,
  collect(ctx) {
    const f = ctx.facts;
    const docs = ctx.docs.filter((d) => isRecord(d.value.machine) || isRecord(d.value.cluster));
    for (const d of ctx.docs) {
      if (d.value.machine !== undefined && !isRecord(d.value.machine)) wrongType(ctx, d, ["machine"], "a map");
      if (d.value.cluster !== undefined && !isRecord(d.value.cluster)) wrongType(ctx, d, ["cluster"], "a map");
    }
    const controlPlane = docs.filter((d) => pathValue(d.value, ["machine", "type"]) === "controlplane" || pathValue(d.value, ["machine", "type"]) === "init");
    const proxyDoc = controlPlane[0] ?? docs[0];
    for (const obj of docs) {
      // Every file states the cluster section (control plane and workers alike): each is read, so that a
      // worker's kubelet is compared with the ranges of its own file; same-valued duplicates are harmless.
      const pods = list(ctx, obj, ["cluster", "network", "podSubnets"]);
      const services = list(ctx, obj, ["cluster", "network", "serviceSubnets"]);
      const domain = pathValue(obj.value, ["cluster", "network", "dnsDomain"]);
      if (domain !== undefined && typeof domain !== "string") wrongType(ctx, obj, ["cluster", "network", "dnsDomain"], "a string");
      const podText = pods ? pods.values.join(",") : "10.244.0.0/16";
      const svcText = services ? services.values.join(",") : "10.96.0.0/12";
      addFacts(f.podCIDRs, podText, pods?.loc ?? docLoc(obj), pods ? "Talos cluster.network.podSubnets" : `Talos's default podSubnets 10.244.0.0/16 (${obj.file.path} does not set them)`);
      addFacts(f.serviceCIDRs, svcText, services?.loc ?? docLoc(obj), services ? "Talos cluster.network.serviceSubnets" : `Talos's default serviceSubnets 10.96.0.0/12 (${obj.file.path} does not set them)`);
      if (obj === proxyDoc) {
        // kube-proxy is one DaemonSet for the cluster, rendered from the control plane's config.
        if (pathValue(obj.value, ["cluster", "proxy", "disabled"]) !== true) {
          // Only an override is a kube-proxy configuration of its own (without one, --cluster-cidr is podSubnets).
          const cidr = extraArg(obj, ["cluster", "proxy", "extraArgs"], "cluster-cidr", "Talos cluster.proxy.extraArgs cluster-cidr");
          const cfg = cidr ? derivedConfig("KubeProxyConfiguration", obj, { clusterCIDR: cidr }) : null;
          if (cfg) ctx.model.kubeProxyConfigs.push(cfg);
        }
        const cni = pathValue(obj.value, ["cluster", "network", "cni", "name"]);
        if (cni === undefined || cni === "flannel") declareCni(ctx, "flannel", cni === undefined ? docLoc(obj) : locOf(obj, ["cluster", "network", "cni", "name"]), cni === undefined ? "Talos's default CNI flannel" : "Talos cluster.network.cni.name flannel");
      }
      // The machine's kubelet, where the file says more than the defaults (the 10th service address, dnsDomain).
      const dnsList = list(ctx, obj, ["machine", "kubelet", "clusterDNS"]);
      const argDns = extraArg(obj, ["machine", "kubelet", "extraArgs"], "cluster-dns", "Talos machine.kubelet.extraArgs cluster-dns");
      const dns: DerivedField | undefined = argDns ? { ...argDns, value: String(argDns.value).split(",") } : dnsList ? { value: dnsList.values, loc: dnsList.loc, origin: "Talos machine.kubelet.clusterDNS" } : undefined;
      const dom = extraArg(obj, ["machine", "kubelet", "extraArgs"], "cluster-domain", "Talos machine.kubelet.extraArgs cluster-domain")
        ?? (typeof domain === "string" ? { value: domain, loc: locOf(obj, ["cluster", "network", "dnsDomain"]), origin: "Talos cluster.network.dnsDomain" } : undefined);
      const kubelet = derivedConfig("KubeletConfiguration", obj, { clusterDNS: dns, clusterDomain: dom });
      if (kubelet) ctx.model.kubeletConfigs.push(kubelet);
    }
  },
};

export default adapter;
