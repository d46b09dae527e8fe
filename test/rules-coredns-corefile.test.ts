/** The CoreDNS Corefile pack: rule tables, fixes, CoreDNS's own setup cases, and the real corpus. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runLint } from "../src/engine/lint.js";
import { normalizeServerKey } from "../src/parsers/corefile/index.js";
import { corednsCorefileRules } from "../src/rules/coredns/corefile-pack.js";
import { keyZones } from "../src/rules/coredns/lib/corefile.js";
import { NEWEST, parseVersion } from "../src/rules/coredns/lib/versions.js";
import { lintFixture, ROOT } from "./helpers/lint-fixture.js";
import { runRuleTable, type RuleCase } from "./helpers/rule-table.js";
import { eachCase, needShared } from "./helpers/shared.js";

const PACK = new Set(corednsCorefileRules.map((r) => r.meta.id));
const F = "coredns";

const table: Record<string, RuleCase[]> = {
  "coredns/unknown-plugin": [
    { fixture: `${F}/unknown-plugin/invalid-typo`, expect: [{ file: "Corefile", line: 7, column: 5, severity: "error", message: /Unknown directive 'forwad' \(did you mean 'forward'\?\).*CoreDNS 1\.14\.7/ }] },
    { fixture: `${F}/unknown-plugin/invalid-plugin-too-new`, expect: [{ file: "coredns.yaml", line: 13, column: 9, message: /ready plugin was added in CoreDNS 1\.5\.0, and the target is CoreDNS 1\.3\.1 \(image registry\.k8s\.io\/coredns:1\.3\.1/ }] },
    { fixture: `${F}/unknown-plugin/invalid-json-case`, expect: [{ file: "coredns.json", line: 9, column: 42, message: /'Forward' \(directive names are case-sensitive: did you mean 'forward'\?\)/ }] },
    { fixture: `${F}/parser-quirk/invalid-glued`, expect: [{ file: "Corefile", line: 5, column: 9, message: /'fallthrough'.*'corp\.example\{' \(Corefile:4\) did not open a block/ }] },
    {
      fixture: `${F}/unknown-plugin/invalid-glued-name`,
      expect: [
        { file: "Corefile", line: 3, column: 5, message: /'hosts\{': the '\{' is glued to the plugin name, so no hosts block opens/ },
        { file: "Corefile", line: 4, column: 9, message: /Unknown directive '10\.0\.0\.50'.*'hosts\{' \(Corefile:3\) did not open a block/ },
        { file: "Corefile", line: 5, column: 9, message: /Unknown directive 'fallthrough'/ },
      ],
    },
    { fixture: `${F}/unknown-plugin/valid`, expect: [] },
    { fixture: `${F}/unknown-plugin/invalid-prototype-name`, expect: [{ file: "Corefile", line: 5, column: 5, severity: "error", message: /Unknown directive 'constructor'/ }] },
    { fixture: `${F}/removed-plugin/invalid-proxy`, expect: [] },
    { fixture: "coredns/corefile-syntax/invalid-nested-server-block", expect: [] },
  ],
  "coredns/removed-plugin": [
    { fixture: `${F}/removed-plugin/invalid-proxy`, expect: [{ file: "coredns.yaml", line: 16, column: 9, severity: "error", message: /proxy plugin was removed in CoreDNS 1\.5\.0.*CoreDNS 1\.6\.7 \(image registry\.k8s\.io\/coredns:1\.6\.7 \(Deployment coredns\)\).*Use forward/ }] },
    { fixture: `${F}/removed-plugin/invalid-proxy-least-conn`, expect: [{ file: "Corefile", line: 3, column: 5, severity: "error" }] },
    { fixture: `${F}/unknown-plugin/invalid-prototype-name`, expect: [] },
    { fixture: `${F}/removed-plugin/invalid-federation`, expect: [{ file: "Corefile", line: 6, column: 5, severity: "error", message: /federation plugin was removed in CoreDNS 1\.7\.0/ }] },
    { fixture: `${F}/removed-plugin/warning-proxy-deprecated`, expect: [{ file: "Corefile", line: 3, severity: "warning", message: /deprecated since CoreDNS 1\.4\.0 and removed in 1\.5\.0 \(target CoreDNS 1\.4\.0 \(facts\.corednsVersion\)\)/ }] },
    { fixture: `${F}/removed-plugin/valid`, expect: [] },
  ],
  "coredns/removed-option": [
    {
      fixture: `${F}/removed-option/invalid-snapshot-list`,
      expect: [
        { file: "resources/kube-system.yaml", line: 16, column: 17, severity: "error", message: /'upstream' was removed in CoreDNS 1\.7\.0: CoreDNS 1\.8\.6 .*unknown property 'upstream'/ },
        { file: "resources/kube-system.yaml", line: 17, column: 17, severity: "error", message: /'resyncperiod' was removed in CoreDNS 1\.7\.0/ },
      ],
    },
    {
      fixture: `${F}/removed-option/warning-deprecated`,
      expect: [
        { file: "Corefile", line: 6, column: 9, severity: "warning", message: /'upstream' is ignored since CoreDNS 1\.5\.2 .* removed in 1\.7\.0/ },
        { file: "Corefile", line: 7, column: 9, severity: "warning", message: /'resyncperiod' is deprecated since CoreDNS 1\.5\.0/ },
      ],
    },
    { fixture: `${F}/removed-option/invalid-transfer`, expect: [{ file: "Corefile", line: 5, column: 9, severity: "error", message: /'transfer' was removed in CoreDNS 1\.8\.0.*transfer plugin/ }] },
    { fixture: `${F}/removed-option/valid`, expect: [] },
  ],
  "coredns/invalid-plugin-option": [
    {
      fixture: `${F}/invalid-plugin-option/invalid-prototype-names`,
      expect: [
        { file: "Corefile", line: 6, column: 9, severity: "error", message: /forward has no option 'constructor'/ },
        { file: "Corefile", line: 7, column: 9, severity: "error", message: /forward has no option 'toString'/ },
        { file: "Corefile", line: 10, column: 9, severity: "error", message: /cache has no option '__proto__'/ },
      ],
    },
    {
      fixture: `${F}/invalid-plugin-option/invalid-kubernetes`,
      expect: [
        { file: "Corefile", line: 4, column: 14, message: /wrong value for pods: secure/ },
        { file: "Corefile", line: 5, column: 13, message: /ttl must be in range \[0, 3600\]: 7200/ },
        { file: "Corefile", line: 6, column: 9, message: /unknown property 'endpoint_pods_names'.*did you mean 'endpoint_pod_names'/ },
        { file: "Corefile", line: 10, column: 11, message: /cache TTL can not be zero or negative: 0/ },
      ],
    },
    {
      fixture: `${F}/invalid-plugin-option/invalid-forward`,
      expect: [
        { file: "coredns.yaml", line: 10, column: 19, message: /'grpc' is not supported as a destination protocol in forward: grpc:\/\/10\.0\.0\.2/ },
        { file: "coredns.yaml", line: 19, column: 19, message: /not an IP address or file: "dns\.google".*only since CoreDNS 1\.14\.4.*CoreDNS 1\.6\.7/ },
        { file: "coredns.yaml", line: 20, column: 20, message: /unknown policy 'least_conn'/ },
        { file: "coredns.yaml", line: 21, column: 13, message: /unknown property 'max_concurrent'.*added in CoreDNS 1\.6\.8/ },
      ],
    },
    {
      fixture: `${F}/invalid-plugin-option/invalid-once-per-block`,
      expect: [
        { file: "coredns.yaml", line: 18, column: 9, message: /plugin\/hosts: this plugin can only be used once per Server Block: hosts is already used in server block \.:53 at coredns\.yaml:10/ },
        { file: "coredns.yaml", line: 23, column: 9, message: /plugin\/forward: this plugin can only be used once.*forward may repeat only since CoreDNS 1\.9\.4/ },
      ],
    },
    {
      fixture: `${F}/invalid-plugin-option/invalid-brace-next-line`,
      expect: [
        { file: "Corefile", line: 4, column: 5, message: /plugin\/forward: Unexpected token '\{', expecting argument/ },
        { file: "Corefile", line: 8, column: 5, message: /plugin\/cache: this plugin can only be used once per Server Block: the '\{' on its own line is read as a second cache/ },
      ],
    },
    { fixture: `${F}/invalid-plugin-option/valid`, expect: [] },
    { fixture: `${F}/invalid-plugin-option/valid-hostname-upstream`, expect: [] },
    { fixture: `${F}/invalid-plugin-option/valid-upstream-forms`, expect: [] },
    { fixture: `${F}/parser-quirk/invalid-env-no-deployment`, expect: [] },
  ],
  "coredns/duplicate-zone": [
    { fixture: `${F}/duplicate-zone/invalid-two-blocks`, expect: [{ file: "coredns.yaml", line: 34, column: 5, severity: "error", message: /key '\.:53' serves zone \. on port 53 again \(first at coredns\.yaml:8, key '\.:53'\): CoreDNS stops with "cannot serve dns:\/\/\.:53 - it is already defined"/ }] },
    { fixture: `${F}/duplicate-zone/invalid-reverse-cidr-legacy`, expect: [{ file: "Corefile", line: 1, column: 29, message: /'10\.100\.0\.0\/17' and '10\.100\.128\.0\/20' normalise to 100\.10\.in-addr\.arpa\. in CoreDNS 1\.8\.3/ }] },
    { fixture: `${F}/duplicate-zone/invalid-bind-overlap`, expect: [{ file: "Corefile", line: 7, column: 1, message: /cannot serve dns:\/\/corp\.example\.:53 - zone overlap listener capacity with dns:\/\/corp\.example\.:53 on 10\.0\.0\.10/ }] },
    { fixture: `${F}/duplicate-zone/invalid-view-order`, expect: [{ file: "Corefile", line: 6, column: 1, message: /already defined"; before CoreDNS 1\.14\.3 a view block must come before the unfiltered block/ }] },
    { fixture: `${F}/duplicate-zone/valid`, expect: [] },
    { fixture: `${F}/duplicate-zone/valid-reverse-cidr-current`, expect: [] },
    { fixture: `${F}/parser-quirk/invalid-glued`, expect: [] },
    { fixture: `${F}/unknown-plugin/invalid-glued-name`, expect: [] },
  ],
  "coredns/parser-quirk": [
    {
      fixture: `${F}/parser-quirk/invalid-glued`,
      expect: [
        { file: "Corefile", line: 3, column: 8, severity: "warning", message: /'#queries' is glued to 'log'.*'only' after it is still read/ },
        { file: "Corefile", line: 4, column: 34, message: /'corp\.example\{' is one word/ },
      ],
    },
    {
      fixture: `${F}/parser-quirk/invalid-brace-next-line`,
      expect: [
        { file: "Corefile", line: 4, column: 5, message: /opens no block for health \(Corefile:3\)/ },
        { file: "Corefile", line: 11, column: 1, message: /a stray '\}' became a server key/ },
      ],
    },
    { fixture: `${F}/parser-quirk/invalid-env`, expect: [{ file: "coredns.yaml", line: 11, column: 20, message: /'\{\$METRICS_ADDR\}'.*unset \(the Deployment coredns sets no METRICS_ADDR/ }] },
    { fixture: `${F}/parser-quirk/invalid-env-no-deployment`, expect: [{ file: "Corefile", line: 3, column: 15, message: /UPSTREAM_DNS.*no Deployment that mounts this Corefile is in the input/ }] },
    { fixture: `${F}/parser-quirk/invalid-unknown-scheme`, expect: [{ file: "Corefile", line: 1, column: 1, message: /'udp:\/\/' is not a scheme CoreDNS knows/ }] },
    { fixture: `${F}/parser-quirk/valid`, expect: [] },
    { fixture: `${F}/parser-quirk/valid-env-from`, expect: [] },
    { fixture: `${F}/unknown-plugin/invalid-glued-name`, expect: [] },
    { fixture: `${F}/invalid-plugin-option/invalid-brace-next-line`, expect: [] },
  ],
  "coredns/loop-plugin-missing": [
    { fixture: `${F}/loop-plugin-missing/invalid`, expect: [{ file: "coredns.yaml", line: 20, column: 9, severity: "warning", message: /server block \.:53 forwards \(forward \. \/etc\/resolv\.conf\) but has no loop plugin/ }] },
    { fixture: `${F}/loop-plugin-missing/invalid-json`, expect: [{ file: "coredns.json", line: 9, column: 42 }] },
    { fixture: `${F}/loop-plugin-missing/invalid-stub-block`, expect: [{ file: "Corefile", line: 4, column: 5, message: /server block corp\.example:53 forwards/ }] },
    { fixture: `${F}/loop-plugin-missing/valid`, expect: [] },
    { fixture: `${F}/loop-plugin-missing/valid-before-loop-existed`, expect: [] },
  ],
  "coredns/reverse-zone-fallthrough": [
    { fixture: `${F}/reverse-zone-fallthrough/invalid`, expect: [{ file: "coredns.yaml", line: 14, column: 9, severity: "warning", message: /authoritative for in-addr\.arpa\. ip6\.arpa\. without `fallthrough`.*fallthrough in-addr\.arpa ip6\.arpa/ }] },
    { fixture: `${F}/reverse-zone-fallthrough/invalid-partial`, expect: [{ file: "Corefile", line: 3, column: 5, message: /authoritative for ip6\.arpa\. without `fallthrough` for it/ }] },
    { fixture: `${F}/reverse-zone-fallthrough/valid`, expect: [] },
    { fixture: `${F}/reverse-zone-fallthrough/valid-fallthrough-all`, expect: [] },
    // Issue 17 row 15: a CIDR that holds only Service IPs needs no fallthrough; a wider one, or pod space, does.
    { fixture: `${F}/reverse-zone-fallthrough/valid-service-cidr`, expect: [] },
    { fixture: `${F}/reverse-zone-fallthrough/valid-service-cidr-known`, expect: [] },
    { fixture: `${F}/reverse-zone-fallthrough/invalid-beyond-service-cidr`, expect: [{ file: "Corefile", line: 3, column: 5, severity: "warning", message: /authoritative for 10\.in-addr\.arpa\. .*PTR lookups of IPs in 10\.0\.0\.0\/8 that are not Service or endpoint addresses/ }] },
    { fixture: `${F}/reverse-zone-fallthrough/invalid-pod-cidr`, expect: [{ file: "Corefile", line: 3, severity: "warning", message: /IPs in 10\.244\.0\.0\/16 that are not Service or endpoint addresses/ }] },
  ],
  "coredns/stub-domain": [
    { fixture: `${F}/stub-domain/invalid-second-forward`, expect: [{ file: "Corefile", line: 8, column: 5, severity: "warning", message: /a second forward for '\.' in server block \.:53: the first one \(forward at Corefile:7\)/ }] },
    { fixture: `${F}/stub-domain/invalid-parent-first`, expect: [{ file: "coredns.yaml", line: 15, column: 9, message: /forward eu\.corp\.example\. comes after forward corp\.example\. \(coredns\.yaml:14\)/ }] },
    { fixture: `${F}/stub-domain/invalid-under-cluster-domain`, expect: [{ file: "coredns.yaml", line: 29, column: 5, message: /legacy\.cluster\.local\., a zone inside the cluster domain cluster\.local\. that the kubernetes plugin serves \(coredns\.yaml:14\)/ }] },
    { fixture: `${F}/stub-domain/valid`, expect: [] },
    { fixture: `${F}/invalid-plugin-option/invalid-once-per-block`, expect: [] },
  ],
  "coredns/no-reload": [
    { fixture: `${F}/no-reload/invalid`, rules: { "coredns/no-reload": "warning" }, expect: [{ file: "coredns.yaml", line: 8, column: 5, severity: "warning", message: /ConfigMap coredns\) has `reload`/ }] },
    { fixture: `${F}/no-reload/invalid`, expect: [] },
    { fixture: `${F}/no-reload/valid`, rules: { "coredns/no-reload": "warning" }, expect: [] },
  ],
};

runRuleTable(table);

/** Apply a finding's edits to its file's text. */
function applyFix(text: string, edits: { start: number; end: number; text: string }[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

function lintText(files: Record<string, string>, facts?: Record<string, unknown>) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "knl-corefile-"));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
    return runLint(["."], { cwd: dir, config: null, ...(facts ? { facts } : {}) }).report;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("server-key normalisation per release", () => {
  const keys = [".", ".:53", "example.org", "EXAMPLE.org.:1053", "tls://example.org", "grpc://.", "https3://corp.example:8443", "10.0.0.0/8", "10.0.0.0/17", "192.168.128.0/20", "172.16.0.0/12", "fd00::/64", "fd00::/62", "2001:db8::/30"];
  it("agrees with the parser's (current) normalisation at the newest release", () => {
    for (const key of keys) {
      const parsed = normalizeServerKey(key);
      if ("error" in parsed) throw new Error(parsed.error);
      expect(keyZones(key, NEWEST)?.map((z) => `${z.transport}://${z.zone}:${z.port}`), key).toEqual(parsed.zones.map((z) => `${z.transport}://${z.zone}:${z.portText}`));
    }
  });
  it("reads CIDR keys off the octet boundary as releases before 1.8.4 did (coredns/coredns#2779, #3123, #3808)", () => {
    const old = parseVersion("1.6.1")!;
    expect(keyZones("192.168.0.0/17", old)?.map((z) => z.zone)).toEqual(["168.192.in-addr.arpa."]);
    expect(keyZones("192.168.128.0/20", old)?.map((z) => z.zone)).toEqual(["168.192.in-addr.arpa."]);
    expect(keyZones("10.129.60.0/22", old)?.map((z) => z.zone)).toEqual(["60.129.10.in-addr.arpa."]);
    expect(keyZones("172.28.0.0/19", old)?.map((z) => z.zone)).toEqual(["28.172.in-addr.arpa."]);
    expect(keyZones("10.0.0.0/8", old)?.map((z) => z.zone)).toEqual(["10.in-addr.arpa."]);
  });
});

