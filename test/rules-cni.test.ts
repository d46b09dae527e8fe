/** The CNI pack's rules: fixture tables, and the real corpus (quiet on upstream files, the broken ones found). */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runLint } from "../src/engine/lint.js";
import { loadConfDir, readConfDirFromDisk, type ConfDirEntry } from "../src/model/cni-loading.js";
import { cniPackRules } from "../src/rules/cni/pack.js";
import { ROOT } from "./helpers/lint-fixture.js";
import { runRuleTable, type RuleCase } from "./helpers/rule-table.js";

const table: Record<string, RuleCase[]> = {
  "cni/ignored-file": [
    {
      fixture: "cni/ignored-file/invalid-names",
      rules: { "cni/ignored-file": "info" },
      expect: [
        { file: "etc/cni/net.d/10-calico.conflist.bak", line: 1, column: 1, severity: "info", message: /ends in \.bak; if it is meant to be used, rename it to 10-calico\.conflist/ },
        { file: "etc/cni/net.d/20-macvlan.CONF", line: 1, message: /case-sensitive.*ends in \.CONF; if it is meant to be used, rename it to 20-macvlan\.conf/ },
        { file: "etc/cni/net.d/10-weave.yaml", line: 1, message: /ends in \.yaml; if it is meant to be used, rename it to 10-weave\.conflist/ },
        { file: "etc/cni/net.d/.05-old-bridge.conf", line: 3, column: 11, message: /hidden file, yet the runtime loads it.*it is the config containerd uses for every pod/ },
      ],
    },
    { fixture: "cni/ignored-file/valid", rules: { "cni/ignored-file": "info" }, expect: [] },
    // Advisory: off in the recommended preset.
    { fixture: "cni/ignored-file/invalid-names", expect: [] },
  ],
  "cni/duplicate-network-name": [
    { fixture: "cni/duplicate-network-name/invalid-stale-calico-conf", expect: [{ file: "etc/cni/net.d/10-calico.conflist", line: 2, column: 11, severity: "warning", message: /network "k8s-pod-network", which 10-calico\.conf \(it sorts first\) already defines: libcni looks networks up by name/ }] },
    { fixture: "cni/duplicate-network-name/invalid-cri-o", expect: [{ file: "etc/cni/net.d/11-crio-ipv4-bridge.conflist", line: 3, message: /CRI-O loads only the first network named "crio" \(from 10-crio-bridge\.conflist\) and ignores this file/ }] },
    { fixture: "cni/duplicate-network-name/valid", expect: [] },
  ],
  "cni/unknown-cni-version": [
    { fixture: "cni/unknown-cni-version/invalid-short-version", expect: [{ file: "etc/cni/net.d/10-flannel.conflist", line: 3, column: 17, severity: "error", message: /cniVersion "1\.0" is not a CNI version.*did you mean "1\.0\.0"/ }] },
    { fixture: "cni/unknown-cni-version/invalid-missing-loose", expect: [{ file: "node-setup/10-flannel.conf", line: 2, column: 11, severity: "warning", message: /cniVersion is missing.*plugin flannel does not support config version ""/ }] },
    // Issue 17 item 5: fatal (error) only where it is: CRI-O skips a network its plugins reject.
    { fixture: "cni/unknown-cni-version/invalid-missing-crio", expect: [{ file: "etc/cni/net.d/10-flannel.conf", line: 2, severity: "error", message: /CRI-O \(facts\.containerRuntime\) validates the network with libcni and skips it/ }] },
    { fixture: "cni/unknown-cni-version/old-version", expect: [{ file: "etc/cni/net.d/10-ptp.conf", line: 2, column: 17, severity: "info", message: /cniVersion 0\.2\.0 predates CNI 0\.3\.0/ }] },
    { fixture: "cni/unknown-cni-version/valid", expect: [] },
  ],
  "cni/ipam-range": [
    { fixture: "cni/ipam-range/invalid-host-bits", expect: [{ file: "etc/cni/net.d/10-bridge.conf", line: 10, column: 15, severity: "error", field: "ipam.subnet", message: /subnet 10\.22\.0\.1\/16 has host bits set.*write 10\.22\.0\.0\/16/ }] },
    {
      fixture: "cni/ipam-range/invalid-ranges",
      expect: [
        { file: "etc/cni/net.d/10-dual-stack.conflist", line: 13, column: 54, severity: "error", field: "plugins[0].ipam.ranges[0][0].rangeStart", message: /rangeStart 10\.40\.1\.10 is not in subnet 10\.40\.0\.0\/24/ },
        { file: "etc/cni/net.d/10-dual-stack.conflist", line: 14, column: 51, severity: "warning", field: "plugins[0].ipam.ranges[1][0].gateway", message: /gateway 10\.41\.1\.1 is not in subnet 10\.41\.0\.0\/24/ },
        { file: "etc/cni/net.d/10-dual-stack.conflist", line: 15, column: 24, severity: "error", field: "plugins[0].ipam.ranges[2][0].subnet", message: /range 10\.41\.0\.128\/25 .* overlaps range 10\.41\.0\.0\/24 in another range set/ },
        { file: "etc/cni/net.d/10-dual-stack.conflist", line: 16, column: 24, severity: "error", field: "plugins[0].ipam.ranges[3][0].subnet", message: /fd00:10::\/127 is too small to allocate from/ },
        { file: "etc/cni/net.d/10-dual-stack.conflist", line: 17, column: 82, severity: "error", field: "plugins[0].ipam.ranges[4][0].rangeEnd", message: /rangeEnd fd00:20::10 comes before rangeStart fd00:20::100 \("RangeEnd fd00:20::10 not in network fd00:20::\/64"\): host-local rejects the config and every pod setup fails/ },
      ],
    },
    { fixture: "cni/ipam-range/invalid-old-version-two-sets", expect: [{ file: "node-config/20-storage.conf", line: 10, column: 20, severity: "error", field: "ipam.ranges[0][0].subnet", message: /2 IPv4 range sets, but cniVersion "0\.2\.0" allows one address per family/ }] },
    { fixture: "cni/ipam-range/valid", expect: [] },
    // Issue 17 row 13: rangeStart after rangeEnd fails host-local's Canonicalize; equal is one address.
    { fixture: "cni/ipam-range/invalid-start-after-end", expect: [{ file: "etc/cni/net.d/10-bridge.conf", line: 11, column: 17, severity: "error", field: "ipam.rangeEnd", message: /"RangeEnd 10\.22\.0\.100 not in network 10\.22\.0\.0\/24"\): host-local rejects the config and every pod setup fails/ }] },
    { fixture: "cni/ipam-range/valid-start-equals-end", expect: [] },
  ],
  "cni/plugin-options": [
    {
      fixture: "cni/plugin-options/invalid-bridge-bandwidth-portmap",
      expect: [
        { file: "etc/cni/net.d/10-bridge.conflist", line: 6, column: 15, severity: "error", field: "plugins[0].type", message: /bandwidth is the first plugin of the chain.*must be called as chained plugin/ },
        { file: "etc/cni/net.d/10-bridge.conflist", line: 7, column: 22, severity: "error", field: "plugins[0].ingressRate", message: /ingressRate 100000000 without ingressBurst/ },
        { file: "etc/cni/net.d/10-bridge.conflist", line: 14, column: 22, severity: "error", field: "plugins[1].promiscMode", message: /cannot set hairpin mode and promiscuous mode at the same time/ },
        { file: "etc/cni/net.d/10-bridge.conflist", line: 15, column: 15, severity: "error", field: "plugins[1].vlan", message: /vlan 4095.*0\.\.4094/ },
        { file: "etc/cni/net.d/10-bridge.conflist", line: 22, column: 15, severity: "warning", field: "plugins[2].type", message: /portmap has no capabilities\.portMappings.*hostPort silently does nothing/ },
      ],
    },
    {
      fixture: "cni/plugin-options/invalid-flannel-delegate",
      expect: [
        { file: "etc/cni/net.d/10-flannel.conflist", line: 8, column: 9, severity: "error", field: "plugins[0].delegate.name", message: /'delegate' dictionary must not have 'name' field/ },
        { file: "etc/cni/net.d/10-flannel.conflist", line: 11, column: 9, severity: "error", field: "plugins[0].delegate.ipam", message: /'delegate' dictionary must not have 'ipam' field/ },
      ],
    },
    { fixture: "cni/plugin-options/valid", expect: [] },
  ],
  "cni/plugin-binary-missing": [
    {
      fixture: "cni/plugin-binary-missing/invalid-snapshot",
      expect: [
        { file: "nodes/node-1/etc/cni/net.d/10-flannel.conflist", line: 13, column: 15, field: "plugins[1].type", message: /plugin "portmap" has no binary in node node-1's CNI bin dir \(nodes\/node-1\/opt\/cni\/bin\.txt\)/ },
        { file: "nodes/node-2/etc/cni/net.d/10-flannel.conflist", line: 6, column: 15, message: /plugin "flanel" has no binary.*did you mean "flannel"/ },
        { file: "nodes/node-3/etc/cni/net.d/10-flannel.conflist", line: 7, column: 19, field: "plugins[0].delegate", message: /delegate of flannel \(bridge by default\) "bridge" has no binary in node node-3's/ },
      ],
    },
    { fixture: "cni/plugin-binary-missing/valid", expect: [] },
  ],
  "cni/subnet-outside-pod-cidr": [
    { fixture: "cni/subnet-outside-pod-cidr/invalid-leftover-bridge", expect: [{ file: "etc/cni/net.d/10-containerd-net.conflist", line: 13, column: 24, severity: "warning", field: "plugins[0].ipam.ranges[0][0].subnet", message: /host-local subnet 10\.88\.0\.0\/16 is not inside the cluster pod CIDR 10\.244\.0\.0\/16 \(kubeadm ClusterConfiguration networking\.podSubnet, kubeadm-config\.yaml:6\)/ }] },
    { fixture: "cni/subnet-outside-pod-cidr/invalid-flannel-network", expect: [{ file: "kube-flannel-cfg.yaml", line: 32, column: 18, message: /flannel net-conf\.json Network \(ConfigMap kube-flannel-cfg\) 10\.244\.0\.0\/16 does not contain the cluster pod CIDR 100\.244\.0\.0\/16/ }] },
    { fixture: "cni/subnet-outside-pod-cidr/invalid-calico-pool", expect: [{ file: "calico-node.yaml", line: 28, column: 22, severity: "warning", message: /CALICO_IPV4POOL_CIDR .* 192\.168\.0\.0\/16 is not inside the cluster pod CIDR 10\.244\.0\.0\/16 stated by kubeadm ClusterConfiguration in ConfigMap kubeadm-config networking\.podSubnet \(kubeadm-config\.json:9\)/ }] },
    // Two sources agree against the pool: an error, at the pool, naming both.
    { fixture: "kube-proxy/cluster-cidr-mismatch/invalid-calico-pool", expect: [{ file: "kube-system.yaml", line: 48, column: 18, severity: "error", message: /172\.16\.0\.0\/16 is not inside the cluster pod CIDR 192\.168\.0\.0\/16 stated by kubeadm .*\(kube-system\.yaml:13\) and kube-proxy clusterCIDR \(kube-system\.yaml:25\)/ }] },
    { fixture: "cluster/conflicting-facts/invalid-flannel-standalone", expect: [{ file: "net-conf.json", line: 2, column: 14, message: /flannel net-conf\.json Network \(net-conf\.json\) 10\.244\.0\.0\/16 does not contain the cluster pod CIDR 100\.244\.0\.0\/16/ }] },
    { fixture: "cni/subnet-outside-pod-cidr/valid", expect: [] },
    { fixture: "cni/subnet-outside-pod-cidr/valid-no-pod-cidr", expect: [] },
  ],
  "cni/network-policy-unenforced": [
    {
      fixture: "cni/network-policy-unenforced/invalid-flannel",
      expect: [
        { file: "policies.yaml", line: 4, column: 9, severity: "warning", message: /NetworkPolicy payments\/default-deny-ingress is never enforced: the cluster deploys flannel \(DaemonSet kube-flannel-ds, kube-flannel\.yaml:4\)/ },
        { file: "policies.yaml", line: 14, message: /NetworkPolicy payments\/allow-frontend is never enforced/ },
      ],
    },
    { fixture: "cni/network-policy-unenforced/invalid-bridge-conf-dir", expect: [{ file: "deny-all.json", line: 5, column: 13, message: /the cluster runs bridge \(etc\/cni\/net\.d\/10-bridge\.conflist, the config containerd uses\)/ }] },
    { fixture: "cni/network-policy-unenforced/valid-canal", expect: [] },
    { fixture: "cni/network-policy-unenforced/valid-flannel-with-policy-engine", expect: [] },
  ],
  "cni/multiple-cni": [
    { fixture: "cni/multiple-cni/invalid-flannel-and-calico", expect: [{ file: "kube-flannel.yaml", line: 4, column: 9, severity: "warning", message: /DaemonSet kube-flannel-ds deploys flannel, but the cluster also deploys calico \(DaemonSet calico-node, calico-node\.yaml:4\)/ }] },
    { fixture: "cni/multiple-cni/invalid-weave-list", expect: [{ file: "weave-net.yaml", line: 12, column: 13, message: /DaemonSet weave-net deploys weave, but the cluster also deploys cilium/ }] },
    { fixture: "cni/multiple-cni/valid-calico-policy-only", expect: [] },
    { fixture: "cni/multiple-cni/valid-cilium-chaining", expect: [] },
    // A CNI project's alternative install manifests (each file a whole install) are not one cluster (Calico's manifests/).
    { fixture: "cni/multiple-cni/valid-alternative-installs", expect: [] },
    { fixture: "cni/multiple-cni/invalid-install-plus-daemonset", expect: [{ file: "kube-flannel.yml", line: 31, column: 9, message: /deploys flannel, but the cluster also deploys calico/ }] },
  ],
};

runRuleTable(table);

describe("the CNI pack", () => {
  it("registers every rule once, each with a docs page", () => {
    const ids = cniPackRules.map((r) => r.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(existsSync(path.join(ROOT, "docs/rules", `${id}.md`)), id).toBe(true);
  });
});

const real = path.resolve(ROOT, "../shared/corpus/real");
const present = existsSync(real);
if (!present) console.warn(`note: ${real} is missing: the CNI pack's real-corpus tests are skipped`);

const PACK = new Set(cniPackRules.map((r) => r.meta.id));

function filesUnder(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

function packFindings(target: string) {
  const run = runLint([target], { cwd: real, config: null, rules: { "cni/ignored-file": "info" } });
  return run.report.results.filter((r) => PACK.has(r.ruleId));
}

describe.skipIf(!present)("corpus/real and the CNI pack", () => {
  it("upstream files that PROVENANCE.md does not call broken get no error from the CNI pack, file by file", () => {
    const upstream = filesUnder(real).filter((f) => !f.includes(`${path.sep}broken-from-issues${path.sep}`) && path.basename(f) !== "PROVENANCE.md");
    expect(upstream.length).toBeGreaterThan(60);
    const errors = upstream.flatMap((f) => packFindings(f).filter((r) => r.severity === "error").map((r) => `${r.file}:${r.line} ${r.ruleId} ${r.message}`));
    expect(errors).toEqual([]);
  });

  it("and directory by directory (the cni directory as a conf dir, the bundles together, the snapshot)", () => {
    for (const dir of ["cni", "cni/flannel-net-conf", "coredns", "kube-proxy", "kubelet", "kubeadm", "manifests-bundles", "snapshots"]) {
      const errors = packFindings(path.join(real, dir)).filter((r) => r.severity === "error");
      expect(errors.map((r) => `${r.file}:${r.line} ${r.ruleId}`), dir).toEqual([]);
    }
  });

  it("the flannel .conf without cniVersion (flannel-io/flannel#1358) is reported as missing its cniVersion", () => {
    const f = packFindings(path.join(real, "broken-from-issues/cni-10-flannel.conf-no-cniVersion")).filter((r) => r.ruleId === "cni/unknown-cni-version");
    expect(f.map((r) => [r.file, r.line, r.column, r.severity])).toEqual([["broken-from-issues/cni-10-flannel.conf-no-cniVersion", 2, 11, "warning"]]);
    expect(f[0]!.message).toMatch(/cniVersion is missing.*plugin flannel does not support config version ""/);
  });

  it("flannel Network vs kubeadm podSubnet (flannel-io/flannel#1428): Network does not contain the pod CIDR", () => {
    const got = packFindings(path.join(real, "broken-from-issues/flannel-network-vs-kubeadm-podsubnet-mismatch")).filter((r) => r.ruleId === "cni/subnet-outside-pod-cidr");
    expect(got.map((r) => `${r.file}:${r.line}`)).toEqual(["broken-from-issues/flannel-network-vs-kubeadm-podsubnet-mismatch/net-conf.json:2"]);
    expect(got[0]!.message).toMatch(/10\.244\.0\.0\/16 does not contain the cluster pod CIDR 100\.244\.0\.0\/16/);
  });

  it("the stale calico conf dir (projectcalico/calico#1388) holds two configs for network k8s-pod-network", () => {
    const f = packFindings(path.join(real, "broken-from-issues/cni-confdir-stale-calico-conf-shadowing")).filter((r) => r.ruleId === "cni/duplicate-network-name");
    expect(f.map((r) => [r.file, r.line])).toEqual([["broken-from-issues/cni-confdir-stale-calico-conf-shadowing/10-calico.conflist", 2]]);
    expect(f[0]!.message).toMatch(/network "k8s-pod-network", which 10-calico\.conf \(it sorts first\) already defines/);
    expect(f[0]!.related?.[0]?.file).toBe("broken-from-issues/cni-confdir-stale-calico-conf-shadowing/10-calico.conf");
  });
});

describe("libcni >= 1.3 subdirectory plugins (loadConfDir option subdirPlugins, off by default)", () => {
  const file = (name: string, text: string): ConfDirEntry => ({ name, kind: "file", read: () => ({ text }) });
  const dir = (name: string, entries: ConfDirEntry[]): ConfDirEntry => ({ name, kind: "dir", list: () => entries });
  const calicoList = (extra = "") => `{\n  "cniVersion": "1.1.0",\n  "name": "k8s-pod-network"${extra}\n}\n`;
  const subdir = dir("k8s-pod-network", [
    file("20-portmap.conf", '{"type": "portmap", "capabilities": {"portMappings": true}}'),
    file("10-calico.conf", '{"type": "calico"}'),
    file("README", "not a plugin"),
    file("30-old.conflist", '{"type": "bandwidth"}'),
    dir("nested", [file("40-tuning.conf", '{"type": "tuning"}')]),
  ]);

  it("off: a conflist without plugins fails as in libcni 1.1.2 (the oracle)", () => {
    const r = loadConfDir([file("10-calico.conflist", calicoList()), subdir]);
    expect(r.ready).toBe(false);
    expect(r.perFile[0]!.error?.message).toMatch(/no 'plugins' key/);
  });

  it("on: the .conf files of <confDir>/<network name>/ become the plugins, in byte order", () => {
    const r = loadConfDir([file("10-calico.conflist", calicoList()), subdir], { subdirPlugins: true });
    expect(r.ready).toBe(true);
    expect(r.chosen?.pluginTypes).toEqual(["calico", "portmap"]);
    expect(r.perFile[0]!.subdirPlugins).toEqual(["k8s-pod-network/10-calico.conf", "k8s-pod-network/20-portmap.conf"]);
  });

  it("on: they are appended after inline plugins, unless loadOnlyInlinedPlugins (a bool or a \"true\" string)", () => {
    const inline = ',\n  "plugins": [{"type": "bandwidth"}]';
    expect(loadConfDir([file("10-calico.conflist", calicoList(inline)), subdir], { subdirPlugins: true }).chosen?.pluginTypes).toEqual(["bandwidth", "calico", "portmap"]);
    for (const v of ["true", '"TRUE"']) {
      const r = loadConfDir([file("10-calico.conflist", calicoList(`${inline},\n  "loadOnlyInlinedPlugins": ${v}`)), subdir], { subdirPlugins: true });
      expect(r.chosen?.pluginTypes).toEqual(["bandwidth"]);
    }
    const bad = loadConfDir([file("10-calico.conflist", calicoList(',\n  "loadOnlyInlinedPlugins": true')), subdir], { subdirPlugins: true });
    expect(bad.perFile[0]!.error?.message).toMatch(/`loadOnlyInlinedPlugins` is true, and no 'plugins' key/);
  });

  it("on: no plugin anywhere, or a plugin file without type, fails the network (containerd: no network)", () => {
    const none = loadConfDir([file("10-calico.conflist", calicoList())], { subdirPlugins: true });
    expect(none.ready).toBe(false);
    expect(none.perFile[0]!.error?.message).toMatch(/no plugin configs found/);
    const untyped = loadConfDir([file("10-calico.conflist", calicoList()), dir("k8s-pod-network", [file("10-x.conf", '{"name": "x"}')])], { subdirPlugins: true });
    expect(untyped.ready).toBe(false);
    expect(untyped.perFile[0]!.error).toMatchObject({ field: "name", line: 3, column: 11 });
    expect(untyped.perFile[0]!.error?.message).toMatch(/k8s-pod-network\/10-x\.conf: error parsing configuration: missing 'type'/);
  });

  it("on: read from disk through readConfDirFromDisk", () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), "knl-subdir-"));
    try {
      mkdirSync(path.join(tmp, "cbr0"));
      writeFileSync(path.join(tmp, "10-flannel.conflist"), '{"cniVersion": "1.0.0", "name": "cbr0"}');
      writeFileSync(path.join(tmp, "cbr0", "10-flannel.conf"), '{"type": "flannel", "delegate": {"isDefaultGateway": true}}');
      writeFileSync(path.join(tmp, "cbr0", "20-portmap.conf"), '{"type": "portmap", "capabilities": {"portMappings": true}}');
      expect(loadConfDir(readConfDirFromDisk(tmp)).ready).toBe(false);
      const r = loadConfDir(readConfDirFromDisk(tmp), { subdirPlugins: true });
      expect(r.chosen).toEqual({ file: "10-flannel.conflist", name: "cbr0", cniVersion: "1.0.0", pluginTypes: ["flannel", "portmap"] });
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
