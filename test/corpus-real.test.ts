/** The real-world corpus: inspect finds the artifacts and never crashes; the headline rules fire where PROVENANCE.md says. */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runInspect } from "../src/engine/inspect.js";
import { runLint } from "../src/engine/lint.js";
import { SHARED } from "./helpers/lint-fixture.js";

const real = path.join(SHARED, "corpus/real");
const present = existsSync(real);
if (!present) console.warn(`note: ${real} is missing: the real-corpus tests are skipped`);

const HEADLINE = new Set([
  "yaml/syntax", "coredns/corefile-syntax", "cni/invalid-json", "cni/invalid-config", "cni/no-network", "cni/conf-shadowed",
  "coredns/pods-insecure-missing", "coredns/forward-loop", "kube-proxy/cluster-cidr-mismatch",
]);

describe.skipIf(!present)("corpus/real", () => {
  it("inspect finds the artifacts there", () => {
    const model = runInspect([real], { cwd: path.dirname(real), config: null });
    const all = model.clusters;
    const corefiles = all.flatMap((c) => c.corefiles);
    const kubeProxy = all.flatMap((c) => c.kubeProxyConfigs);
    const cni = all.flatMap((c) => c.cniFiles);
    expect(model.filesRead).toBeGreaterThan(90);
    expect(corefiles.length).toBeGreaterThanOrEqual(12);
    expect(corefiles.filter((c) => c.configMap).length).toBeGreaterThanOrEqual(4);
    expect(kubeProxy.length).toBeGreaterThanOrEqual(8);
    expect(cni.length).toBeGreaterThanOrEqual(15);
    expect(all.flatMap((c) => c.kubeletConfigs).length).toBeGreaterThanOrEqual(6);
    expect(all.flatMap((c) => c.kubeadmConfigs).length).toBeGreaterThanOrEqual(5);
    // The support bundle is a snapshot: a cluster of its own, with its three nodes.
    const bundle = all.find((c) => c.name.endsWith("sbctl-kurl-support-bundle"));
    expect(bundle?.snapshot).toBe(true);
    expect(bundle?.nodes.map((n) => n.name).sort()).toEqual(["troubleshoot-demo-001", "troubleshoot-demo-002", "troubleshoot-demo-003"]);
  });

  it("lints every directory of it without crashing", () => {
    for (const dir of ["", "coredns", "cni", "kube-proxy", "kubelet", "kubeadm", "snapshots", "broken-from-issues"]) {
      const run = runLint([path.join(real, dir)], { cwd: path.dirname(real), config: null });
      expect(run.report.summary.files).toBeGreaterThan(0);
    }
  });

  it("upstream files that PROVENANCE.md does not call broken get no error from the headline rules", () => {
    // Files that do not parse on purpose, per PROVENANCE.md, and templates with placeholders.
    const broken = /broken-from-issues|calico-v3\.24-cni_network_config\.template|multus-docs-example-00-multus|cni-spec-example-dbnet|k3s-manifests-coredns\.template|\.yaml\.sed|\.yaml\.base|invalid_/;
    for (const dir of ["coredns", "cni", "kube-proxy", "kubelet", "kubeadm", "snapshots"]) {
      const run = runLint([path.join(real, dir)], { cwd: path.dirname(real), config: null });
      const errors = run.report.results.filter((r) => r.severity === "error" && HEADLINE.has(r.ruleId) && !broken.test(r.file));
      expect(errors.map((e) => `${e.file}:${e.line} ${e.ruleId}`)).toEqual([]);
    }
  });

  it("the stale calico .conf shadows the new conflist", () => {
    const dir = path.join(real, "broken-from-issues/cni-confdir-stale-calico-conf-shadowing");
    const run = runLint([dir], { cwd: real, config: null });
    const f = run.report.results.filter((r) => r.ruleId === "cni/conf-shadowed");
    expect(f.map((r) => [r.file, r.line])).toEqual([["broken-from-issues/cni-confdir-stale-calico-conf-shadowing/10-calico.conflist", 2]]);
    expect(f[0]!.message).toMatch(/10-calico\.conf sorts first/);
  });

  it("the nested server block is a Corefile syntax error at Corefile line 3", () => {
    const file = path.join(real, "broken-from-issues/coredns-nested-server-block-unknown-directive-dot.yaml");
    const run = runLint([file], { cwd: real, config: null });
    const f = run.report.results.filter((r) => r.ruleId === "coredns/corefile-syntax");
    // Corefile line 3 is line 6 of the YAML file (the block scalar starts on line 4).
    expect(f.map((r) => [r.file, r.line, r.column])).toEqual([["broken-from-issues/coredns-nested-server-block-unknown-directive-dot.yaml", 6, 9]]);
    expect(f[0]!.message).toMatch(/Unknown directive '\.'/);
  });

  describe("the default Corefile on a systemd-resolved node loops", () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), "knl-loop-"));
    afterAll(() => rmSync(tmp, { recursive: true, force: true }));
    it("alone, the Corefile is quiet", () => {
      const run = runLint([path.join(real, "broken-from-issues/coredns-default-corefile-loop-on-systemd-resolved-host.Corefile")], { cwd: real, config: null });
      expect(run.report.results.filter((r) => r.severity === "error")).toEqual([]);
    });
    it("with the node's resolv.conf in a snapshot layout, forward-loop fires at the forward line", () => {
      mkdirSync(path.join(tmp, "nodes/node-1/etc"), { recursive: true });
      copyFileSync(path.join(real, "broken-from-issues/coredns-default-corefile-loop-on-systemd-resolved-host.Corefile"), path.join(tmp, "Corefile"));
      copyFileSync(path.join(real, "broken-from-issues/node-etc-resolv.conf-systemd-resolved-stub"), path.join(tmp, "nodes/node-1/etc/resolv.conf"));
      const run = runLint(["."], { cwd: tmp, config: null });
      const f = run.report.results.filter((r) => r.ruleId === "coredns/forward-loop");
      expect(f.map((r) => [r.file, r.line])).toEqual([["Corefile", 10]]);
      expect(f[0]!.related?.[0]?.file).toBe("nodes/node-1/etc/resolv.conf");
      expect(f[0]!.message).toMatch(/127\.0\.0\.53/);
    });
  });
});