describe("fixes as data", () => {
  it("removed-plugin turns proxy into forward inside the ConfigMap's block scalar, translating its options", () => {
    const { report, clusters } = lintFixture(`${F}/removed-plugin/invalid-proxy`);
    const f = report.results.find((r) => r.ruleId === "coredns/removed-plugin")!;
    expect(f.fix).toBeTruthy();
    const text = clusters[0]!.files.find((x) => x.path === "coredns.yaml")!.text;
    const fixed = applyFix(text, f.fix!.edits);
    expect(fixed.split("\n").slice(15, 20)).toEqual([
      "        forward . /etc/resolv.conf {",
      "            except internal.example.org",
      "            force_tcp",
      "        }",
      "        cache 30",
    ]);
    const after = lintText({ "coredns.yaml": fixed });
    expect(after.results.filter((r) => PACK.has(r.ruleId))).toEqual([]);
  });

  it("removed-plugin gives no fix when a proxy option has no forward equivalent (policy least_conn)", () => {
    const { report } = lintFixture(`${F}/removed-plugin/invalid-proxy-least-conn`);
    expect(report.results.find((r) => r.ruleId === "coredns/removed-plugin")!.fix ?? null).toBeNull();
  });

  it("loop-plugin-missing adds `loop` after the forward block with its indentation", () => {
    const { report, clusters } = lintFixture(`${F}/loop-plugin-missing/invalid`);
    const f = report.results.find((r) => r.ruleId === "coredns/loop-plugin-missing")!;
    const text = clusters[0]!.files.find((x) => x.path === "coredns.yaml")!.text;
    const fixed = applyFix(text, f.fix!.edits);
    expect(fixed.split("\n").slice(19, 24)).toEqual(["        forward . /etc/resolv.conf {", "           max_concurrent 1000", "        }", "        loop", "        cache 30"]);
    expect(lintText({ "coredns.yaml": fixed }).results.filter((r) => PACK.has(r.ruleId))).toEqual([]);
  });

  it("loop-plugin-missing also fixes a standalone Corefile, and gives no fix in a JSON ConfigMap", () => {
    const stub = lintFixture(`${F}/loop-plugin-missing/invalid-stub-block`);
    const f = stub.report.results.find((r) => r.ruleId === "coredns/loop-plugin-missing")!;
    const fixed = applyFix(stub.clusters[0]!.files.find((x) => x.path === "Corefile")!.text, f.fix!.edits);
    expect(fixed.split("\n").slice(3, 6)).toEqual(["    forward . 10.0.0.53 10.0.0.54", "    loop", "}"]);
    const json = lintFixture(`${F}/loop-plugin-missing/invalid-json`).report.results.find((r) => r.ruleId === "coredns/loop-plugin-missing")!;
    expect(json.fix ?? null).toBeNull();
  });
});

