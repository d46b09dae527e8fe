/** The kube-proxy pack: rule tables over fixtures, the real corpus, and kube-proxy's own validation cases through the whole pipeline. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { runLint } from "../src/engine/lint.js";
import { kubeProxyPackRules } from "../src/rules/kube-proxy/pack.js";
import { fieldSegments } from "../src/rules/kube-proxy/lib/workload.js";
import { ROOT } from "./helpers/lint-fixture.js";
import { runRuleTable, type RuleCase } from "./helpers/rule-table.js";
import { eachCase } from "./helpers/shared.js";

const F = "kube-proxy";

const table: Record<string, RuleCase[]> = {
  "kube-proxy/invalid-config": [
    {
      fixture: `${F}/invalid-config/invalid-configmap`,
      expect: [
        { file: "kube-proxy.yaml", line: 17, column: 22, field: "iptables.masqueradeBit", message: /iptables\.masqueradeBit 32 must be within the range \[0, 31\].*kube-proxy 1\.31\.2/ },
        { file: "kube-proxy.yaml", line: 20, column: 25, field: "metricsBindAddress", message: /"localhost:10249": host "localhost" must be a valid IP/ },
        { file: "kube-proxy.yaml", line: 21, column: 11, field: "mode", message: /mode "userspace" is not supported on Linux/ },
      ],
    },
    {
      fixture: `${F}/invalid-config/invalid-standalone-json`,
      expect: [
        // The unknown gate is pointed at by its own key.
        { file: "kube-proxy-config.json", line: 6, column: 5, field: "featureGates", message: /unrecognized feature gate: NFTablesProxyMod \(did you mean "NFTablesProxyMode"\?\)/ },
        { file: "kube-proxy-config.json", line: 10, column: 39, field: "nodePortAddresses[1]", message: /"192\.168\.1\.10" must be a valid CIDR or "primary" \(an address needs a prefix length/ },
        { file: "kube-proxy-config.json", line: 12, column: 19, field: "nftables.syncPeriod", message: /nftables\.syncPeriod \(30s\) must be greater than or equal to nftables\.minSyncPeriod \(1m0s\)/ },
      ],
    },
    {
      // Absent fields that defaulting makes wrong are reported where their cause is.
      fixture: `${F}/invalid-config/invalid-defaulted-absent`,
      expect: [
        { file: "kube-proxy.yaml", line: 4, column: 18, field: "detectLocal.bridgeInterface", message: /must not be empty when detectLocalMode is BridgeInterface/ },
        { file: "kube-proxy.yaml", line: 7, column: 18, field: "ipvs.syncPeriod", message: /ipvs\.syncPeriod \(30s\) must be greater than or equal to ipvs\.minSyncPeriod \(45s\)/ },
      ],
    },
    {
      // kernelspace is Windows-only; the DaemonSet that loads this config runs on Linux nodes.
      fixture: `${F}/invalid-config/invalid-mode-on-linux-daemonset`,
      expect: [{ file: "kube-proxy.yaml", line: 15, column: 11, field: "mode", message: /mode "kernelspace" is not supported on Linux/ }],
    },
    { fixture: `${F}/invalid-config/valid`, expect: [] },
    { fixture: `${F}/invalid-config/valid-windows-daemonset`, expect: [] },
  ],
  "kube-proxy/unknown-field": [
    {
      fixture: `${F}/unknown-field/invalid-typos`,
      expect: [
        { file: "kube-proxy.yaml", line: 15, column: 5, severity: "warning", field: "clusterCidr", message: /field names are case-sensitive: did you mean "clusterCIDR"/ },
        { file: "kube-proxy.yaml", line: 17, column: 7, field: "conntrack.max", message: /conntrack\.max was removed in 1\.15.*use conntrack\.maxPerCore/ },
        { file: "kube-proxy.yaml", line: 20, column: 7, field: "iptables.masqueradeBits", message: /did you mean "masqueradeBit"/ },
        { file: "kube-proxy.yaml", line: 22, column: 5, field: "resourceContainer", message: /resourceContainer was removed in 1\.16/ },
      ],
    },
    { fixture: `${F}/unknown-field/valid`, expect: [] },
  ],
  "kube-proxy/wrong-type": [
    {
      fixture: `${F}/wrong-type/invalid-feature-gates-string`,
      expect: [{ file: "kube-proxy-config.yaml", line: 6, column: 15, field: "featureGates", message: /featureGates must be a mapping of feature gate names to booleans .*got ""/ }],
    },
    {
      fixture: `${F}/wrong-type/invalid-configmap`,
      expect: [
        { file: "kube-proxy.yaml", line: 14, column: 12, field: "clientConnection.qps", message: /must be a number, got "5"/ },
        { file: "kube-proxy.yaml", line: 17, column: 19, field: "iptables.syncPeriod", message: /must be a duration string .*got 30/ },
      ],
    },
    { fixture: `${F}/wrong-type/valid`, expect: [] },
  ],
  "kube-proxy/cluster-cidr-missing": [
    {
      fixture: `${F}/cluster-cidr-missing/invalid-empty`,
      expect: [{ file: "kube-proxy.yaml", line: 15, column: 18, severity: "warning", field: "clusterCIDR", message: /clusterCIDR is empty.*pod CIDR 10\.244\.0\.0\/16 \(kubeadm ClusterConfiguration in ConfigMap kubeadm-config networking\.podSubnet, kubeadm-config\.yaml:13\)/ }],
    },
    {
      fixture: `${F}/cluster-cidr-missing/invalid-unset-standalone`,
      expect: [{ file: "kube-proxy-config.yaml", line: 3, column: 18, field: "clusterCIDR", message: /detectLocalMode is ClusterCIDR but clusterCIDR is not set/ }],
    },
    { fixture: `${F}/cluster-cidr-missing/valid`, expect: [] },
    { fixture: `${F}/cluster-cidr-missing/valid-node-cidr-mode`, expect: [] },
    { fixture: `${F}/cluster-cidr-missing/valid-kubeadm-fills-it`, expect: [] },
    // A misspelt clusterCidr is unknown-field's finding; the empty clusterCIDR is only its symptom.
    { fixture: `${F}/unknown-field/invalid-typos`, expect: [] },
  ],
  "kube-proxy/cidr-overlap": [
    {
      fixture: `${F}/cidr-overlap/invalid-facts`,
      expect: [{ file: "kube-proxy.yaml", line: 14, column: 18, severity: "error", field: "clusterCIDR", message: /clusterCIDR 10\.100\.0\.0\/16 overlaps the service CIDR 10\.96\.0\.0\/12 stated by facts\.serviceCIDR in the config file\./ }],
    },
    {
      fixture: `${F}/cidr-overlap/invalid-dual-stack-apiserver`,
      expect: [{ file: "kube-proxy.yaml", line: 14, field: "clusterCIDR", message: /fd00:10:96::\/108 overlaps the service CIDR fd00:10:96::\/112 stated by kube-apiserver --service-cluster-ip-range \(etc\/kubernetes\/manifests\/kube-apiserver\.yaml:17\)/ }],
    },
    {
      fixture: `${F}/cidr-overlap/warning-node-cidr-mode`,
      expect: [{ file: "kube-proxy.yaml", line: 14, severity: "warning", message: /detectLocalMode NodeCIDR does not use clusterCIDR today/ }],
    },
    {
      // Node podCIDRs only have to lie inside clusterCIDR; they do not state the pod CIDR.
      fixture: `${F}/cidr-overlap/invalid-node-podcidrs-inside`,
      expect: [{ file: "kube-proxy.yaml", line: 14, column: 18, message: /clusterCIDR 10\.0\.0\.0\/8 overlaps the service CIDR 10\.96\.0\.0\/12/ }],
    },
    { fixture: `${F}/cidr-overlap/valid`, expect: [] },
    // podSubnet itself overlaps the service CIDR: cluster/cidr-overlap reports that at its source.
    { fixture: `${F}/cidr-overlap/valid-pod-cidr-is-the-cause`, expect: [] },
    // clusterCIDR differs from podSubnet: cluster-cidr-mismatch reports the wrong value at this field.
    { fixture: `${F}/cidr-overlap/valid-mismatch-reports-it`, expect: [] },
  ],
  "kube-proxy/config-not-mounted": [
    {
      fixture: `${F}/config-not-mounted/invalid-wrong-key`,
      expect: [{ file: "kube-proxy-ds.yaml", line: 22, column: 20, message: /--config=\/var\/lib\/kube-proxy\/configuration\.conf .*ConfigMap kube-proxy at \/var\/lib\/kube-proxy.*\(its keys: config\.conf, kubeconfig\.conf\) \(did you mean \/var\/lib\/kube-proxy\/config\.conf\?\)/ }],
    },
    {
      fixture: `${F}/config-not-mounted/invalid-items`,
      expect: [{ file: "kube-proxy.yaml", line: 59, column: 20, message: /key config\.conf is in the ConfigMap but the volume's items do not select it/ }],
    },
    {
      fixture: `${F}/config-not-mounted/invalid-other-configmap`,
      expect: [{ file: "kube-proxy-ds.yaml", line: 22, message: /ConfigMap kube-proxy-config mounted at \/var\/lib\/kube-proxy is not in the input, but ConfigMap kube-proxy \(kube-proxy-cm\.yaml\) holds the KubeProxyConfiguration/ }],
    },
    {
      fixture: `${F}/config-not-mounted/invalid-snapshot-configmap-missing`,
      expect: [{ file: "resources/daemonsets.yaml", line: 25, column: 22, message: /ConfigMap kube-proxy-v2 mounted at \/var\/lib\/kube-proxy does not exist in this snapshot/ }],
    },
    { fixture: `${F}/config-not-mounted/valid`, expect: [] },
    { fixture: `${F}/config-not-mounted/valid-subpath`, expect: [] },
    { fixture: `${F}/config-not-mounted/valid-configmap-elsewhere`, expect: [] },
  ],
  "kube-proxy/kubeconfig-not-mounted": [
    {
      fixture: `${F}/kubeconfig-not-mounted/invalid-key-missing`,
      expect: [{ file: "kube-proxy.yaml", line: 14, column: 19, field: "clientConnection.kubeconfig", message: /\/var\/lib\/kube-proxy\/kubeconfig\.conf names a file the kube-proxy container of DaemonSet kube-system\/kube-proxy \(kube-proxy\.yaml:40\) does not get.*\(its keys: config\.conf\)/ }],
    },
    {
      fixture: `${F}/kubeconfig-not-mounted/invalid-no-volume`,
      expect: [{ file: "kube-proxy.yaml", line: 14, field: "clientConnection.kubeconfig", message: /no volume of the kube-proxy container is mounted at or above \/etc\/kubernetes\/kube-proxy\.kubeconfig/ }],
    },
    { fixture: `${F}/kubeconfig-not-mounted/valid`, expect: [] },
    { fixture: `${F}/kubeconfig-not-mounted/valid-host-path`, expect: [] },
  ],
  "kube-proxy/ipvs-scheduler": [
    {
      fixture: `${F}/ipvs-scheduler/invalid-typo`,
      expect: [{ file: "kube-proxy.yaml", line: 16, column: 18, severity: "warning", field: "ipvs.scheduler", message: /"rrr" is not an IPVS scheduler .*\(did you mean "rr"\?\)/ }],
    },
    {
      fixture: `${F}/ipvs-scheduler/invalid-inactive`,
      expect: [{ file: "kube-proxy-config.yaml", line: 5, column: 14, severity: "warning", message: /"round-robin" .*mode is iptables, so this bites only when the mode changes to ipvs/ }],
    },
    {
      fixture: `${F}/ipvs-scheduler/info-deprecated-mode`,
      expect: [{ file: "kube-proxy.yaml", line: 18, column: 11, severity: "info", field: "mode", message: /mode ipvs is deprecated since Kubernetes 1\.35 \(this is kube-proxy 1\.35\.1, from image registry\.k8s\.io\/kube-proxy:v1\.35\.1\)/ }],
    },
    { fixture: `${F}/ipvs-scheduler/valid`, expect: [] },
  ],
  "kube-proxy/hostname-override": [
    {
      fixture: `${F}/hostname-override/invalid-snapshot`,
      rules: { "kube-proxy/hostname-override": "info" },
      expect: [{ file: "resources/daemonsets.yaml", line: 23, column: 11, severity: "info", message: /runs without --hostname-override.*Node worker-1 has hostname ip-192-168-10-11 \(resources\/nodes\.yaml:19\) \(and 1 more node: worker-2\)/ }],
    },
    {
      fixture: `${F}/hostname-override/invalid-env-not-defined`,
      rules: { "kube-proxy/hostname-override": "info" },
      expect: [{ file: "kube-proxy-ds.yaml", line: 23, column: 31, severity: "info", message: /uses \$\(NODE_NAME\), which the container's env does not define/ }],
    },
    { fixture: `${F}/hostname-override/valid-snapshot`, rules: { "kube-proxy/hostname-override": "info" }, expect: [] },
    { fixture: `${F}/hostname-override/valid-names-match`, rules: { "kube-proxy/hostname-override": "info" }, expect: [] },
    // Advisory: off in the recommended preset.
    { fixture: `${F}/hostname-override/invalid-snapshot`, expect: [] },
  ],
};

runRuleTable(table);

describe("the kube-proxy pack", () => {
  it("registers every rule of the table, with a docs page", () => {
    expect(kubeProxyPackRules.map((r) => r.meta.id).sort()).toEqual(Object.keys(table).sort());
    for (const r of kubeProxyPackRules) expect(existsSync(path.join(ROOT, "docs/rules", `${r.meta.id}.md`)), r.meta.id).toBe(true);
  });

  it("reads the library's field paths as segments", () => {
    expect(fieldSegments("iptables.syncPeriod")).toEqual(["iptables", "syncPeriod"]);
    expect(fieldSegments("nodePortAddresses[1]")).toEqual(["nodePortAddresses", 1]);
    expect(fieldSegments("logging.vmodule[0]")).toEqual(["logging", "vmodule", 0]);
    expect(fieldSegments('featureGates["a.b"]')).toEqual(["featureGates", "a.b"]);
  });
});

// ---------------------------------------------------------------- kube-proxy's own validation cases, through the CLI pipeline

const corpus = path.resolve(ROOT, "../shared/corpus");
const casesFile = path.join(corpus, "kube-proxy-validation/cases.json");
const haveCases = existsSync(casesFile);
if (!haveCases) console.warn(`note: ${casesFile} is missing: the kube-proxy validation cases are not run through the CLI`);

interface ValidationCase {
  name: string;
  config: Record<string, unknown>;
  valid: boolean;
  validAfterDefaulting?: boolean;
  errorFields: string[];
  platform: "any" | "linux" | "windows";
}

describe.skipIf(!haveCases)("kube-proxy validation cases as files linted by the CLI pipeline", () => {
  // Read in beforeAll (never at collection: a clone has no ../shared).
  let cases: ValidationCase[] = [];
  let tmp = "";
  beforeAll(() => {
    cases = (JSON.parse(readFileSync(casesFile, "utf8")) as { cases: ValidationCase[] }).cases.filter((c) => c.platform !== "windows");
    tmp = mkdtempSync(path.join(os.tmpdir(), "knl-kp-cases-"));
  });
  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it("has Linux cases", () => expect(cases.length).toBeGreaterThan(50));

  it("every Linux case: an error exactly on the fields upstream's Validate() names", () => eachCase(cases, (c) => c.name, (c, i) => {
    const file = `case-${i}.yaml`;
    const doc = { apiVersion: "kubeproxy.config.k8s.io/v1alpha1", kind: "KubeProxyConfiguration", ...c.config };
    writeFileSync(path.join(tmp, file), stringify(doc));
    const run = runLint([file], { cwd: tmp, config: null });
    const found = run.report.results.filter((r) => r.ruleId === "kube-proxy/invalid-config" || r.ruleId === "kube-proxy/wrong-type");
    const expectValid = c.validAfterDefaulting ?? c.valid;
    expect(found.filter((r) => r.severity === "error").length === 0, found.map((r) => `${r.field}: ${r.message}`).join("\n")).toBe(expectValid);
    const fields = [...new Set(found.map((r) => r.field))].sort();
    expect(fields).toEqual(expectValid ? [] : [...c.errorFields].sort());
    // One finding per field, in the file itself.
    expect(found.length).toBe(fields.length);
    for (const r of found) expect(r.file).toBe(file);
  }));
});

// ---------------------------------------------------------------- the real corpus

const real = path.join(corpus, "real");
const haveReal = existsSync(real);
if (!haveReal) console.warn(`note: ${real} is missing: the kube-proxy pack's real-corpus tests are skipped`);

const PACK = new Set(kubeProxyPackRules.map((r) => r.meta.id));

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe.skipIf(!haveReal)("kube-proxy pack on corpus/real", () => {
  const dirs = ["coredns", "cni", "kube-proxy", "kubelet", "kubeadm", "snapshots", "manifests-bundles"];

  it("upstream files not called broken get no error from the pack, file by file and directory by directory", () => {
    const errors: string[] = [];
    for (const dir of dirs) {
      const whole = runLint([dir], { cwd: real, config: null });
      for (const r of whole.report.results) if (PACK.has(r.ruleId) && r.severity === "error") errors.push(`${r.file}:${r.line} ${r.ruleId} (dir ${dir})`);
      for (const abs of filesUnder(path.join(real, dir))) {
        const rel = path.relative(real, abs);
        let run;
        try {
          run = runLint([rel], { cwd: real, config: null });
        } catch {
          continue; // not an input kube-netlint reads on its own
        }
        for (const r of run.report.results) if (PACK.has(r.ruleId) && r.severity === "error") errors.push(`${r.file}:${r.line} ${r.ruleId}`);
      }
    }
    expect(errors).toEqual([]);
  });

  it("featureGates: \"\" is a wrong type (kubernetes/kubernetes#60426)", () => {
    const run = runLint(["broken-from-issues/kube-proxy-config-featureGates-empty-string.yaml"], { cwd: real, config: null });
    const f = run.report.results.filter((r) => r.ruleId === "kube-proxy/wrong-type");
    expect(f.map((r) => [r.line, r.field, r.severity])).toEqual([[10, "featureGates", "error"]]);
    expect(f[0]!.message).toMatch(/mapping of feature gate names to booleans/);
    expect(run.report.results.filter((r) => r.ruleId === "kube-proxy/invalid-config")).toEqual([]);
  });

  it("conntrack.max, resourceContainer and udpIdleTimeout are removed fields (jhunt/k8s-boshrelease#58)", () => {
    const run = runLint(["broken-from-issues/kube-proxy-config-removed-fields-conntrack-max-resourceContainer.yaml"], { cwd: real, config: null });
    const f = run.report.results.filter((r) => r.ruleId === "kube-proxy/unknown-field");
    expect(f.map((r) => [r.line, r.field])).toEqual([[13, "conntrack.max"], [31, "resourceContainer"], [32, "udpIdleTimeout"]]);
    expect(f.map((r) => r.message).join("\n")).toMatch(/conntrack\.max was removed in 1\.15[\s\S]*resourceContainer was removed in 1\.16[\s\S]*udpIdleTimeout was removed together with the userspace proxy mode in 1\.26/);
    expect(run.report.results.filter((r) => r.severity === "error" && PACK.has(r.ruleId))).toEqual([]);
  });

  it("--config=/var/lib/kube-proxy/configuration.conf is not provided by the mounted ConfigMap", () => {
    const run = runLint(["broken-from-issues/kube-proxy-daemonset-config-path-mismatch.yaml"], { cwd: real, config: null });
    const f = run.report.results.filter((r) => r.ruleId === "kube-proxy/config-not-mounted");
    expect(f.map((r) => [r.line, r.column, r.severity])).toEqual([[123, 20, "error"]]);
    expect(f[0]!.message).toMatch(/configuration\.conf .*ConfigMap kube-proxy .*keys: config\.conf, kubeconfig\.conf/);
    // The config itself is fine once loaded: no other error from the pack.
    expect(run.report.results.filter((r) => PACK.has(r.ruleId) && r.ruleId !== "kube-proxy/config-not-mounted" && r.severity === "error")).toEqual([]);
  });

  it("the live kubeadm DaemonSet and its ConfigMap join: no finding from the workload rules", () => {
    const run = runLint(["kube-proxy/live-kubeadm-v1.34-kube-proxy-configmap.yaml", "kube-proxy/live-kubeadm-v1.34-kube-proxy-daemonset.yaml"], { cwd: real, config: null });
    const ids = new Set(["kube-proxy/config-not-mounted", "kube-proxy/kubeconfig-not-mounted", "kube-proxy/invalid-config", "kube-proxy/wrong-type"]);
    expect(run.report.results.filter((r) => ids.has(r.ruleId))).toEqual([]);
  });
});
