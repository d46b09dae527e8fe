/**
 * CNI plugin types (the binaries a runtime runs for a config's `type`). A JSON object whose `type`
 * is one of these is a CNI config even without cniVersion; `"type": "module"` (package.json) or
 * `"type": "Microsoft.Network/..."` (ARM templates) is not.
 */
export const CNI_PLUGIN_TYPES: ReadonlySet<string> = new Set([
  // containernetworking/plugins (plugins/main, plugins/ipam, plugins/meta), v1.6:
  // https://github.com/containernetworking/plugins/tree/main/plugins
  "bridge", "dummy", "host-device", "ipvlan", "loopback", "macvlan", "ptp", "tap", "vlan", "vrf",
  "host-local", "dhcp", "static", "bandwidth", "firewall", "portmap", "sbr", "tuning",
  "win-bridge", "win-overlay",
  // flannel's CNI plugin: https://github.com/flannel-io/cni-plugin
  "flannel",
  // Calico: https://github.com/projectcalico/calico/tree/master/cni-plugin
  "calico", "calico-ipam",
  // Cilium: https://github.com/cilium/cilium/tree/main/plugins/cilium-cni
  "cilium-cni",
  // Weave Net: https://github.com/weaveworks/weave (prog/weaveutil, plugin names)
  "weave-net", "weave-ipam",
  // Multus: https://github.com/k8snetworkplumbingwg/multus-cni
  "multus", "multus-shim",
  // AWS VPC CNI: https://github.com/aws/amazon-vpc-cni-k8s (cmd/routed-eni-cni-plugin, egress-cni)
  "aws-cni", "egress-cni",
  // Antrea: https://github.com/antrea-io/antrea (cmd/antrea-cni)
  "antrea",
  // Kube-OVN and OVN-Kubernetes: https://github.com/kubeovn/kube-ovn, https://github.com/ovn-org/ovn-kubernetes
  "kube-ovn", "ovn-k8s-cni-overlay",
  // Whereabouts IPAM, SR-IOV, bond: https://github.com/k8snetworkplumbingwg
  "whereabouts", "sriov", "ib-sriov", "bond",
  // Azure CNI: https://github.com/Azure/azure-container-networking (cni/network/plugin)
  "azure-vnet", "azure-vnet-ipam",
  // Windows HNS (sdnbridge/sdnoverlay): https://github.com/microsoft/windows-container-networking
  "sdnbridge", "sdnoverlay", "nat",
  // Service meshes' chained plugins: https://github.com/istio/istio (cni), https://github.com/linkerd/linkerd2-proxy-init
  "istio-cni", "linkerd-cni",
]);
