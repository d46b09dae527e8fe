/** --context: a finding counts for a change when its location or any related location is in a changed file. */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { runLint } from "../src/engine/lint.js";
import { FIXTURES, ROOT } from "./helpers/lint-fixture.js";

const dir = path.join(FIXTURES, "context/relabel");
const ids = (paths: string[]) => runLint(paths, { cwd: dir, config: null, context: "." }).report.results.map((r) => ({ id: r.ruleId, at: `${r.file}:${r.line}`, message: r.message }));

describe("--context with related locations", () => {
  it("a commit that only relabels the CoreDNS Deployment's pods fails on the unchanged Service", () => {
    const got = ids(["coredns-deployment.yaml"]);
    expect(got.map((g) => `${g.id} ${g.at}`)).toEqual(["coredns/service-selector-mismatch kube-dns-service.yaml:15"]);
    expect(got[0]!.message).toMatch(/ \(involves changed file coredns-deployment\.yaml\)$/);
  });
  it("the changed Service itself: the finding, without the note", () => {
    const got = ids(["kube-dns-service.yaml"]);
    expect(got.map((g) => `${g.id} ${g.at}`)).toEqual(["coredns/service-selector-mismatch kube-dns-service.yaml:15"]);
    expect(got[0]!.message).not.toMatch(/involves changed file/);
  });
  it("a change that touches neither the location nor a related one reports nothing", () => {
    expect(ids(["coredns-configmap.yaml"])).toEqual([]);
  });
  it("a changed kustomize patch: its overlay's finding, and the finding its JSON 6902 patch causes on the base's Service", () => {
    const bad = path.join(FIXTURES, "kustomize/bad-patch");
    const run = (p: string) => runLint([p], { cwd: bad, config: null, context: "." }).report.results.map((r) => `${r.ruleId} ${r.file}:${r.line}`);
    expect(run("overlays/staging/corefile-patch.yaml")).toEqual(["coredns/forward-loop overlays/staging/corefile-patch.yaml:20"]);
    expect(run("overlays/dev/kustomization.yaml")).toEqual(["coredns/service-selector-mismatch base/kube-dns-service.yaml:15"]);
    expect(run("overlays/prod/coredns-configmap.yaml")).toEqual([]);
  });
  it("the pre-commit hook route (entry, files pattern, --context .) exits 1 on the relabel commit", (ctx) => {
    const cli = path.join(ROOT, "dist/cli.cjs");
    if (!existsSync(cli)) ctx.skip();
    const hook = (parse(readFileSync(path.join(ROOT, ".pre-commit-hooks.yaml"), "utf8")) as { entry: string; files: string }[])[0]!;
    expect(hook.entry).toBe("kube-netlint");
    // pre-commit passes the staged files that match `files` after the configured args.
    expect(new RegExp(hook.files).test("coredns-deployment.yaml")).toBe(true);
    // A kustomization named the third way kustomize accepts (no extension) changes what the overlay produces too.
    expect(new RegExp(hook.files).test("overlays/dev/Kustomization")).toBe(true);
    expect(new RegExp(hook.files).test("overlays/dev/README")).toBe(false);
    const r = spawnSync(process.execPath, [cli, "--context", ".", "--no-config", "coredns-deployment.yaml"], { cwd: dir, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^kube-dns-service\.yaml:15:14: error coredns\/service-selector-mismatch .*\(involves changed file coredns-deployment\.yaml\)$/m);
  });
});
