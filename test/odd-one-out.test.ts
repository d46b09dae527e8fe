/** Blame the odd one out: the finding goes to the source that disagrees with the others, naming who agrees. */
import { describe, expect, it } from "vitest";
import { lintFixture } from "./helpers/lint-fixture.js";

const FACT_RULES = new Set(["kube-proxy/cluster-cidr-mismatch", "cni/subnet-outside-pod-cidr", "cluster/conflicting-facts"]);
const findings = (fixture: string) => lintFixture(`cluster/odd-one-out/${fixture}`).report.results.filter((r) => FACT_RULES.has(r.ruleId));

describe("odd one out", () => {
  it("kubeadm and kube-proxy agree, the Calico pool does not: one error, on the pool, naming both", () => {
    const got = findings("calico-pool-odd");
    expect(got.map((r) => `${r.ruleId} ${r.file}:${r.line} ${r.severity}`)).toEqual(["cni/subnet-outside-pod-cidr calico-node.yaml:21 error"]);
    expect(got[0]!.message).toMatch(/192\.168\.0\.0\/16 is not inside the cluster pod CIDR 10\.244\.0\.0\/16 stated by kubeadm ClusterConfiguration networking\.podSubnet \(kubeadm-config\.yaml:6\) and kube-proxy clusterCIDR \(kube-proxy\.yaml:11\)/);
    expect(got[0]!.related!.map((r) => `${r.file}:${r.line}`)).toEqual(["kubeadm-config.yaml:6", "kube-proxy.yaml:11"]);
  });
  it("kube-proxy and the Calico pool agree, kubeadm does not: the error is on kubeadm's podSubnet", () => {
    const got = findings("kubeadm-odd");
    expect(got.map((r) => `${r.ruleId} ${r.file}:${r.line}`)).toEqual(["cluster/conflicting-facts kubeadm-config.yaml:6"]);
    expect(got[0]!.message).toMatch(/podSubnet 10\.244\.0\.0\/16 differs from the pod CIDR 192\.168\.0\.0\/16 stated by Calico CALICO_IPV4POOL_CIDR .* and kube-proxy clusterCIDR \(kube-proxy\.yaml:11\)/);
  });
  it("two against the most authoritative source: the majority wins", () => {
    const got = findings("outvoted-authority");
    expect(got.map((r) => `${r.ruleId} ${r.file}:${r.line}`)).toEqual(["cluster/conflicting-facts kubeadm-config.yaml:6"]);
    expect(got[0]!.message).toMatch(/stated by kube-controller-manager --cluster-cidr \(etc\/kubernetes\/manifests\/kube-controller-manager\.yaml:23\) and kube-proxy clusterCIDR/);
  });
  it("one against one: the authoritative source decides, and the message says so", () => {
    const got = findings("tie-kube-proxy-loses");
    expect(got.map((r) => `${r.ruleId} ${r.file}:${r.line}`)).toEqual(["kube-proxy/cluster-cidr-mismatch kube-proxy.yaml:11"]);
    expect(got[0]!.message).toMatch(/differs from the pod CIDR 10\.244\.0\.0\/16 stated by flannel net-conf\.json Network \(ConfigMap kube-flannel-cfg\) \(kube-flannel-cfg\.yaml:9\) \(a tie: as many sources state another value, and the more authoritative source decides\)/);
  });
  it("all sources agree: nothing", () => {
    expect(findings("healthy")).toEqual([]);
  });
});
