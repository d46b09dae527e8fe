/** Issue 14, item 8: range comments and the kube-netlint.io/ignore annotation, counted as suppressed, unused ones reported. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runLint } from "../src/engine/lint.js";

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "knl-sup-"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function lintText(name: string, files: Record<string, string>, opts: { inlineConfig?: boolean } = {}) {
  const dir = path.join(tmp, name);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  const run = runLint(["."], { cwd: dir, config: null, ...opts });
  return { run, found: run.report.results.map((r) => `${r.file}:${r.line} ${r.ruleId}`).sort() };
}

const corefileCm = (annotations: string, corefile: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: coredns
  namespace: kube-system
${annotations}data:
  Corefile: |
${corefile.split("\n").map((l) => (l ? `    ${l}` : l)).join("\n")}
`;

// Two loopback forwards (lines 13 and 18 of the ConfigMap without annotations), each a coredns/forward-loop error.
const TWO_LOOPS = `.:53 {
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
    }
    forward . 127.0.0.1
    cache 30
    loop
}
example.org:53 {
    forward . 127.0.0.2
    loop
}`;

describe("range comments", () => {
  it("unsuppressed, both loops are reported (the fixture fails without the comments)", () => {
    const { found } = lintText("none", { "coredns.yaml": corefileCm("", TWO_LOOPS) });
    expect(found).toEqual(["coredns.yaml:13 coredns/forward-loop", "coredns.yaml:18 coredns/forward-loop"]);
  });

  it("kube-netlint-disable ... kube-netlint-enable covers the lines between, in a ConfigMap's Corefile", () => {
    const corefile = TWO_LOOPS.replace("    forward . 127.0.0.1", "    # kube-netlint-disable coredns/forward-loop -- node-local resolver on purpose\n    forward . 127.0.0.1\n    # kube-netlint-enable coredns/forward-loop");
    const { run, found } = lintText("range", { "coredns.yaml": corefileCm("", corefile) });
    expect(found).toEqual(["coredns.yaml:20 coredns/forward-loop"]);
    expect(run.report.summary.suppressed).toBe(1);
  });

  it("without kube-netlint-enable the range runs to the end of the file; in a standalone Corefile too", () => {
    const corefile = "# kube-netlint-disable coredns/forward-loop, coredns/stub-domain -- lab resolver\n" + TWO_LOOPS + "\n";
    const { run, found } = lintText("range-eof", { Corefile: corefile });
    expect(found).toEqual(["Corefile:1 meta/unused-suppression"]);
    expect(run.report.results[0]!.message).toMatch(/^kube-netlint-disable for coredns\/stub-domain suppresses nothing here/);
    expect(run.report.summary.suppressed).toBe(2);
  });

  it("an unused range is reported at its comment, and --no-inline-config ignores ranges", () => {
    const corefile = TWO_LOOPS.replace("    cache 30", "    # kube-netlint-disable coredns/forward-loop\n    cache 30\n    # kube-netlint-enable coredns/forward-loop");
    const { found } = lintText("range-unused", { "coredns.yaml": corefileCm("", corefile) });
    expect(found).toEqual(["coredns.yaml:13 coredns/forward-loop", "coredns.yaml:14 meta/unused-suppression", "coredns.yaml:20 coredns/forward-loop"]);
    const off = lintText("range-unused", {}, { inlineConfig: false });
    expect(off.found).toEqual(["coredns.yaml:13 coredns/forward-loop", "coredns.yaml:20 coredns/forward-loop"]);
  });
});

describe("the kube-netlint.io/ignore annotation", () => {
  it("suppresses its rules for findings on that object, counted as suppressed", () => {
    const annotated = corefileCm('  annotations:\n    kube-netlint.io/ignore: "coredns/forward-loop -- lab cluster, see #12"\n', TWO_LOOPS);
    const { run, found } = lintText("annotation", { "coredns.yaml": annotated });
    expect(found).toEqual([]);
    expect(run.report.summary.suppressed).toBe(2);
  });

  it("covers only its own object: the same finding on another document of the file is reported", () => {
    const other = corefileCm("", TWO_LOOPS).replace("name: coredns", "name: coredns-custom");
    const annotated = corefileCm('  annotations:\n    kube-netlint.io/ignore: "coredns/forward-loop,coredns/stub-domain -- lab"\n', TWO_LOOPS);
    const { run, found } = lintText("annotation-scope", { "a.yaml": annotated, "b/coredns.yaml": other });
    expect(found.filter((f) => f.startsWith("b/"))).toEqual(["b/coredns.yaml:13 coredns/forward-loop", "b/coredns.yaml:18 coredns/forward-loop"]);
    // stub-domain never fires there: the annotation's unused id is reported at the annotation.
    expect(found.filter((f) => f.startsWith("a.yaml"))).toEqual(["a.yaml:7 meta/unused-suppression"]);
    expect(run.report.results.find((r) => r.file === "a.yaml")!.message).toMatch(/^the kube-netlint\.io\/ignore annotation of ConfigMap coredns for coredns\/stub-domain suppresses nothing here/);
  });

  it("survives rendering: the annotation works on stdin (helm template | kube-netlint -)", () => {
    const annotated = corefileCm("  annotations:\n    kube-netlint.io/ignore: coredns/forward-loop\n", TWO_LOOPS);
    const run = runLint(["-"], { cwd: tmp, config: null, stdin: annotated, stdinFilename: "rendered.yaml" });
    expect(run.report.results).toEqual([]);
    expect(run.report.summary.suppressed).toBe(2);
  });
});
