/**
 * Kustomize trees under the per-cluster driver: the clusters (groups) one tree spans are built
 * together, every other group alone, and a tree falls to exactly one part of a sharded run.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { resolveConfig, runLint } from "../src/engine/lint.js";
import { drive, prepareInput } from "../src/engine/drive.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "knl-kustomize-units-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const kubeadm = (podSubnet: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kubeadm-config\n  namespace: kube-system\ndata:\n  ClusterConfiguration: |\n    apiVersion: kubeadm.k8s.io/v1beta4\n    kind: ClusterConfiguration\n    networking:\n      podSubnet: ${podSubnet}\n      serviceSubnet: 10.96.0.0/12\n`;
const proxy = (cidr: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kube-proxy\n  namespace: kube-system\ndata:\n  config.conf: |-\n    apiVersion: kubeproxy.config.k8s.io/v1alpha1\n    kind: KubeProxyConfiguration\n    clusterCIDR: ${cidr}\n    mode: iptables\n`;

/** A repository with two configured clusters: lab's overlay builds on a base outside every cluster's paths, edge's tree stays inside edge. */
function repo(): string {
  const dir = path.join(tmp, "repo");
  const write = (rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  };
  write(".kube-netlint.yaml", 'clusters:\n  - name: lab\n    paths: ["clusters/lab/**"]\n  - name: edge\n    paths: ["clusters/edge/**"]\n');
  write("base/kustomization.yaml", "resources:\n- kube-system.yaml\n");
  write("base/kube-system.yaml", `${kubeadm("10.244.0.0/16")}---\n${proxy("10.244.0.0/16")}`);
  write("clusters/lab/kustomization.yaml", "resources:\n- ../../base\npatches:\n- path: kube-proxy.yaml\n");
  write("clusters/lab/kube-proxy.yaml", proxy("10.85.0.0/16"));
  write("clusters/edge/base/kustomization.yaml", "resources:\n- kube-system.yaml\n");
  write("clusters/edge/base/kube-system.yaml", `${kubeadm("10.42.0.0/16")}---\n${proxy("10.42.0.0/16")}`);
  write("clusters/edge/overlay/kustomization.yaml", "resources:\n- ../base\npatches:\n- path: kube-proxy.yaml\n");
  write("clusters/edge/overlay/kube-proxy.yaml", proxy("10.43.0.0/16"));
  return dir;
}

describe("kustomize units in the per-cluster driver", () => {
  const dir = repo();
  it("a tree that spans clusters is rendered whole: the overlay's patch is checked against its base", () => {
    const run = runLint(["."], { cwd: dir });
    const got = run.report.results.map((r) => `${r.ruleId} ${r.file}:${r.line}:${r.column}`);
    expect(got).toEqual([
      "kube-proxy/cluster-cidr-mismatch clusters/edge/overlay/kube-proxy.yaml:10:18",
      "kube-proxy/cluster-cidr-mismatch clusters/lab/kube-proxy.yaml:10:18",
    ]);
    expect(run.notices.join("\n")).not.toMatch(/is not in the input/);
  });
  it("only the groups a tree spans are built together: lab with the default group (at lab's turn), edge alone", () => {
    const config = resolveConfig(dir, undefined);
    const prep = prepareInput(["."], dir, config, {});
    const builds: { name: string; files: string[] }[] = [];
    const result = drive(prep, {}, (g) => builds.push({ name: g.name, files: g.raw.files.map((f) => f.path) }));
    expect(builds.map((b) => b.name)).toEqual(["edge", "lab"]);
    expect(builds[1]!.files).toEqual(["base/kube-system.yaml", "base/kustomization.yaml", "clusters/lab/kube-proxy.yaml", "clusters/lab/kustomization.yaml"]);
    expect(builds[0]!.files).toEqual(["clusters/edge/base/kube-system.yaml", "clusters/edge/base/kustomization.yaml", "clusters/edge/overlay/kube-proxy.yaml", "clusters/edge/overlay/kustomization.yaml"]);
    expect(result.linted).toEqual(["edge", "lab", "default"]);
  });
  it("under --shard a unit falls to one part whole: the parts are disjoint and their union is the full run", () => {
    const full = runLint(["."], { cwd: dir }).report.results.map((r) => `${r.ruleId} ${r.file}:${r.line}`);
    const parts = [1, 2, 3].map((index) => runLint(["."], { cwd: dir, shard: { index, total: 3 } }).report);
    const union = parts.flatMap((p) => p.results.map((r) => `${r.ruleId} ${r.file}:${r.line}`)).sort();
    expect(union).toEqual([...full].sort());
    const linted = parts.flatMap((p) => p.shard!.clusters);
    expect([...linted].sort()).toEqual(["default", "edge", "lab"]);
    // lab and default (one unit) are in the same part.
    expect(parts.filter((p) => p.shard!.clusters.includes("lab"))[0]!.shard!.clusters).toContain("default");
  });
});

describe("a kustomization that does not parse", () => {
  it("is reported (yaml/syntax at its line) beside a tree that does", () => {
    const dir = path.join(tmp, "broken");
    mkdirSync(path.join(dir, "good"), { recursive: true });
    mkdirSync(path.join(dir, "bad"), { recursive: true });
    writeFileSync(path.join(dir, "good/kustomization.yaml"), "resources:\n- kube-proxy.yaml\n");
    writeFileSync(path.join(dir, "good/kube-proxy.yaml"), proxy("10.244.0.0/16"));
    writeFileSync(path.join(dir, "bad/kustomization.yaml"), "resources:\n- kube-proxy.yaml\npatches: [\n");
    const run = runLint(["."], { cwd: dir, config: null });
    expect(run.report.results.map((r) => `${r.ruleId} ${r.file}:${r.line}`)).toEqual(["yaml/syntax bad/kustomization.yaml:3"]);
  });
});
