/** The kubelet and cluster-wide packs: rule tables over fixtures, and the real corpus. */
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runLint } from "../src/engine/lint.js";
import { kubeletPackRules } from "../src/rules/kubelet/pack.js";
import { clusterPackRules } from "../src/rules/cluster/pack.js";
import { ROOT, lintFixture } from "./helpers/lint-fixture.js";
import { runRuleTable, type RuleCase } from "./helpers/rule-table.js";

const table: Record<string, RuleCase[]> = {
  "kubelet/invalid-config": [
    {
      fixture: "kubelet/invalid-config/invalid-values",
      expect: [
        { file: "var/lib/kubelet/config.yaml", line: 15, column: 3, field: "clusterDNS[1]", message: /clusterDNS\[1\] "kube-dns\.kube-system\.svc" is not an IP address: the kubelet logs "Invalid clusterDNS IP" and drops it$/ },
        { file: "var/lib/kubelet/config.yaml", line: 17, column: 14, field: "hairpinMode", message: /option "promiscuous" specified for hairpinMode/ },
        { file: "var/lib/kubelet/config.yaml", line: 19, column: 3, field: "featureGates", message: /unrecognized feature gate: NodeSwapp \(did you mean "NodeSwap"\?\)/ },
        { file: "var/lib/kubelet/config.yaml", line: 20, column: 10, field: "maxPods", message: /maxPods must be an integer .* got "110": the kubelet cannot decode its config file and does not start/ },
      ],
    },
    { fixture: "kubelet/invalid-config/invalid-configmap", expect: [{ file: "kubelet-config.yaml", line: 14, column: 28, field: "iptablesMasqueradeBit", message: /iptablesMasqueradeBit \(--iptables-masquerade-bit\) 32 must be between 0 and 31/ }] },
    { fixture: "kubelet/invalid-config/invalid-json", expect: [{ file: "kubelet-config.json", line: 10, column: 18, field: "clusterDNS[0]", message: /"10\.100\.0\.10:53" is not an IP address.*\(no port is allowed\); no usable clusterDNS address is left/ }] },
    { fixture: "kubelet/invalid-config/valid", expect: [] },
    { fixture: "kubelet/unknown-field/invalid-resolver-config", expect: [] },
  ],
  "kubelet/unknown-field": [
    {
      fixture: "kubelet/unknown-field/invalid-resolver-config",
      expect: [
        { file: "var/lib/kubelet/config.yaml", line: 4, column: 1, severity: "warning", field: "ResolverConfig", message: /unknown field "ResolverConfig".*did you mean "resolvConf"\?.*keeps the default resolvConf \/etc\/resolv\.conf/ },
        { file: "var/lib/kubelet/config.yaml", line: 7, column: 5, severity: "warning", field: "authentication.webhook.enable", message: /unknown field "enable" in authentication\.webhook.*did you mean "enabled"\?/ },
      ],
    },
    { fixture: "kubelet/unknown-field/invalid-json", expect: [{ file: "kubelet-config.json", line: 6, column: 3, severity: "warning", field: "networkPlugin", message: /unknown field "networkPlugin".*removed with dockershim in 1\.24/ }] },
    { fixture: "kubelet/unknown-field/valid", expect: [] },
  ],
  "kubelet/resolv-conf-loopback": [
    { fixture: "kubelet/resolv-conf-loopback/invalid-snapshot-config", expect: [{ file: "nodes/node-1/var/lib/kubelet/config.yaml", line: 7, column: 13, field: "resolvConf", message: /resolvConf \/etc\/resolv\.conf: node-1's \/etc\/resolv\.conf \(nodes\/node-1\/etc\/resolv\.conf:3\) names the loopback nameserver 127\.0\.0\.53/ }] },
    { fixture: "kubelet/resolv-conf-loopback/invalid-flag", expect: [{ file: "nodes/worker-a/var/lib/kubelet/kubeadm-flags.env", line: 1, column: 160, message: /--resolv-conf \/etc\/resolv\.conf: worker-a's \/etc\/resolv\.conf .* names the loopback nameserver 127\.0\.0\.1/ }] },
    { fixture: "kubelet/resolv-conf-loopback/invalid-default", expect: [{ file: "nodes/node-2/var/lib/kubelet/config.yaml", line: 2, column: 7, field: "resolvConf", message: /resolvConf is not set, so the kubelet uses \/etc\/resolv\.conf: node-2's/ }] },
    { fixture: "kubelet/resolv-conf-loopback/invalid-no-kubelet-config", expect: [{ file: "nodes/node-3/etc/resolv.conf", line: 2, column: 12, message: /nameserver 127\.0\.0\.53 is loopback, and node-3's kubelet hands \/etc\/resolv\.conf/ }] },
    { fixture: "kubelet/resolv-conf-loopback/invalid-standalone", expect: [{ file: "node-resolv.conf", line: 3, column: 12, message: /nameserver 127\.0\.0\.53 is a loopback address/ }] },
    { fixture: "kubelet/resolv-conf-loopback/invalid-standalone-default", expect: [{ file: "etc-resolv.conf", line: 3, column: 12, message: /nameserver 127\.0\.0\.53 is a loopback address/ }] },
    { fixture: "kubelet/resolv-conf-loopback/valid", expect: [] },
    { fixture: "kubelet/resolv-conf-loopback/valid-standalone-not-used", expect: [] },
  ],
  "kubelet/removed-flag": [
    { fixture: "kubelet/removed-flag/invalid-kubeadm-flags", expect: [{ file: "nodes/worker-1/var/lib/kubelet/kubeadm-flags.env", line: 1, column: 118, message: /--network-plugin was removed with dockershim in 1\.24.*kubelet 1\.24 \(node worker-1's kubeletVersion\) exits at start with "unknown flag: --network-plugin"/ }] },
    {
      fixture: "kubelet/removed-flag/invalid-dropin",
      expect: [
        // Three findings on one line: the table matches rows by file and line, the columns are asserted below.
        { file: "etc/systemd/system/kubelet.service.d/10-kubeadm.conf", line: 5, column: 35, message: /^--network-plugin was removed.*a current kubelet/ },
        { file: "etc/systemd/system/kubelet.service.d/10-kubeadm.conf", line: 5 },
        { file: "etc/systemd/system/kubelet.service.d/10-kubeadm.conf", line: 5 },
      ],
    },
    { fixture: "kubelet/removed-flag/invalid-facts-version", expect: [{ file: "var/lib/kubelet/kubeadm-flags.env", line: 1, column: 23, message: /^--container-runtime was removed in 1\.27.*kubelet 1\.27 \(facts\.kubernetesVersion\)/ }] },
    { fixture: "kubelet/removed-flag/valid-old-kubelet", expect: [] },
    { fixture: "kubelet/removed-flag/valid-facts-version", expect: [] },
    { fixture: "kubelet/removed-flag/valid", expect: [] },
  ],
  "kubelet/cluster-dns-mismatch": [
    { fixture: "kubelet/cluster-dns-mismatch/invalid-service-ip", expect: [{ file: "var/lib/kubelet/config.yaml", line: 5, column: 3, field: "clusterDNS[0]", message: /clusterDNS 10\.96\.0\.100 is not the kube-dns Service's clusterIP 10\.96\.0\.10 \(kube-dns-service\.yaml:12\)/ }] },
    { fixture: "kubelet/cluster-dns-mismatch/invalid-outside-service-cidr", expect: [{ file: "nodes/worker-1/var/lib/kubelet/kubeadm-flags.env", line: 1, column: 105, message: /clusterDNS 10\.96\.0\.10 lies outside the service CIDR 10\.100\.0\.0\/16 \(kubeadm ClusterConfiguration networking\.serviceSubnet \(kubeadm-config\.yaml:6\)\)/ }] },
    { fixture: "kubelet/cluster-dns-mismatch/invalid-link-local-without-nodelocal", expect: [{ file: "var/lib/kubelet/config.yaml", line: 5, column: 3, message: /169\.254\.20\.10 \(a NodeLocal DNSCache address, but no node-local-dns DaemonSet or ConfigMap is in the input\)/ }] },
    { fixture: "kubelet/cluster-dns-mismatch/invalid-dual-stack", expect: [{ file: "var/lib/kubelet/config.yaml", line: 6, column: 3, field: "clusterDNS[1]", message: /clusterDNS fd00:10:96::10 is not the kube-dns Service's clusterIP fd00:10:96::a \(kube-dns-service\.yaml:15\)/ }] },
    { fixture: "kubelet/cluster-dns-mismatch/invalid-facts", expect: [{ file: "var/lib/kubelet/config.yaml", line: 5, column: 3, message: /differs from the cluster DNS address 10\.32\.0\.10 that facts\.clusterDNS in the config file states and lies outside the service CIDR 10\.32\.0\.0\/12/ }] },
    { fixture: "kubelet/cluster-dns-mismatch/two-clusters", expect: [{ file: "clusters/staging/kubelet-config.yaml", line: 5, message: /clusterIP 10\.32\.0\.10 \(clusters\/staging\/kube-dns-service\.yaml:12\)/ }] },
    { fixture: "kubelet/cluster-dns-mismatch/valid", expect: [] },
    { fixture: "kubelet/cluster-dns-mismatch/valid-nodelocal", expect: [] },
    { fixture: "kubelet/cluster-dns-mismatch/valid-redacted", expect: [] },
  ],
  "kubelet/cluster-domain-mismatch": [
    { fixture: "kubelet/cluster-domain-mismatch/invalid-corefile-zone", expect: [{ file: "var/lib/kubelet/config.yaml", line: 6, column: 16, field: "clusterDomain", message: /clusterDomain k8s\.example\.com is not a zone of CoreDNS's kubernetes plugin \(cluster\.local in-addr\.arpa ip6\.arpa at coredns\.yaml:14\)/ }] },
    { fixture: "kubelet/cluster-domain-mismatch/invalid-kubeadm-dnsdomain", expect: [{ file: "nodes/worker-1/var/lib/kubelet/kubeadm-flags.env", line: 1, column: 133, message: /clusterDomain cluster\.lokal differs from kubeadm's networking\.dnsDomain cluster\.local \(kubeadm-config\.yaml:5\)/ }] },
    { fixture: "kubelet/cluster-domain-mismatch/valid", expect: [] },
    // The odd one out: kubeadm and the kubelet agree, the Corefile does not (and the other way round).
    { fixture: "kubelet/cluster-domain-mismatch/invalid-corefile-odd", expect: [{ file: "coredns.yaml", line: 14, column: 20, message: /serves cluster\.local in-addr\.arpa ip6\.arpa, but the cluster domain is k8s\.example\.com: kubeadm's networking\.dnsDomain \(kubeadm-config\.yaml:5\) and the kubelet's clusterDomain \(var\/lib\/kubelet\/config\.yaml:6\) say so/ }] },
    { fixture: "kubelet/cluster-domain-mismatch/invalid-kubeadm-odd", expect: [{ file: "kubeadm-config.yaml", line: 5, column: 14, message: /dnsDomain cluster\.local differs from the cluster domain k8s\.example\.com that CoreDNS's kubernetes zone \(coredns\.yaml:14\) and the kubelet's clusterDomain/ }] },
  ],
  "cluster/cidr-overlap": [
    { fixture: "cluster/cidr-overlap/invalid-pod-service", expect: [{ file: "kubeadm-config.yaml", line: 5, column: 14, message: /the pod CIDR 10\.96\.0\.0\/16 \(kubeadm ClusterConfiguration networking\.podSubnet\) overlaps the service CIDR 10\.96\.0\.0\/12/ }] },
    { fixture: "cluster/cidr-overlap/invalid-node-address", expect: [{ file: "nodes/cp-1/etc/kubernetes/manifests/kube-controller-manager.yaml", line: 23, column: 22, message: /the pod CIDR 10\.244\.0\.0\/16 \(kube-controller-manager --cluster-cidr\) holds the InternalIP of node cp-1 10\.244\.0\.5 \(resources\/nodes\.yaml:14\)/ }] },
    { fixture: "cluster/cidr-overlap/invalid-bridge-service", expect: [{ file: "etc/cni/net.d/10-bridge.conflist", line: 12, column: 33, message: /hands pods addresses from 10\.96\.10\.0\/24, which overlaps the service CIDR 10\.96\.0\.0\/12/ }] },
    { fixture: "cluster/cidr-overlap/valid", expect: [] },
    { fixture: "cluster/conflicting-facts/valid", expect: [] },
  ],
  "cluster/conflicting-facts": [
    { fixture: "cluster/conflicting-facts/invalid-kubeadm-vs-kcm", expect: [{ file: "etc/kubernetes/manifests/kube-controller-manager.yaml", line: 23, column: 22, message: /kube-controller-manager --cluster-cidr 10\.245\.0\.0\/16 differs from the pod CIDR 10\.244\.0\.0\/16 stated by kubeadm ClusterConfiguration networking\.podSubnet \(kubeadm-config\.yaml:5\)/ }] },
    { fixture: "cluster/conflicting-facts/invalid-service-range", expect: [{ file: "etc/kubernetes/manifests/kube-controller-manager.yaml", line: 24, column: 34, message: /--service-cluster-ip-range 10\.97\.0\.0\/16 differs from the service CIDR 10\.96\.0\.0\/12 stated by kube-apiserver --service-cluster-ip-range/ }] },
    // flannel's Network against the pod CIDR is cni/subnet-outside-pod-cidr's finding (test/rules-cni.test.ts), not a second one here.
    { fixture: "cluster/conflicting-facts/invalid-flannel-configmap", expect: [] },
    { fixture: "cluster/conflicting-facts/invalid-flannel-standalone", expect: [] },
    { fixture: "cluster/conflicting-facts/invalid-node-podcidr", expect: [{ file: "resources/nodes.yaml", line: 28, column: 7, message: /Node worker-2 spec\.podCIDRs 10\.85\.1\.0\/24 is not inside the pod CIDR 10\.244\.0\.0\/16/ }] },
    { fixture: "kube-proxy/cluster-cidr-mismatch/invalid-node-podcidr", expect: [{ file: "nodes.yaml", line: 17, column: 5, message: /Node worker-2 spec\.podCIDRs 10\.85\.1\.0\/24 is not inside the pod CIDR 10\.244\.0\.0\/16 stated by Node worker-1 spec\.podCIDRs \(nodes\.yaml:8\) and kube-proxy clusterCIDR \(kube-proxy\.yaml:13\)/ }] },
    { fixture: "cluster/conflicting-facts/two-clusters", expect: [{ file: "clusters/staging/etc/kubernetes/manifests/kube-controller-manager.yaml", line: 23, message: /10\.101\.0\.0\/16 differs from the pod CIDR 10\.100\.0\.0\/16 stated by .*clusters\/staging\/kubeadm-config\.yaml:5/ }] },
    { fixture: "cluster/conflicting-facts/valid", expect: [] },
  ],
  "cluster/service-cidr-size": [
    { fixture: "cluster/service-cidr-size/invalid-service-range", expect: [{ file: "kubeadm-config.yaml", line: 6, column: 18, message: /the service range 10\.0\.0\.0\/8 .* has 24 host bits, more than 20/ }] },
    { fixture: "cluster/service-cidr-size/invalid-kubeadm-node-mask", expect: [{ file: "kubeadm-config.yaml", line: 5, column: 14, message: /"the size of pod subnet with mask 25 is smaller than the size of node subnet with mask 24"/ }] },
    { fixture: "cluster/service-cidr-size/invalid-kubeadm-extra-args", expect: [{ file: "kubeadm-config.yaml", line: 5, column: 14, message: /node-cidr-mask-size-ipv4, kubeadm-config\.yaml:10.*"pod subnet mask \(7\) and node-mask \(24\) difference is greater than 16"/ }] },
    { fixture: "cluster/service-cidr-size/invalid-kcm-dual-stack-mask", expect: [{ file: "etc/kubernetes/manifests/kube-controller-manager.yaml", line: 24, column: 29, message: /usage of --node-cidr-mask-size is not allowed with dual-stack clusters/ }] },
    { fixture: "cluster/service-cidr-size/invalid-kcm-ipv6-diff", expect: [{ file: "etc/kubernetes/manifests/kube-controller-manager.yaml", line: 23, column: 22, message: /the node CIDR mask \/64 \(the controller manager's default for IPv6\) does not fit the pod CIDR fd00:244::\/40/ }] },
    { fixture: "cluster/service-cidr-size/valid", expect: [] },
    { fixture: "cluster/service-cidr-size/valid-no-allocation", expect: [] },
  ],
};

describe("the packs register their rules", () => {
  it("kubelet and cluster packs hold the rules of RULES.md", () => {
    expect(kubeletPackRules.map((r) => r.meta.id)).toEqual([
      "kubelet/invalid-config", "kubelet/unknown-field", "kubelet/resolv-conf-loopback", "kubelet/removed-flag", "kubelet/cluster-dns-mismatch", "kubelet/cluster-domain-mismatch",
    ]);
    expect(clusterPackRules.map((r) => r.meta.id)).toEqual(["cluster/cidr-overlap", "cluster/conflicting-facts", "cluster/service-cidr-size"]);
    expect([...kubeletPackRules, ...clusterPackRules].filter((r) => r.meta.severity === "warning").map((r) => r.meta.id)).toEqual(["kubelet/unknown-field"]);
  });
});

runRuleTable(table);

describe("kubelet/removed-flag: several removed flags on one drop-in line", () => {
  it("reports each at its own column", () => {
    const { report } = lintFixture("kubelet/removed-flag/invalid-dropin");
    const got = report.results.filter((r) => r.ruleId === "kubelet/removed-flag");
    expect(got.map((r) => `${r.line}:${r.column}-${r.endColumn} ${/^--([a-z-]+)/.exec(r.message)?.[1]}`)).toEqual([
      "5:35-55 network-plugin",
      "5:56-85 cni-conf-dir",
      "5:86-112 cni-bin-dir",
    ]);
  });
});

const REAL = path.resolve(ROOT, "../shared/corpus/real");
const present = existsSync(REAL);
if (!present) console.warn(`note: ${REAL} is missing: the real-corpus tests of the kubelet and cluster packs are skipped`);

const OURS = new Set([...kubeletPackRules, ...clusterPackRules].map((r) => r.meta.id));

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe.skipIf(!present)("corpus/real with the kubelet and cluster packs", () => {
  const upstreamDirs = ["coredns", "cni", "kube-proxy", "kubelet", "kubeadm", "manifests-bundles", "snapshots"];

  it("upstream directories that PROVENANCE.md does not call broken get no error from these rules", () => {
    for (const dir of upstreamDirs) {
      const run = runLint([dir], { cwd: REAL, config: null });
      const errors = run.report.results.filter((r) => r.severity === "error" && OURS.has(r.ruleId));
      expect(errors.map((e) => `${e.file}:${e.line} ${e.ruleId}`), dir).toEqual([]);
    }
  });

  it("each upstream file linted on its own gets no error from these rules", () => {
    for (const dir of upstreamDirs) {
      for (const abs of filesUnder(path.join(REAL, dir))) {
        const rel = path.relative(REAL, abs);
        const run = runLint([rel], { cwd: REAL, config: null });
        const errors = run.report.results.filter((r) => r.severity === "error" && OURS.has(r.ruleId));
        expect(errors.map((e) => `${e.file}:${e.line} ${e.ruleId}`), rel).toEqual([]);
      }
    }
  });

  const lintBroken = (name: string) => runLint([`broken-from-issues/${name}`], { cwd: REAL, config: null }).report.results.filter((r) => OURS.has(r.ruleId));

  it("the kubeadm 1.4 drop-in: --network-plugin and the other removed flags (issue kubernetes/kubernetes#36135)", () => {
    const got = lintBroken("kubelet-10-kubeadm.conf-cluster-dns-mismatch").filter((r) => r.ruleId === "kubelet/removed-flag");
    expect(got.map((r) => `${r.line}:${r.column} ${/^--([a-z-]+)/.exec(r.message)?.[1]}`)).toEqual([
      "2:80 require-kubeconfig", "3:85 allow-privileged", "4:35 network-plugin", "4:56 cni-conf-dir", "4:86 cni-bin-dir",
    ]);
    expect(got.every((r) => r.severity === "error")).toBe(true);
  });

  it("clusterDNS outside the service CIDR (kubernetes/kubernetes#69487)", () => {
    const got = lintBroken("kubelet-clusterDNS-outside-service-cidr");
    expect(got.map((r) => `${r.ruleId} ${r.file}:${r.line}`)).toEqual(["kubelet/cluster-dns-mismatch broken-from-issues/kubelet-clusterDNS-outside-service-cidr/var-lib-kubelet-config.yaml:6"]);
    expect(got[0]!.message).toMatch(/clusterDNS 10\.96\.0\.10 lies outside the service CIDR 172\.168\.0\.0\/22/);
  });

  it("ResolverConfig is an unknown field, resolvConf suggested (coredns/coredns#2790)", () => {
    const got = lintBroken("kubelet-config-ResolverConfig-wrong-key.yaml");
    expect(got.map((r) => `${r.ruleId} ${r.line}:${r.column} ${r.severity}`)).toEqual(["kubelet/unknown-field 6:1 warning"]);
    expect(got[0]!.message).toMatch(/did you mean "resolvConf"/);
  });

  it("a systemd-resolved stub resolv.conf on its own (coredns/coredns#6321)", () => {
    const got = lintBroken("node-etc-resolv.conf-systemd-resolved-stub");
    expect(got.map((r) => `${r.ruleId} ${r.line}:${r.column} ${r.severity}`)).toEqual(["kubelet/resolv-conf-loopback 22:12 error"]);
    expect(got[0]!.message).toMatch(/127\.0\.0\.53/);
  });

  it("flannel Network vs kubeadm podSubnet (flannel-io/flannel#1428) is left to cni/subnet-outside-pod-cidr", () => {
    expect(lintBroken("flannel-network-vs-kubeadm-podsubnet-mismatch")).toEqual([]);
  });
});
