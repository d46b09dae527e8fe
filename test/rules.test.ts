/** The headline rules' tables (the packs have their own test files), suppressions and fixes. */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { RULES } from "../src/rules/index.js";
import { lintFixture } from "./helpers/lint-fixture.js";
import { runRuleTable, type RuleCase } from "./helpers/rule-table.js";

const table: Record<string, RuleCase[]> = {
  "yaml/syntax": [
    { fixture: "yaml/syntax/invalid-second-document", expect: [{ file: "manifests.yaml", line: 34, column: 13, message: /this \{ \(flow mapping\) is never closed/ }] },
    { fixture: "yaml/syntax/invalid-embedded-config", expect: [{ file: "kube-proxy.yaml", line: 13, column: 5, message: /the document in ConfigMap kube-proxy key config\.conf does not parse/ }] },
    { fixture: "yaml/syntax/valid", expect: [] },
  ],
  "coredns/corefile-syntax": [
    { fixture: "coredns/corefile-syntax/invalid-unterminated-quote", expect: [{ file: "Corefile", line: 7, column: 18, message: /Unexpected EOF/ }] },
    { fixture: "coredns/corefile-syntax/invalid-nested-server-block", expect: [{ file: "coredns.yaml", line: 14, column: 9, message: /Unknown directive 'example\.org:53'/ }] },
    { fixture: "coredns/corefile-syntax/invalid-json-configmap", expect: [{ file: "coredns.json", line: 9, column: 122, message: /Corefile:6 - Error during parsing: Unexpected '}'/ }] },
    { fixture: "coredns/corefile-syntax/valid", expect: [] },
  ],
  "coredns/pods-insecure-missing": [
    { fixture: "coredns/pods-insecure-missing/invalid-no-pods", expect: [{ file: "coredns.yaml", line: 14, column: 9, severity: "warning" }] },
    { fixture: "coredns/pods-insecure-missing/invalid-autopath", expect: [{ file: "Corefile", line: 4, column: 5, severity: "error", message: /autopath needs `pods verified`/ }] },
    { fixture: "coredns/pods-insecure-missing/valid", expect: [] },
    { fixture: "yaml/syntax/invalid-second-document", expect: [{ file: "manifests.yaml", line: 14 }] },
  ],
  "coredns/forward-loop": [
    { fixture: "coredns/forward-loop/invalid-loopback", expect: [{ file: "coredns.yaml", line: 20, column: 19, message: /127\.0\.0\.1:5353/ }] },
    { fixture: "coredns/forward-loop/invalid-kube-dns-ip", expect: [{ file: "coredns.yaml", line: 20, column: 19, message: /cluster DNS Service/ }] },
    { fixture: "coredns/forward-loop/invalid-snapshot-systemd-resolved", expect: [{ file: "resources/coredns.yaml", line: 20, column: 9, message: /127\.0\.0\.53 \(node-1's \/etc\/resolv\.conf/ }] },
    { fixture: "coredns/forward-loop/invalid-kubeadm-flags-resolv-conf", expect: [{ file: "resources/coredns.yaml", line: 20, message: /127\.0\.0\.1 \(worker-a's/ }] },
    { fixture: "coredns/forward-loop/invalid-cluster-first", expect: [{ file: "coredns.yaml", line: 20, message: /dnsPolicy is ClusterFirst/ }] },
    { fixture: "coredns/forward-loop/valid", expect: [] },
    { fixture: "coredns/forward-loop/valid-snapshot-kubelet-resolvconf", expect: [] },
    { fixture: "coredns/forward-loop/valid-host-network-node-cache", expect: [] },
  ],
  "cni/invalid-json": [
    { fixture: "cni/invalid-json/invalid-trailing-comma", expect: [{ file: "etc/cni/net.d/10-flannel.conflist", line: 16, column: 7 }] },
    { fixture: "cni/invalid-json/invalid-bom", expect: [{ file: "etc/cni/net.d/10-flannel.conflist", line: 1, column: 1 }] },
    { fixture: "cni/invalid-json/invalid-loose-comments", expect: [{ file: "cni-config.conflist", line: 3, column: 3 }] },
    { fixture: "cni/no-network/valid", expect: [{ file: "etc/cni/net.d/99-broken-but-never-read.conflist", line: 2, column: 1 }] },
    { fixture: "cni/invalid-json/valid", expect: [] },
  ],
  "cni/invalid-config": [
    { fixture: "cni/invalid-config/invalid-conf-holding-list", expect: [{ file: "etc/cni/net.d/10-flannel.conf", line: 1, message: /name it \.conflist/ }] },
    { fixture: "cni/invalid-config/invalid-plugin-without-type", expect: [{ file: "etc/cni/net.d/10-flannel.conflist", line: 12, field: "plugins[1].type" }] },
    { fixture: "cni/invalid-config/invalid-disablecheck-string", expect: [{ file: "etc/cni/net.d/10-flannel.conflist", line: 4, column: 19 }] },
    { fixture: "cni/invalid-config/valid", expect: [] },
  ],
  "cni/no-network": [
    { fixture: "cni/no-network/invalid-first-broken", expect: [{ file: "etc/cni/net.d/00-multus.conf", line: 1, severity: "error", message: /although 10-flannel\.conflist is valid/ }] },
    { fixture: "cni/no-network/invalid-only-ignored", expect: [{ file: "etc/cni/net.d", line: 1, message: /10-flannel\.conflist\.bak looks like CNI config/ }] },
    { fixture: "cni/no-network/cri-o-skips", expect: [{ file: "etc/cni/net.d/00-multus.conf", line: 1, severity: "warning", message: /CRI-O skips 00-multus\.conf/ }] },
    { fixture: "cni/no-network/valid", expect: [] },
    // A directory with a flannel manifest (its ConfigMap carries cni-conf.json) is not a conf dir.
    { fixture: "cluster/conflicting-facts/invalid-flannel-configmap", expect: [] },
  ],
  "cni/conf-shadowed": [
    { fixture: "cni/conf-shadowed/invalid-containerd-sample", expect: [{ file: "etc/cni/net.d/10-flannel.conflist", line: 2, column: 11, severity: "warning", message: /10-containerd-net\.conflist sorts first/ }] },
    { fixture: "cni/conf-shadowed/invalid-leftover-after-migration", expect: [{ file: "etc/cni/net.d/10-flannel.conflist", line: 2, severity: "error", message: /belongs to calico, but the cluster deploys flannel/ }] },
    { fixture: "cni/conf-shadowed/valid", expect: [] },
    { fixture: "cni/conf-shadowed/valid-chaining", expect: [] },
    // Issue 17 row 14: CRI-O loads every valid config and attaches only the first (its default network).
    { fixture: "cni/conf-shadowed/invalid-crio-podman", expect: [{ file: "etc/cni/net.d/87-podman-bridge.conflist", line: 3, column: 11, severity: "warning", message: /CRI-O \(facts\.containerRuntime\) loads it but gives pods only its default network, the first config that loads, and 10-flannel\.conflist sorts first/ }] },
    { fixture: "cni/conf-shadowed/invalid-containerd-podman", expect: [{ file: "etc/cni/net.d/87-podman-bridge.conflist", line: 3, severity: "warning", message: /containerd \(facts\.containerRuntime; max_conf_num 1\)/ }] },
    { fixture: "cni/conf-shadowed/valid-crio-single", expect: [] },
  ],
  "kube-proxy/cluster-cidr-mismatch": [
    { fixture: "kube-proxy/cluster-cidr-mismatch/invalid-kubeadm", expect: [{ file: "kube-proxy.yaml", line: 13, column: 18, field: "clusterCIDR", message: /10\.224\.0\.0\/16 stated by kubeadm ClusterConfiguration networking\.podSubnet \(kubeadm-config\.yaml:6\)/ }] },
    { fixture: "kube-proxy/cluster-cidr-mismatch/invalid-controller-manager", expect: [{ file: "kube-proxy.yaml", line: 13, message: /kube-controller-manager --cluster-cidr/ }] },
    { fixture: "kube-proxy/cluster-cidr-mismatch/invalid-facts", expect: [{ file: "kube-proxy.yaml", line: 13, message: /facts\.podCIDR/ }] },
    { fixture: "kube-proxy/cluster-cidr-mismatch/invalid-flannel-json-list", expect: [{ file: "kube-proxy.json", line: 13, message: /flannel net-conf\.json Network/ }] },
    // The odd one out is blamed: worker-2's podCIDR (cluster/conflicting-facts), not kube-proxy, which worker-1 agrees with.
    { fixture: "kube-proxy/cluster-cidr-mismatch/invalid-node-podcidr", expect: [] },
    { fixture: "kube-proxy/cluster-cidr-mismatch/warning-node-cidr-mode", expect: [{ file: "kube-proxy.yaml", line: 13, severity: "warning", message: /detectLocalMode NodeCIDR does not use clusterCIDR/ }] },
    // kubeadm and kube-proxy agree on 192.168.0.0/16: the Calico pool is the odd one (cni/subnet-outside-pod-cidr).
    { fixture: "kube-proxy/cluster-cidr-mismatch/invalid-calico-pool", expect: [] },
    { fixture: "kube-proxy/cluster-cidr-mismatch/valid", expect: [] },
    { fixture: "kube-proxy/cluster-cidr-mismatch/valid-dual-stack", expect: [] },
    { fixture: "meta/ambiguous-cluster/invalid", expect: [] },
    { fixture: "meta/ambiguous-cluster/valid", expect: [] },
  ],
  "meta/unused-suppression": [
    { fixture: "meta/unused-suppression/invalid", expect: [{ file: "Corefile", line: 3, column: 5 }] },
    { fixture: "meta/unused-suppression/valid", expect: [] },
  ],
  "meta/ambiguous-cluster": [
    { fixture: "meta/ambiguous-cluster/invalid", expect: [{ file: "staging/kube-proxy.yaml", line: 9 }, { file: "staging/kubeadm-config.yaml", line: 2 }] },
    { fixture: "meta/ambiguous-cluster/valid", expect: [] },
  ],
};

describe("every rule has a failing and a passing case somewhere in the tables", () => {
  const files = readdirSync(path.dirname(fileURLToPath(import.meta.url))).filter((f) => f.endsWith(".test.ts"));
  const text = files.map((f) => readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), f), "utf8")).join("\n");
  for (const rule of RULES) {
    it(rule.meta.id, () => {
      expect(text.includes(`"${rule.meta.id}": [`), `a table for ${rule.meta.id} in test/*.test.ts`).toBe(true);
    });
  }
});

runRuleTable(table);

describe("suppressions", () => {
  it("disable-line and disable-file work, in YAML files and in a ConfigMap's Corefile", () => {
    const { report } = lintFixture("meta/unused-suppression/line-and-file");
    // Line 11 (disable-line) and line 14 (disable-file) are suppressed; the next-line comment on 29 misses line 31.
    const involved = new Set(["coredns/pods-insecure-missing", "coredns/forward-loop", "meta/unused-suppression"]);
    expect(report.results.filter((r) => involved.has(r.ruleId)).map((r) => `${r.ruleId} ${r.file}:${r.line}`)).toEqual([
      "coredns/pods-insecure-missing coredns.yaml:25",
      "meta/unused-suppression coredns.yaml:29",
      "coredns/pods-insecure-missing coredns.yaml:31",
    ]);
    expect(report.summary.suppressed).toBe(2);
  });
  it("a used suppression hides the finding and counts it", () => {
    const { report } = lintFixture("meta/unused-suppression/valid");
    expect(report.results.filter((r) => r.ruleId === "coredns/pods-insecure-missing")).toEqual([]);
    expect(report.summary.suppressed).toBe(1);
  });
});

describe("fixes as data", () => {
  it("pods-insecure-missing carries an edit that inserts `pods insecure` into the ConfigMap's block scalar", () => {
    const { report, clusters } = lintFixture("coredns/pods-insecure-missing/invalid-no-pods");
    const f = report.results.find((r) => r.ruleId === "coredns/pods-insecure-missing")!;
    expect(f.fix).not.toBeNull();
    const text = clusters[0]!.files.find((x) => x.path === "coredns.yaml")!.text;
    let fixed = text;
    for (const e of [...f.fix!.edits].sort((a, b) => b.start - a.start)) fixed = fixed.slice(0, e.start) + e.text + fixed.slice(e.end);
    expect(fixed.split("\n")[13]).toBe("        kubernetes cluster.local in-addr.arpa ip6.arpa {");
    expect(fixed.split("\n")[14]).toBe("           pods insecure");
    expect(fixed.split("\n")[15]).toBe("           fallthrough in-addr.arpa ip6.arpa");
  });
});
