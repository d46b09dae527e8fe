/**
 * kops `kops.k8s.io` Cluster: podCIDR, serviceClusterIPRange and nonMasqueradeCIDR at `spec`
 * (v1alpha2) or `spec.networking` (v1alpha3), kubeProxy.clusterCIDR, kubelet.clusterDNS,
 * kubeDNS.{serverIP, domain}, clusterDNSDomain, and the CNI as `networking.<name>: {}`. Defaults
 * (kubernetes/kops upup/pkg/fi/cloudup/populate_cluster_spec.go) only for the default
 * nonMasqueradeCIDR 100.64.0.0/10: pods 100.96.0.0/11, services 100.64.0.0/13.
 */
import { addFacts, declareCni, derivedConfig, docLoc, isRecord, label, locOf, pathValue, str } from "./lib.js";
import type { SourceAdapter } from "./types.js";

const CNI: Record<string, string> = { calico: "calico", cilium: "cilium", canal: "canal", flannel: "flannel", weave: "weave", kubenet: "bridge", amazonvpc: "aws-vpc-cni", kuberouter: "kube-router" };

const adapter: SourceAdapter = {
  name: "kops",
  kinds: ["Cluster"],
  kindFilter: /kops\.k8s\.io/,
  accepts: (obj) => obj.kind === "Cluster" && /^kops\.k8s\.io\//.test(obj.apiVersion),
  collect(ctx) {
    const f = ctx.facts;
    for (const obj of ctx.docs) {
      if (!/\/(v1alpha2|v1alpha3)$/.test(obj.apiVersion)) ctx.notice(obj, `kops Cluster with apiVersion ${obj.apiVersion}: kube-netlint knows v1alpha2 and v1alpha3 and reads it as such`);
      const spec = isRecord(obj.value.spec) ? obj.value.spec : {};
      const name = label(obj);
      // v1alpha3 moved the ranges under spec.networking.
      const field = (key: string) => (str(pathValue(spec, ["networking", key])) !== undefined ? ["spec", "networking", key] : ["spec", key]);
      const get = (key: string) => str(pathValue(obj.value, field(key)));
      const nonMasq = get("nonMasqueradeCIDR");
      const defaults = nonMasq === undefined || nonMasq === "100.64.0.0/10";
      for (const [key, list, def] of [["podCIDR", f.podCIDRs, "100.96.0.0/11"], ["serviceClusterIPRange", f.serviceCIDRs, "100.64.0.0/13"]] as const) {
        const v = get(key);
        if (v !== undefined) addFacts(list, v, locOf(obj, field(key)), `kops ${name} ${field(key).join(".")}`);
        else if (defaults) addFacts(list, def, docLoc(obj), `kops's default ${key} ${def} (${name} sets no ${key}${nonMasq ? "" : " or nonMasqueradeCIDR"})`);
      }
      const serverIP = str(pathValue(spec, ["kubeDNS", "serverIP"]));
      if (serverIP) addFacts(f.clusterDNS, serverIP, locOf(obj, ["spec", "kubeDNS", "serverIP"]), `kops ${name} spec.kubeDNS.serverIP`);
      const domain = str(pathValue(spec, ["kubeDNS", "domain"])) ? ["spec", "kubeDNS", "domain"] : str(spec.clusterDNSDomain) ? ["spec", "clusterDNSDomain"] : null;
      if (domain) addFacts(f.clusterDomain, pathValue(obj.value, domain), locOf(obj, domain), `kops ${name} ${domain.join(".")}`);
      const proxyCidr = str(pathValue(spec, ["kubeProxy", "clusterCIDR"]));
      if (proxyCidr) {
        const cfg = derivedConfig("KubeProxyConfiguration", obj, { clusterCIDR: { value: proxyCidr, loc: locOf(obj, ["spec", "kubeProxy", "clusterCIDR"]), origin: `kops ${name} spec.kubeProxy.clusterCIDR` } });
        if (cfg) ctx.model.kubeProxyConfigs.push(cfg);
      }
      const kubeletDns = str(pathValue(spec, ["kubelet", "clusterDNS"]));
      const kubeletDomain = str(pathValue(spec, ["kubelet", "clusterDomain"]));
      const kubelet = derivedConfig("KubeletConfiguration", obj, {
        clusterDNS: kubeletDns ? { value: kubeletDns.split(","), loc: locOf(obj, ["spec", "kubelet", "clusterDNS"]), origin: `kops ${name} spec.kubelet.clusterDNS` } : undefined,
        clusterDomain: kubeletDomain ? { value: kubeletDomain, loc: locOf(obj, ["spec", "kubelet", "clusterDomain"]), origin: `kops ${name} spec.kubelet.clusterDomain` } : undefined,
      });
      if (kubelet) ctx.model.kubeletConfigs.push(kubelet);
      const net = pathValue(spec, ["networking"]);
      if (isRecord(net)) {
        for (const key of Object.keys(net)) if (CNI[key]) declareCni(ctx, CNI[key]!, locOf(obj, ["spec", "networking", key], ), `kops ${name} spec.networking.${key}`);
      }
    }
  },
};

export default adapter;
