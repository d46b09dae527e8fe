/**
 * Cluster API: `cluster.x-k8s.io` Cluster `spec.clusterNetwork` (pods/services cidrBlocks,
 * serviceDomain); KubeadmControlPlane `spec.kubeadmConfigSpec` and KubeadmConfigTemplate
 * `spec.template.spec` (a kubeadm ClusterConfiguration without apiVersion/kind, and
 * init/joinConfiguration.nodeRegistration.kubeletExtraArgs: a map in v1beta1, a list of {name, value}
 * in v1beta2). The bootstrap controller copies clusterNetwork into kubeadm's networking only where
 * the kubeadm field is empty (kubernetes-sigs/cluster-api bootstrap/kubeadm/internal/controllers/
 * kubeadmconfig_controller.go), so an explicit podSubnet that differs is a conflict the cluster rules report.
 */
import type { PathSegment } from "../../parsers/yaml.js";
import type { ComponentConfig, K8sObject } from "../types.js";
import { addFacts, derivedConfig, isRecord, label, locOf, pathValue, type DerivedField } from "./lib.js";
import type { SourceAdapter, SourceContext } from "./types.js";

const CLUSTER_GROUP = /^cluster\.x-k8s\.io\//;
const KNOWN_VERSIONS = /\/(v1alpha3|v1alpha4|v1beta1|v1beta2)$/;
const KUBEADM_KINDS: Record<string, PathSegment[]> = {
  KubeadmControlPlane: ["spec", "kubeadmConfigSpec"],
  KubeadmControlPlaneTemplate: ["spec", "template", "spec", "kubeadmConfigSpec"],
  KubeadmConfigTemplate: ["spec", "template", "spec"],
  KubeadmConfig: ["spec"],
};

function checkVersion(ctx: SourceContext, obj: K8sObject): void {
  if (!KNOWN_VERSIONS.test(obj.apiVersion)) ctx.notice(obj, `${obj.kind} with apiVersion ${obj.apiVersion}: kube-netlint knows Cluster API v1alpha3 to v1beta2 and reads it as v1beta1`);
}

/** kubeletExtraArgs[name] as a map entry (v1beta1) or a {name, value} item (v1beta2). */
function kubeletArg(obj: K8sObject, base: PathSegment[], name: string, origin: string): DerivedField | undefined {
  const args = pathValue(obj.value, base);
  if (isRecord(args) && typeof args[name] === "string") return { value: args[name], loc: locOf(obj, [...base, name]), origin };
  if (Array.isArray(args)) {
    for (let i = args.length - 1; i >= 0; i--) {
      const a = args[i];
      if (isRecord(a) && a.name === name && typeof a.value === "string") return { value: a.value, loc: locOf(obj, [...base, i, "value"]), origin };
    }
  }
  return undefined;
}

const adapter: SourceAdapter = {
  name: "capi",
  kinds: ["Cluster", ...Object.keys(KUBEADM_KINDS)],
  kindFilter: /cluster\.x-k8s\.io/,
  accepts: (obj) => (obj.kind === "Cluster" ? CLUSTER_GROUP.test(obj.apiVersion) : obj.kind in KUBEADM_KINDS && /cluster\.x-k8s\.io\//.test(obj.apiVersion)),
  collect(ctx) {
    const f = ctx.facts;
    for (const obj of ctx.docs) {
      checkVersion(ctx, obj);
      const name = obj.name || "(unnamed)";
      if (obj.kind === "Cluster") {
        const net = pathValue(obj.value, ["spec", "clusterNetwork"]);
        if (net === undefined) continue;
        if (!isRecord(net)) {
          ctx.notice(obj, `Cluster ${name} spec.clusterNetwork should be a map: not read`);
          continue;
        }
        for (const [field, list] of [["pods", f.podCIDRs], ["services", f.serviceCIDRs]] as const) {
          const blocks = pathValue(net, [field, "cidrBlocks"]);
          if (blocks === undefined) continue;
          if (!Array.isArray(blocks)) {
            ctx.notice(obj, `Cluster ${name} spec.clusterNetwork.${field}.cidrBlocks should be a list: not read`);
            continue;
          }
          blocks.forEach((b, i) => addFacts(list, b, locOf(obj, ["spec", "clusterNetwork", field, "cidrBlocks", i]), `Cluster API Cluster ${name} spec.clusterNetwork.${field}.cidrBlocks`));
        }
        if (typeof net.serviceDomain === "string") addFacts(f.clusterDomain, net.serviceDomain, locOf(obj, ["spec", "clusterNetwork", "serviceDomain"]), `Cluster API Cluster ${name} spec.clusterNetwork.serviceDomain`);
        continue;
      }
      const base = KUBEADM_KINDS[obj.kind]!;
      const spec = pathValue(obj.value, base);
      if (!isRecord(spec)) continue;
      const cc = spec.clusterConfiguration;
      // Only the control plane's init runs kubeadm with a ClusterConfiguration; joins ignore it.
      if (isRecord(cc) && (obj.kind === "KubeadmControlPlane" || obj.kind === "KubeadmControlPlaneTemplate")) {
        const at = [...base, "clusterConfiguration"];
        const where = `kubeadm ClusterConfiguration in ${obj.kind} ${name}`;
        const cfg: ComponentConfig = {
          kind: "ClusterConfiguration",
          value: cc,
          object: obj,
          configMap: null,
          key: null,
          rangeAt: (p, part) => obj.rangeAt([...at, ...p], part),
          locate: (p, part) => obj.locate([...at, ...p], part),
          node: obj.node ?? null,
          origins: { "networking.podSubnet": `${where} networking.podSubnet`, "networking.serviceSubnet": `${where} networking.serviceSubnet`, "networking.dnsDomain": `${where} networking.dnsDomain` },
        };
        ctx.model.kubeadmConfigs.push(cfg);
      }
      for (const phase of ["initConfiguration", "joinConfiguration"]) {
        const argsPath = [...base, phase, "nodeRegistration", "kubeletExtraArgs"];
        const origin = (flag: string) => `${label(obj)} ${phase}.nodeRegistration.kubeletExtraArgs ${flag}`;
        const dns = kubeletArg(obj, argsPath, "cluster-dns", origin("cluster-dns"));
        const domain = kubeletArg(obj, argsPath, "cluster-domain", origin("cluster-domain"));
        const cfg = derivedConfig("KubeletConfiguration", obj, { clusterDNS: dns ? { ...dns, value: String(dns.value).split(",").map((s) => s.trim()) } : undefined, clusterDomain: domain });
        if (cfg) ctx.model.kubeletConfigs.push(cfg);
      }
    }
  },
};

export default adapter;
