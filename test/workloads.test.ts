/**
 * Volume mounts, read once for the model and every rule (src/model/workloads.ts): which ConfigMap
 * key lands at which path in the container, as the kubelet lays them out.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildModel, runLint } from "../src/engine/lint.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "knl-workloads-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A CoreDNS Deployment whose Corefile volume is mounted as `mount` with volume source `source`, and its ConfigMap with `data`. */
function repo(name: string, mount: string, source: string, data: string): string {
  const dir = path.join(tmp, name);
  const text = `apiVersion: v1
kind: ConfigMap
metadata:
  name: coredns
  namespace: kube-system
data:
${data}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: coredns
  namespace: kube-system
spec:
  selector:
    matchLabels: {k8s-app: kube-dns}
  template:
    metadata:
      labels: {k8s-app: kube-dns}
    spec:
      containers:
        - name: coredns
          image: registry.k8s.io/coredns/coredns:v1.11.1
          args: ["-conf", "/etc/coredns/Corefile"]
          volumeMounts:
${mount}
      volumes:
        - name: config-volume
          configMap:
            name: coredns
${source}
`;
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "coredns.yaml"), text);
  return dir;
}

const COREFILE = "  Corefile: |\n    .:53 {\n        forward . 1.1.1.1\n    }\n";

function joined(dir: string) {
  const { clusters } = buildModel(["."], { cwd: dir, config: null });
  return clusters.flatMap((c) => c.corefiles).map((cf) => ({ deployment: cf.deployment?.name ?? null, files: [...cf.mountedFiles.keys()].sort() }));
}

describe("volume mounts", () => {
  it("an empty subPath mounts the whole volume (it used to be read as a subPath that matched no key)", () => {
    const dir = repo("empty-subpath", "            - name: config-volume\n              mountPath: /etc/coredns\n              subPath: \"\"", "", COREFILE);
    expect(joined(dir)).toEqual([{ deployment: "coredns", files: ["/etc/coredns/Corefile"] }]);
    expect(runLint(["."], { cwd: dir, config: null }).report.results.filter((f) => f.ruleId === "coredns/configmap-not-mounted")).toEqual([]);
  });

  it("an item path written ./Corefile is the file Corefile", () => {
    const base = COREFILE.replace("  Corefile: |", "  Corefile.base: |");
    const dir = repo("dot-slash", "            - name: config-volume\n              mountPath: /etc/coredns", "            items:\n              - key: Corefile.base\n                path: ./Corefile", base);
    expect(joined(dir)).toEqual([{ deployment: "coredns", files: ["/etc/coredns/Corefile"] }]);
  });

  it("an item whose key the ConfigMap lacks provides no file; the rule says which key is missing, at the item", () => {
    const dir = repo("missing-key", "            - name: config-volume\n              mountPath: /etc/coredns", "            items:\n              - key: Corefile\n                path: Corefile\n              - key: extra.db\n                path: extra.db", COREFILE);
    expect(joined(dir)).toEqual([{ deployment: "coredns", files: ["/etc/coredns/Corefile"] }]);
    const dir2 = repo("missing-corefile-key", "            - name: config-volume\n              mountPath: /etc/coredns", "            items:\n              - key: Corefil\n                path: Corefile", COREFILE);
    const found = runLint(["."], { cwd: dir2, config: null }).report.results.filter((f) => f.ruleId === "coredns/configmap-not-mounted");
    expect(found.map((f) => [f.file, f.line])).toEqual([["coredns.yaml", 37]]);
    expect(found[0]!.message).toMatch(/has no key Corefil .*did you mean Corefile/);
  });
});