describe("CoreDNS's own setup cases (corefile-parser corpus, layer coredns-setup)", () => {
  // Read in the test body (never at collection: a clone has no ../shared).
  it("each gives an error from the pack when CoreDNS's setup fails, and none when it succeeds", (ctx) => {
    const file = needShared(ctx, "corpus/corefile-parser/cases.json");
    const cases = (JSON.parse(readFileSync(file, "utf8")) as { cases: { name: string; layer: string; input: string; expect: { error?: boolean; errorContains?: string } }[] }).cases.filter((c) => c.layer === "coredns-setup");
    expect(cases.length).toBeGreaterThan(10);
    eachCase(cases, (c) => `${c.name}: ${c.expect.error ? "an error" : "no error"} from the pack`, (c) => {
      const report = lintText({ Corefile: c.input });
      const errors = report.results.filter((r) => r.severity === "error" && PACK.has(r.ruleId));
      if (c.expect.error) {
        expect(errors.length).toBeGreaterThan(0);
        if (c.expect.errorContains) expect(errors.map((e) => e.message).join("\n")).toContain(c.expect.errorContains);
      } else expect(errors).toEqual([]);
    });
  });
});

const real = path.resolve(ROOT, "../shared/corpus/real");
const realPresent = existsSync(real);
if (!realPresent) console.warn(`note: ${real} is missing: the Corefile pack's real-corpus tests are skipped`);

