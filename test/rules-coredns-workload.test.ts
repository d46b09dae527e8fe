/** The CoreDNS workload pack: its rule tables, the real corpus, and the helpers the rules share. */
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runLint } from "../src/engine/lint.js";
import { corednsWorkloadRules } from "../src/rules/coredns/workload-pack.js";
import { imageVersion, parseQuantity } from "../src/rules/coredns/lib/workload.js";
import { ROOT } from "./helpers/lint-fixture.js";
import { runRuleTable, type RuleCase } from "./helpers/rule-table.js";

const table: Record<string, RuleCase[]> = {
  "coredns/probe-plugin-missing": [
    { fixture: "coredns/probe-plugin-missing/invalid-no-ready", expect: [{ file: "coredns.yaml", line: 100, column: 19, message: /readinessProbe .* \/ready on port readiness-probe \(8181\).* no `ready` plugin.*never become Ready/ }] },
    { fixture: "coredns/probe-plugin-missing/invalid-health-port", expect: [{ file: "coredns.yaml", line: 93, column: 19, message: /port 8080 \(liveness-probe\), but `health` listens on :8091 \(coredns\.yaml:10\)/ }] },
    { fixture: "coredns/probe-plugin-missing/invalid-health-loopback", expect: [{ file: "coredns.yaml", line: 93, message: /listens on 127\.0\.0\.1:8080 .*loopback address the kubelet cannot reach/ }] },
    { fixture: "coredns/probe-plugin-missing/valid", expect: [] },
    { fixture: "coredns/selinux-privilege-escalation/valid", expect: [] },
  ],
  "coredns/metrics-not-exposed": [
    { fixture: "coredns/metrics-not-exposed/invalid-no-address", expect: [{ file: "coredns.yaml", line: 19, column: 9, severity: "warning", message: /without an address listens on localhost:9153.*Service kube-dns port metrics.*\(coredns\.yaml:149\).*prometheus :9153/ }] },
    { fixture: "coredns/metrics-not-exposed/valid", expect: [] },
    { fixture: "coredns/metrics-not-exposed/valid-not-exposed", expect: [] },
  ],
  "coredns/port-mismatch": [
    { fixture: "coredns/port-mismatch/invalid-corefile-port", expect: [{ file: "coredns.yaml", line: 8, column: 5, message: /serves DNS on port 5353 \(server block \.:5353\), but everything in front of it uses 53: containerPort dns \(53\/UDP\).*Service kube-dns port dns-tcp \(53\/TCP\) targeting 53 \(coredns\.yaml:145\)/ }] },
    { fixture: "coredns/port-mismatch/invalid-container-port", expect: [{ file: "coredns.yaml", line: 75, column: 26, message: /containerPort dns \(5353\/UDP\) of Deployment coredns: CoreDNS does not serve DNS on 5353.*listens on 53 \(server block \.:53, coredns\.yaml:8\)/ }] },
    { fixture: "coredns/port-mismatch/valid", expect: [] },
    { fixture: "coredns/bind-capability/valid-unprivileged-port", expect: [] },
  ],
  "coredns/configmap-not-mounted": [
    { fixture: "coredns/configmap-not-mounted/invalid-key-renamed", expect: [{ file: "coredns.yaml", line: 118, column: 18, message: /maps key Corefile of ConfigMap coredns.*has no key Corefile \(keys: Corefile-backup\).*ContainerCreating/ }] },
    { fixture: "coredns/configmap-not-mounted/invalid-items-path", expect: [{ file: "coredns.yaml", line: 117, column: 11, message: /needs the file Corefile in volume config-volume, but its items map only Corefile -> coredns\.conf.*open \/etc\/coredns\/Corefile: no such file or directory/ }] },
    { fixture: "coredns/configmap-not-mounted/invalid-repo-other-name", expect: [{ file: "coredns.yaml", line: 116, column: 17, message: /no ConfigMap coredns-config in kube-system.*ConfigMap coredns \(coredns\.yaml:7\) holds a Corefile/ }] },
    { fixture: "coredns/configmap-not-mounted/invalid-snapshot-missing", expect: [{ file: "resources/coredns.yaml", line: 88, column: 17, message: /no ConfigMap coredns in kube-system in this snapshot.*configmap "coredns" not found/ }] },
    { fixture: "coredns/configmap-not-mounted/valid", expect: [] },
    { fixture: "coredns/configmap-not-mounted/valid-no-items", expect: [] },
    { fixture: "coredns/configmap-not-mounted/valid-configmap-elsewhere", expect: [] },
  ],
  "coredns/import-unresolved": [
    { fixture: "coredns/import-unresolved/invalid-literal-not-in-items", expect: [{ file: "coredns.yaml", line: 28, column: 5, severity: "error", message: /import \/etc\/coredns\/zones\.conf: ConfigMap coredns has the key zones\.conf, but the items of volume config-volume do not map it.*CoreDNS does not start/ }] },
    { fixture: "coredns/import-unresolved/invalid-glob-no-match", expect: [{ file: "coredns.yaml", line: 28, column: 5, message: /import zones\/\*\.conf matches no file.*silently imports nothing/ }] },
    { fixture: "coredns/import-unresolved/invalid-k3s-custom-keys", expect: [{ file: "coredns.yaml", line: 27, column: 9, message: /no key of ConfigMap coredns-custom \(coredns-custom\.yaml:6\) ends in \.override or \.server \(its keys: docker\.overide\)/ }] },
    { fixture: "coredns/import-unresolved/valid-literal", expect: [] },
    { fixture: "coredns/import-unresolved/valid-k3s-no-custom", expect: [] },
    { fixture: "coredns/import-unresolved/valid-k3s-server-only", expect: [] },
  ],
  "coredns/service-selector-mismatch": [
    { fixture: "coredns/service-selector-mismatch/invalid-label-value", expect: [{ file: "coredns.yaml", line: 135, column: 14, message: /Service kube-dns selects k8s-app=coredns, but the pods of Deployment coredns \(coredns\.yaml:47\) have k8s-app=kube-dns/ }] },
    { fixture: "coredns/service-selector-mismatch/invalid-snapshot-json-list", expect: [{ file: "resources/kube-system.json", line: 182, column: 21, message: /selects app\.kubernetes\.io\/name=coredns, but the pods .* have no label app\.kubernetes\.io\/name/ }] },
    { fixture: "coredns/service-selector-mismatch/valid", expect: [] },
    // Another directory's Deployment that the selector matches is another cluster's: the nearest is judged.
    { fixture: "coredns/service-selector-mismatch/invalid-other-cluster-matches", expect: [{ file: "clusters/a/coredns.yaml", line: 135, column: 14, message: /Deployment coredns \(clusters\/a\/coredns\.yaml:47\) have k8s-app=coredns/ }] },
  ],
  "coredns/service-port-mismatch": [
    { fixture: "coredns/service-port-mismatch/invalid-no-udp", expect: [{ file: "coredns.yaml", line: 140, column: 15, message: /has no port 53\/UDP \(its ports: 53\/TCP, 9153\/TCP\)/ }] },
    { fixture: "coredns/service-port-mismatch/invalid-named-target-protocol", expect: [{ file: "coredns.yaml", line: 145, column: 17, message: /port dns-tcp\/TCP targets the port named dns.*dns is a UDP port/ }] },
    { fixture: "coredns/service-port-mismatch/valid", expect: [] },
    { fixture: "coredns/service-port-mismatch/valid-named-targets", expect: [] },
  ],
  "coredns/rbac-insufficient": [
    { fixture: "coredns/rbac-insufficient/invalid-no-endpointslices", expect: [{ file: "rbac.yaml", line: 11, column: 1, message: /ClusterRole system:coredns, bound to ServiceAccount kube-system\/coredns .* lacks list, watch on endpointslices\.discovery\.k8s\.io/ }] },
    { fixture: "coredns/rbac-insufficient/invalid-pods-verified", expect: [{ file: "rbac.yaml", line: 11, message: /lacks list, watch on pods \(`pods verified` watches Pods\)/ }] },
    { fixture: "coredns/rbac-insufficient/invalid-snapshot-unbound", expect: [{ file: "resources/coredns.yaml", line: 51, column: 27, message: /no ClusterRoleBinding in this snapshot binds ServiceAccount kube-system\/coredns/ }] },
    { fixture: "coredns/rbac-insufficient/valid", expect: [] },
    { fixture: "coredns/rbac-insufficient/valid-wildcard", expect: [] },
    { fixture: "coredns/rbac-insufficient/valid-role-elsewhere", expect: [] },
    // kops: a same-named ClusterRole in another directory is not the one the Deployment's own file binds.
    { fixture: "coredns/rbac-insufficient/valid-nearest-role", expect: [] },
    { fixture: "coredns/rbac-insufficient/invalid-nearest-role", expect: [{ file: "upup/addons/coredns/manifest.yaml", line: 161, column: 1, message: /lacks list, watch on endpointslices/ }] },
  ],
  "coredns/memory-limit-low": [
    { fixture: "coredns/memory-limit-low/invalid-low-limit", expect: [{ file: "resources/coredns.yaml", line: 65, column: 21, severity: "warning", message: /memory limit 50Mi \(52\.4 MB\).*6 pods \+ 1 services need about 54\.0 MB/ }] },
    { fixture: "coredns/memory-limit-low/invalid-large-cache", expect: [{ file: "resources/coredns.yaml", line: 68, column: 21, message: /170Mi \(178\.3 MB\).*about 387\.3 MB.*333\.3 MB for 111104 cache entries/ }] },
    { fixture: "coredns/memory-limit-low/valid", expect: [] },
    { fixture: "coredns/memory-limit-low/valid-repository", expect: [] },
  ],
  "coredns/bind-capability": [
    { fixture: "coredns/bind-capability/invalid-non-root-drop-all", expect: [{ file: "coredns.yaml", line: 111, column: 15, severity: "error", message: /CoreDNS 1\.11\.3, runs as runAsUser 65532, coredns\.yaml:53\) drops ALL without adding NET_BIND_SERVICE.*file capability cap_net_bind_service=\+ep.*"exec \/coredns: operation not permitted"/ }] },
    { fixture: "coredns/bind-capability/valid", expect: [] },
    // Issue 17 row 12: the image's own user (nonroot since 1.11.0), and root, both with drop ALL.
    { fixture: "coredns/bind-capability/invalid-image-user-drop-all", expect: [{ file: "coredns.yaml", line: 108, column: 15, severity: "error", message: /runs as nonroot \(the image's user since CoreDNS 1\.11\.0\)\) drops ALL/ }] },
    { fixture: "coredns/bind-capability/invalid-run-as-root-drop-all", expect: [{ file: "coredns.yaml", line: 110, column: 15, severity: "error", message: /runAsUser 0, coredns\.yaml:53\) drops ALL.*operation not permitted/ }] },
    { fixture: "coredns/bind-capability/invalid-image-user-drop-all-containerd-2.0", expect: [{ file: "coredns.yaml", line: 108, severity: "error", message: /CoreDNS 1\.11\.0.*whatever the port, the user and the runtime's unprivileged-port setting/ }] },
    // Before 1.11.0 (no file capability, root): the runtime's unprivileged port start decides.
    { fixture: "coredns/bind-capability/invalid-root-drop-all-containerd-1.7", expect: [{ file: "coredns.yaml", line: 108, column: 15, severity: "error", message: /runs as root \(the image's user\).*unprivileged binds start at 1024 \(containerd:\/\/1\.7\.22 \(node worker-1's containerRuntimeVersion\).*bind: permission denied/ }] },
    { fixture: "coredns/bind-capability/invalid-root-drop-all-no-runtime", expect: [{ file: "coredns.yaml", line: 108, severity: "error", message: /assumed containerd 1\.x, whose enable_unprivileged_ports defaults to false/ }] },
    { fixture: "coredns/bind-capability/valid-root-drop-all-containerd-2.0", expect: [] },
    { fixture: "coredns/bind-capability/valid-root-drop-all-sysctl", expect: [] },
    { fixture: "coredns/bind-capability/valid-unprivileged-port", expect: [] },
  ],
  "coredns/selinux-privilege-escalation": [
    { fixture: "coredns/selinux-privilege-escalation/invalid-docker-1.12", expect: [{ file: "resources/coredns.yaml", line: 87, column: 37, severity: "warning", message: /node node-1 runs Docker 1\.12\.6 on CentOS Linux 7 \(Core\) \(resources\/nodes\.json:20\)/ }] },
    { fixture: "coredns/selinux-privilege-escalation/valid", expect: [] },
  ],
  "coredns/single-replica": [
    { fixture: "coredns/single-replica/invalid-one", rules: { "coredns/single-replica": "info" }, expect: [{ file: "coredns.yaml", line: 37, column: 13, severity: "info", message: /runs one CoreDNS replica/ }] },
    { fixture: "coredns/single-replica/invalid-absent", rules: { "coredns/single-replica": "info" }, expect: [{ file: "coredns.yaml", line: 36, column: 1, message: /sets no replicas/ }] },
    { fixture: "coredns/single-replica/invalid-one", expect: [] },
    { fixture: "coredns/single-replica/valid", rules: { "coredns/single-replica": "info" }, expect: [] },
    { fixture: "coredns/single-replica/valid-autoscaler", rules: { "coredns/single-replica": "info" }, expect: [] },
  ],
};

runRuleTable(table);

describe("coredns workload pack", () => {
  it("registers exactly the rules of its table, each with a docs page", () => {
    expect(corednsWorkloadRules.map((r) => r.meta.id).sort()).toEqual(Object.keys(table).sort());
    for (const r of corednsWorkloadRules) expect(existsSync(path.join(ROOT, "docs/rules", `${r.meta.id}.md`)), r.meta.id).toBe(true);
  });
  it("parses Kubernetes quantities", () => {
    expect(parseQuantity("170Mi")).toBe(170 * 2 ** 20);
    expect(parseQuantity("200M")).toBe(200e6);
    expect(parseQuantity("0.5Gi")).toBe(2 ** 29);
    expect(parseQuantity("1e9")).toBe(1e9);
    expect(parseQuantity("128974848")).toBe(128974848);
    expect(parseQuantity("500m")).toBe(0.5);
    expect(parseQuantity("170MiB")).toBeNull();
    expect(parseQuantity("")).toBeNull();
  });
  it("reads versions from image tags", () => {
    expect(imageVersion("registry.k8s.io/coredns/coredns:v1.11.3")).toEqual([1, 11, 3]);
    expect(imageVersion("k8s.gcr.io/coredns:1.1.3")).toEqual([1, 1, 3]);
    expect(imageVersion("localhost:5000/coredns")).toBeNull();
    expect(imageVersion("coredns/coredns@sha256:abc")).toBeNull();
  });
});

const REAL = path.resolve(ROOT, "../shared/corpus/real");
const present = existsSync(REAL);
if (!present) console.warn(`note: ${REAL} is missing: the real-corpus tests of the CoreDNS workload pack are skipped`);
const PACK = new Set(corednsWorkloadRules.map((r) => r.meta.id));

describe.skipIf(!present)("CoreDNS workload pack on corpus/real", () => {
  // Files that do not parse or are templates, per PROVENANCE.md; broken-from-issues is checked case by case below.
  const notJudged = /^broken-from-issues\/|calico-v3\.24-cni_network_config\.template|multus-docs-example-00-multus|cni-spec-example-dbnet|k3s-manifests-coredns\.template|\.yaml\.sed$|\.yaml\.base$|invalid_/;
  const files = (dir: string): string[] =>
    readdirSync(path.join(REAL, dir)).flatMap((name) => {
      const rel = dir ? `${dir}/${name}` : name;
      return statSync(path.join(REAL, rel)).isDirectory() ? files(rel) : [rel];
    });

  it("upstream files not called broken get no error from this pack, file by file (the snapshot as a whole)", () => {
    const inputs = [
      ...files("").filter((f) => !f.startsWith("snapshots/") && f !== "PROVENANCE.md" && !notJudged.test(f)),
      "snapshots/sbctl-kurl-support-bundle",
    ];
    expect(inputs.length).toBeGreaterThan(60);
    const errors: string[] = [];
    for (const input of inputs) {
      const run = runLint([path.join(REAL, input)], { cwd: REAL, config: null });
      for (const r of run.report.results) if (PACK.has(r.ruleId) && r.severity === "error") errors.push(`${r.file}:${r.line} ${r.ruleId}`);
    }
    expect(errors).toEqual([]);
  });

  it("the upstream CoreDNS manifests are quiet at every severity, except single-replica where replicas is left to its default", () => {
    const got: string[] = [];
    for (const f of ["coredns/coredns-deployment-coredns.rendered.yaml", "coredns/k8s-cluster-addons-coredns.rendered.yaml", "coredns/coredns-deployment-v1.3.1-2019-proxy.rendered.yaml", "coredns/k8s-nodelocaldns.yaml", "snapshots/sbctl-kurl-support-bundle"]) {
      const run = runLint([path.join(REAL, f)], { cwd: REAL, config: null, rules: { "coredns/single-replica": "info" } });
      for (const r of run.report.results) if (PACK.has(r.ruleId)) got.push(`${r.file}:${r.line} ${r.ruleId}`);
    }
    // coredns/deployment leaves replicas to Kubernetes' default of 1 (its comment says so); the addon manifest is autoscaled.
    expect(got).toEqual(["coredns/coredns-deployment-coredns.rendered.yaml:84 coredns/single-replica"]);
  });

  it("no broken-from-issues case is this pack's: none of their EXPECTED sentences names a workload problem, and the pack stays quiet on them", () => {
    const broken = files("broken-from-issues");
    expect(broken.length).toBeGreaterThan(15);
    const got: string[] = [];
    for (const f of broken) {
      const run = runLint([path.join(REAL, f)], { cwd: REAL, config: null });
      for (const r of run.report.results) if (PACK.has(r.ruleId)) got.push(`${r.file}:${r.line} ${r.ruleId}`);
    }
    expect(got).toEqual([]);
  });
});
