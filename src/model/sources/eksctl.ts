/**
 * eksctl `eksctl.io/v1alpha5` ClusterConfig (eksctl-io/eksctl pkg/apis/eksctl.io/v1alpha5/types.go):
 * kubernetesNetworkConfig.serviceIPv4CIDR, nodeGroups[] / managedNodeGroups[] clusterDNS. Pods get VPC
 * addresses (the AWS VPC CNI): no pod CIDR. Without serviceIPv4CIDR EKS picks 10.100.0.0/16 or
 * 172.20.0.0/16 depending on the VPC, so no default is assumed.
 */
import { addFacts, declareCni, derivedConfig, docLoc, isRecord, label, locOf, pathValue, str } from "./lib.js";
import type { SourceAdapter } from "./types.js";

const adapter: SourceAdapter = {
  name: "eksctl",
  kinds: ["ClusterConfig"],
  kindFilter: /eksctl\.io/,
  accepts: (obj) => obj.kind === "ClusterConfig" && /^eksctl\.io\//.test(obj.apiVersion),
  collect(ctx) {
    const f = ctx.facts;
    for (const obj of ctx.docs) {
      if (obj.apiVersion !== "eksctl.io/v1alpha5") ctx.notice(obj, `eksctl ClusterConfig with apiVersion ${obj.apiVersion}: kube-netlint knows v1alpha5 and reads it as such`);
      const name = label(obj);
      const svc = str(pathValue(obj.value, ["kubernetesNetworkConfig", "serviceIPv4CIDR"]));
      if (svc) addFacts(f.serviceCIDRs, svc, locOf(obj, ["kubernetesNetworkConfig", "serviceIPv4CIDR"]), `eksctl ${name} kubernetesNetworkConfig.serviceIPv4CIDR`);
      for (const group of ["nodeGroups", "managedNodeGroups"]) {
        const list = obj.value[group];
        if (!Array.isArray(list)) continue;
        list.forEach((ng, i) => {
          if (!isRecord(ng) || !str(ng.clusterDNS)) return;
          const cfg = derivedConfig("KubeletConfiguration", obj, { clusterDNS: { value: [str(ng.clusterDNS)], loc: locOf(obj, [group, i, "clusterDNS"]), origin: `eksctl ${name} ${group}[${i}].clusterDNS` } });
          if (cfg) ctx.model.kubeletConfigs.push(cfg);
        });
      }
      declareCni(ctx, "aws-vpc-cni", docLoc(obj), "EKS's default CNI, the AWS VPC CNI");
    }
  },
};

export default adapter;