describe.skipIf(!realPresent)("corpus/real and the Corefile pack", () => {
  const lintReal = (rel: string, facts?: Record<string, unknown>) => runLint([path.join(real, rel)], { cwd: real, config: null, ...(facts ? { facts } : {}) }).report.results.filter((r) => PACK.has(r.ruleId));
  let tmp = "";
  beforeAll(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), "knl-corpus-"));
  });
  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it("upstream files not called broken get no error, file by file (at the CoreDNS version a file name states)", () => {
    const errors: string[] = [];
    for (const dir of ["coredns", "manifests-bundles", "kubeadm", "snapshots"]) {
      for (const name of readdirSync(path.join(real, dir))) {
        const version = /\.v(\d+\.\d+\.\d+)\./.exec(name)?.[1];
        for (const r of lintReal(`${dir}/${name}`, version ? { corednsVersion: version } : undefined)) if (r.severity === "error") errors.push(`${r.file}:${r.line} ${r.ruleId} ${r.message}`);
      }
    }
    expect(errors).toEqual([]);
  });

  it("corefile-migration's pre-1.5 inputs are what the pack says at the newest release: proxy and upstream are gone", () => {
    const found = lintReal("coredns/corefile-migration-testdata-multiple-proxy.v1.1.3.before.Corefile").map((r) => `${r.ruleId}:${r.line}:${r.severity}`);
    expect(found).toEqual(["coredns/removed-option:6:error", "coredns/removed-plugin:10:error", "coredns/removed-plugin:11:error", "coredns/removed-plugin:12:error"]);
  });

  it("hosts-missing-space-before-brace: 'example.com{' opens no block, ttl and fallthrough are unknown directives", () => {
    const found = lintReal("broken-from-issues/coredns-hosts-missing-space-before-brace.Corefile");
    expect(found.map((r) => `${r.ruleId}:${r.line}`).sort()).toEqual(["coredns/parser-quirk:3", "coredns/unknown-plugin:4", "coredns/unknown-plugin:5"]);
    expect(found.find((r) => r.line === 4)!.message).toMatch(/Unknown directive 'ttl'.*'example\.com\{'.*did not open a block/);
  });

  it("kubeadm-upgrade-unsupported-hosts-upstream: upstream is ignored on the 1.6 of kubeadm 1.16 and fatal from 1.7.0", () => {
    const file = "broken-from-issues/coredns-kubeadm-upgrade-unsupported-hosts-upstream.Corefile";
    expect(lintReal(file, { corednsVersion: "1.6.2" }).map((r) => `${r.ruleId}:${r.line}:${r.severity}`)).toEqual(["coredns/removed-option:6:warning"]);
    expect(lintReal(file).map((r) => `${r.ruleId}:${r.line}:${r.severity}`)).toEqual(["coredns/removed-option:6:error"]);
  });

  it("nested-server-block: the kubernetes block's upstream is reported too (the syntax error is corefile-syntax's)", () => {
    const found = lintReal("broken-from-issues/coredns-nested-server-block-unknown-directive-dot.yaml");
    expect(found.map((r) => `${r.ruleId}:${r.line}:${r.column}`)).toEqual(["coredns/removed-option:12:13"]);
  });

  it("proxy-plugin-removed-1.6.4: proxy at line 7 is gone since 1.5.0, and it is a second forwarder for '.'", () => {
    for (const facts of [{ corednsVersion: "1.6.4" }, undefined]) {
      const found = lintReal("broken-from-issues/coredns-proxy-plugin-removed-1.6.4.Corefile", facts).filter((r) => r.ruleId !== "coredns/loop-plugin-missing");
      expect(found.map((r) => `${r.ruleId}:${r.line}:${r.severity}`).sort()).toEqual(["coredns/removed-plugin:7:error", "coredns/stub-domain:7:warning"]);
      expect(found.find((r) => r.ruleId === "coredns/removed-plugin")!.message).toMatch(/removed in CoreDNS 1\.5\.0.*Use forward/);
      expect(found.find((r) => r.ruleId === "coredns/stub-domain")!.message).toMatch(/second proxy for '\.'.*forward at .*:2/);
    }
  });

  it("reverse-zone-cidrs-same-parent: on the reporter's 1.6.1 both CIDRs become 168.192.in-addr.arpa; since 1.8.4 they split and do not clash", () => {
    const file = "broken-from-issues/coredns-reverse-zone-cidrs-same-parent.Corefile";
    const old = lintReal(file, { corednsVersion: "1.6.1" }).filter((r) => r.ruleId === "coredns/duplicate-zone");
    expect(old.map((r) => `${r.line}:${r.column}`)).toEqual(["1:30"]);
    expect(old[0]!.message).toMatch(/cannot serve dns:\/\/168\.192\.in-addr\.arpa\.:53 on 127\.0\.1\.53 - it is already defined/);
    expect(lintReal(file).filter((r) => r.ruleId === "coredns/duplicate-zone")).toEqual([]);
  });

  it("duplicate-zone-view-block-order: the unfiltered block first fails before 1.14.3 (coredns/coredns#7733), not after", () => {
    const file = "broken-from-issues/coredns-duplicate-zone-view-block-order.Corefile";
    const old = lintReal(file, { corednsVersion: "1.13.1" }).filter((r) => r.ruleId === "coredns/duplicate-zone");
    expect(old.map((r) => r.line)).toEqual([6]);
    expect(old[0]!.message).toMatch(/cannot serve dns:\/\/\.:53 on 0\.0\.0\.0 - it is already defined/);
    expect(lintReal(file).filter((r) => r.ruleId === "coredns/duplicate-zone")).toEqual([]);
  });

  it("the default Corefile of the loop report and the custom-override ConfigMap get no error from the pack", () => {
    expect(lintReal("broken-from-issues/coredns-default-corefile-loop-on-systemd-resolved-host.Corefile").filter((r) => r.severity === "error")).toEqual([]);
    // Its YAML does not parse (yaml/syntax); the second hosts needs the distribution's Corefile, which is not in the corpus.
    expect(lintReal("broken-from-issues/coredns-custom-override-second-hosts.yaml")).toEqual([]);
  });
});

it("every rule of the pack has a docs page", () => {
  for (const id of PACK) expect(existsSync(path.join(ROOT, "docs/rules", `${id}.md`)), id).toBe(true);
});
