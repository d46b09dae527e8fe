/** kustomize, the common subset: one cluster view per overlay, findings at the file that supplies the value. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runLint } from "../src/engine/lint.js";
import { locToRange } from "../src/engine/lint.js";
import { jsonPatchOp, leaf, mergedObject, strategicMerge, type Located } from "../src/model/kustomize/merge.js";
import type { K8sObject } from "../src/model/types.js";
import { FIXTURES, lintFixture } from "./helpers/lint-fixture.js";

const at = (o: K8sObject, p: (string | number)[]) => {
  const r = locToRange(o.locate(p));
  return `${r.file}:${r.line}`;
};

describe("kustomize overlays", () => {
  it("a healthy base + overlays layout: one view per overlay, no finding, no meta/ambiguous-cluster", () => {
    const run = lintFixture("kustomize/healthy");
    expect(run.report.results).toEqual([]);
    expect(run.clusters.map((c) => c.name)).toEqual(["overlays/prod", "overlays/staging"]);
  });
  it("the objects are as the overlay produces them, each value located in the file that supplies it", () => {
    const run = lintFixture("kustomize/healthy");
    const staging = run.clusters.find((c) => c.name === "overlays/staging")!;
    const deploy = staging.objects.find((o) => o.kind === "Deployment")!;
    expect(deploy.value.spec).toMatchObject({ replicas: 3 });
    // JSON 6902 replace: the op's value; strategic merge by container name: the patch; the rest: the base.
    expect(at(deploy, ["spec", "replicas"])).toBe("overlays/staging/replicas.yaml:3");
    expect(at(deploy, ["spec", "template", "spec", "containers", 0, "resources", "limits", "memory"])).toBe("overlays/staging/coredns-resources.yaml:13");
    expect(at(deploy, ["spec", "template", "spec", "containers", 0, "image"])).toBe("base/coredns-deployment.yaml:33");
    const prod = run.clusters.find((c) => c.name === "overlays/prod")!;
    // `namespace:` of the overlay: located at the kustomization's field.
    const svc = prod.objects.find((o) => o.kind === "Service")!;
    expect(svc.namespace).toBe("kube-system");
    expect(at(svc, ["metadata", "namespace"])).toBe("overlays/prod/kustomization.yaml:3");
    // The patched Corefile: parsed from the patch, positions in the patch.
    const cf = prod.corefiles.find((c) => c.configMap?.name === "coredns")!;
    expect(cf.file.path).toBe("overlays/prod/coredns-configmap.yaml");
    expect(cf.parse.serverBlocks.map((b) => b.keys.join(" "))).toEqual([".:53", "corp.example:53"]);
  });
  it("a bad patch: the finding is at the patch file's line, in its overlay only", () => {
    const got = lintFixture("kustomize/bad-patch").report.results.map((r) => `${r.ruleId} ${r.file}:${r.line}:${r.column} ${r.cluster}`);
    expect(got).toEqual([
      "coredns/service-selector-mismatch base/kube-dns-service.yaml:15:14 overlays/dev",
      "coredns/forward-loop overlays/staging/corefile-patch.yaml:20:19 overlays/staging",
    ]);
  });
  it("a patched kube-proxy config (an embedded document) is checked as patched, at the patch's line", () => {
    const got = lintFixture("kustomize/kube-proxy-patch").report.results.map((r) => `${r.ruleId} ${r.file}:${r.line}:${r.column}`);
    expect(got).toEqual(["kube-proxy/cluster-cidr-mismatch overlays/lab/kube-proxy.yaml:10:18"]);
  });
  it("the inline JSON 6902 patch that relabels the pods is a related location of the Service's finding", () => {
    const f = lintFixture("kustomize/bad-patch").report.results.find((r) => r.ruleId === "coredns/service-selector-mismatch")!;
    expect(f.related!.map((r) => `${r.file}:${r.line}`)).toContain("overlays/dev/kustomization.yaml:15");
    expect(f.message).toMatch(/have k8s-app=coredns-dev/);
  });
});

describe("kustomize notices", () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "knl-kustomize-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const write = (rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(tmp, rel)), { recursive: true });
    writeFileSync(path.join(tmp, rel), text);
  };
  it("generators and remote bases are named with the rendering route; a base outside the input too", () => {
    write("gen/kustomization.yaml", "resources:\n- https://github.com/example/repo//base?ref=v1\nconfigMapGenerator:\n- name: coredns\n  files: [Corefile]\n");
    const run = runLint(["gen"], { cwd: tmp, config: null });
    expect(run.notices.join("\n")).toMatch(/gen\/kustomization\.yaml: configMapGenerator not rendered .*kustomize build gen \| kube-netlint -/);
    expect(run.notices.join("\n")).toMatch(/remote resource https:\/\/github\.com\/example\/repo\/\/base\?ref=v1 is not fetched/);
    const overlay = path.join(FIXTURES, "kustomize/healthy/overlays/prod");
    const only = runLint(["."], { cwd: overlay, config: null });
    expect(only.notices.join("\n")).toMatch(/kustomization\.yaml: resource \.\.\/\.\.\/base is not in the input/);
  });
});

describe("kustomize trees that kustomize itself rejects", () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "knl-kustomize-bad-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  it("a cycle of kustomizations, a scalar patch and a JSON 6902 op on a missing path: no crash, the base as it is", () => {
    const cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: coredns\n  namespace: kube-system\ndata:\n  Corefile: |\n    .:53 {\n        forward . 127.0.0.1\n    }\n";
    mkdirSync(path.join(tmp, "a"), { recursive: true });
    mkdirSync(path.join(tmp, "b"), { recursive: true });
    mkdirSync(path.join(tmp, "o"), { recursive: true });
    writeFileSync(path.join(tmp, "a/kustomization.yaml"), "resources: [../b, cm.yaml]\n");
    writeFileSync(path.join(tmp, "b/kustomization.yaml"), "resources: [../a]\n");
    writeFileSync(path.join(tmp, "a/cm.yaml"), cm);
    writeFileSync(path.join(tmp, "o/kustomization.yaml"), "resources: [../a]\npatches:\n- target: {kind: ConfigMap, name: coredns}\n  patch: just a string\n- target: {kind: ConfigMap, name: coredns}\n  patch: |-\n    - op: replace\n      path: /data/missing/deeper\n      value: x\n");
    const run = runLint(["."], { cwd: tmp, config: null });
    expect(run.clusters.map((c) => c.name)).toEqual(["o"]);
    expect(run.report.results.filter((r) => r.ruleId === "coredns/forward-loop").map((r) => `${r.file}:${r.line}`)).toEqual(["a/cm.yaml:9"]);
  });
});

describe("strategic merge and JSON 6902 with provenance", () => {
  const doc = (name: string): Located => ({ file: { path: name, absPath: null, text: "", lines: undefined as never, format: "yaml" }, rangeAt: () => undefined, stringSource: () => undefined });
  const base = doc("base.yaml");
  const patch = doc("patch.yaml");
  it("merges containers and env by name, replaces args, deletes with null and $patch: delete", () => {
    const b = { spec: { containers: [{ name: "a", args: ["-x"], env: [{ name: "E1", value: "1" }, { name: "E2", value: "2" }] }, { name: "b", image: "b:1" }] } };
    const p = { spec: { containers: [{ name: "a", args: ["-y"], env: [{ name: "E2", value: "two" }, { name: "E3", value: "3" }] }, { name: "b", $patch: "delete" }], extra: null } };
    const [v, prov] = strategicMerge(b, leaf(base, []), p, patch, []);
    expect(v).toEqual({ spec: { containers: [{ name: "a", args: ["-y"], env: [{ name: "E1", value: "1" }, { name: "E2", value: "two" }, { name: "E3", value: "3" }] }] } });
    const o = mergedObject({ kind: "Pod", apiVersion: "v1", name: "", namespace: "", value: {}, file: base.file, loc: undefined as never, locate: () => undefined as never, rangeAt: () => undefined, stringSource: () => undefined }, v as Record<string, unknown>, prov);
    expect(o.value).toBe(v);
    // Sources: E1 from the base, E2's value from the patch (patch index 0), E3 appended from the patch.
    const src = (p2: (string | number)[]) => {
      let n = prov;
      for (const s of p2) n = n.children?.get(s) ?? { at: n.at, path: [...n.path, s] };
      return `${n.at.file.path}:${n.path.join(".")}`;
    };
    expect(src(["spec", "containers", 0, "env", 0, "value"])).toBe("base.yaml:spec.containers.0.env.0.value");
    expect(src(["spec", "containers", 0, "env", 1, "value"])).toBe("patch.yaml:spec.containers.0.env.0.value");
    expect(src(["spec", "containers", 0, "env", 2])).toBe("patch.yaml:spec.containers.0.env.1");
    expect(src(["spec", "containers", 0, "args"])).toBe("patch.yaml:spec.containers.0.args");
  });
  it("a ConfigMap's data keys replace one by one", () => {
    const [v] = strategicMerge({ data: { Corefile: "a", extra: "x" } }, leaf(base, []), { data: { Corefile: "b" } }, patch, []);
    expect(v).toEqual({ data: { Corefile: "b", extra: "x" } });
  });
  it("JSON 6902 add (with -), replace and remove; a path that is not there is not guessed", () => {
    let value: Record<string, unknown> = { spec: { args: ["-a"], replicas: 2, paused: true } };
    let prov = leaf(base, []);
    for (const [i, op] of [{ op: "add", path: "/spec/args/-", value: "-b" }, { op: "replace", path: "/spec/replicas", value: 3 }, { op: "remove", path: "/spec/paused" }].entries()) {
      [value, prov] = jsonPatchOp(value, prov, op, patch, [i])!;
    }
    expect(value).toEqual({ spec: { args: ["-a", "-b"], replicas: 3 } });
    expect(prov.children!.get("spec")!.children!.get("args")!.children!.get(1)).toEqual({ at: patch, path: [0, "value"] });
    expect(jsonPatchOp(value, prov, { op: "replace", path: "/spec/missing/x", value: 1 }, patch, [9])).toBeNull();
  });
});
