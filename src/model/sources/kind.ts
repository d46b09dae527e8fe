/**
 * kind (`kind.x-k8s.io/v1alpha4`, `kind: Cluster`): networking.podSubnet / serviceSubnet (defaults
 * 10.244.0.0/16 and 10.96.0.0/16, kubernetes-sigs/kind pkg/apis/config/v1alpha4/default.go),
 * kubeProxyMode, disableDefaultCNI (kindnet otherwise). kubeadm, which kind drives, sets kube-proxy's
 * clusterCIDR to podSubnet and the kubelet's clusterDNS to the 10th address of serviceSubnet;
 * `kubeadmConfigPatches` that carry a KubeProxyConfiguration or KubeletConfiguration are read as such.
 */
import type { ComponentConfig } from "../types.js";
import { addFacts, declareCni, docLoc, isRecord, locOf, str } from "./lib.js";
import type { SourceAdapter } from "./types.js";

const GROUP = /^kind\.x-k8s\.io\//;
const KNOWN = new Set(["kind.x-k8s.io/v1alpha4"]);

const adapter: SourceAdapter = {
  name: "kind",
  kinds: ["Cluster"],
  kindFilter: /kind\.x-k8s\.io/,
  accepts: (obj) => obj.kind === "Cluster" && GROUP.test(obj.apiVersion),
  collect(ctx) {
    const f = ctx.facts;
    for (const obj of ctx.docs) {
      if (!KNOWN.has(obj.apiVersion)) ctx.notice(obj, `${obj.file.path}: kind Cluster with apiVersion ${obj.apiVersion}: kube-netlint reads kind.x-k8s.io/v1alpha4 and reads this one as such`);
      const net = isRecord(obj.value.networking) ? obj.value.networking : {};
      if (obj.value.networking !== undefined && !isRecord(obj.value.networking)) ctx.notice(obj, `networking should be a map: not read`);
      const ipv6 = net.ipFamily === "ipv6";
      const dual = net.ipFamily === "dual";
      // kind names the cluster at the top level (`name:`), not in metadata.
      const clusterName = typeof obj.value.name === "string" && obj.value.name ? ` ${obj.value.name}` : "";
      const origin = (field: string) => `kind Cluster${clusterName} networking.${field}`;
      const pod = str(net.podSubnet);
      const svc = str(net.serviceSubnet);
      addFacts(f.podCIDRs, pod ?? (ipv6 ? "fd00:10:244::/56" : dual ? "10.244.0.0/16,fd00:10:244::/56" : "10.244.0.0/16"), pod ? locOf(obj, ["networking", "podSubnet"]) : docLoc(obj), pod ? origin("podSubnet") : `kind's default podSubnet (kind Cluster${clusterName})`);
      addFacts(f.serviceCIDRs, svc ?? (ipv6 ? "fd00:10:96::/112" : dual ? "10.96.0.0/16,fd00:10:96::/112" : "10.96.0.0/16"), svc ? locOf(obj, ["networking", "serviceSubnet"]) : docLoc(obj), svc ? origin("serviceSubnet") : `kind's default serviceSubnet (kind Cluster${clusterName})`);
      if (net.disableDefaultCNI !== true) declareCni(ctx, "kindnet", docLoc(obj), "kind's default CNI kindnet");
      // kubeadmConfigPatches: YAML merge patches matched by kind; the ones for kube-proxy and the kubelet are configs of their own.
      const patches = Array.isArray(obj.value.kubeadmConfigPatches) ? obj.value.kubeadmConfigPatches : [];
      patches.forEach((p, i) => {
        if (typeof p !== "string") return;
        for (const inner of ctx.embedded(obj, ["kubeadmConfigPatches", i])) {
          if (inner.kind !== "KubeProxyConfiguration" && inner.kind !== "KubeletConfiguration" && inner.kind !== "ClusterConfiguration") continue;
          const cfg: ComponentConfig = { kind: inner.kind, value: inner.value, object: inner, configMap: null, key: null, locate: inner.locate, rangeAt: inner.rangeAt, node: null, origins: {} };
          if (inner.kind === "KubeProxyConfiguration") ctx.model.kubeProxyConfigs.push(cfg);
          else if (inner.kind === "KubeletConfiguration") ctx.model.kubeletConfigs.push(cfg);
          else {
            cfg.origins = { "networking.podSubnet": `kubeadm ClusterConfiguration patch in kind Cluster${clusterName} networking.podSubnet`, "networking.serviceSubnet": `kubeadm ClusterConfiguration patch in kind Cluster${clusterName} networking.serviceSubnet`, "networking.dnsDomain": `kubeadm ClusterConfiguration patch in kind Cluster${clusterName} networking.dnsDomain` };
            ctx.model.kubeadmConfigs.push(cfg);
          }
        }
      });
    }
  },
};

export default adapter;
