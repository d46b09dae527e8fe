import { readFileSync } from "node:fs";

import { beforeAll, describe, expect, it } from "vitest";

import {
  applyKubeProxyDefaults,
  checkKubeProxyConfig,
  type ConfigProblem,
} from "../src/rules/kube-proxy/lib/validate.js";
import { eachCase, haveShared, sharedPath } from "./helpers/shared.js";

const CASES = "corpus/kube-proxy-validation/cases.json";
const haveCorpus = haveShared(CASES, "the kube-proxy validation corpus tests are");

interface Case {
  name: string;
  config: Record<string, unknown>;
  valid: boolean;
  errorFields: string[];
  platform: "any" | "linux" | "windows";
  derivation: string;
  validAfterDefaulting?: boolean;
  notes?: string;
}


function failing(problems: ConfigProblem[]): ConfigProblem[] {
  return problems.filter((p) => p.kind === "invalid" || p.kind === "wrong-type");
}

function fieldSet(problems: ConfigProblem[]): string[] {
  return [...new Set(failing(problems).map((p) => p.field))].sort();
}

describe.skipIf(!haveCorpus)("kube-proxy corpus (upstream Validate() cases)", () => {
  // Read in beforeAll (never at collection: a clone has no ../shared).
  let cases: Case[] = [];
  let applicable: Array<{ c: Case; platform: "linux" | "windows" }> = [];
  beforeAll(() => {
    cases = (JSON.parse(readFileSync(sharedPath(CASES), "utf8")) as { cases: Case[] }).cases;
    // Windows cases run with platform "windows" (the only platform-dependent check is the
    // proxy mode); "any" cases run on both platforms.
    const runs: Array<{ c: Case; platform: "linux" | "windows" }> = [];
    for (const c of cases) {
      if (c.platform === "linux" || c.platform === "any") runs.push({ c, platform: "linux" });
      if (c.platform === "windows" || c.platform === "any") runs.push({ c, platform: "windows" });
    }
    // Cases that select a Linux-only proxy mode cannot run on Windows.
    const linuxModes = new Set(["iptables", "ipvs", "nftables"]);
    applicable = runs.filter(
      ({ c, platform }) => !(platform === "windows" && c.platform === "any" && linuxModes.has(String(c.config.mode ?? ""))),
    );
  });
  const label = ({ c, platform }: { c: Case; platform: string }) => `${c.name} [${platform}]`;

  it("has cases", () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  // Sub-validator cases that select a mode whose block the base config does not carry:
  // without defaulting, that block's syncPeriod is 0 and full Validate() reports it
  // (upstream only ran validateProxyMode on these). With defaulting (next suite) they match.
  const NOT_DEFAULTED_EXTRA: Record<string, string[]> = {
    "windows mode nftables [windows]": ["nftables.syncPeriod"],
  };

  describe("as upstream validates it (already-defaulted object, no defaulting)", () => {
    it("every case", () => {
      eachCase(applicable, label, (run) => {
        const { c, platform } = run;
        const problems = checkKubeProxyConfig(c.config, { platform, applyDefaults: false });
        expect(problems.filter((p) => p.kind === "unknown-field")).toEqual([]);
        expect(failing(problems).length === 0).toBe(c.valid);
        const extra = NOT_DEFAULTED_EXTRA[label(run)];
        if (extra) {
          // The expected fields are still all reported; the extra ones are the artifact.
          expect(fieldSet(problems)).toEqual([...c.errorFields, ...extra].sort());
        } else {
          expect(fieldSet(problems)).toEqual([...c.errorFields].sort());
        }
      });
    });
  });

  describe("as kube-proxy sees it from a file (defaulting first)", () => {
    it("every case", () => {
      eachCase(applicable, label, ({ c, platform }) => {
        const problems = checkKubeProxyConfig(c.config, { platform });
        const expectValid = c.validAfterDefaulting ?? c.valid;
        expect(failing(problems).length === 0).toBe(expectValid);
        if (c.validAfterDefaulting === undefined) {
          expect(fieldSet(problems)).toEqual([...c.errorFields].sort());
        } else if (!expectValid) {
          // Defaulting does not rescue the value: the same fields stay in error.
          expect(fieldSet(problems)).toEqual([...c.errorFields].sort());
        }
      });
    });
  });

  it("every problem message names the field's value or expectation", () => {
    for (const c of cases) {
      for (const p of checkKubeProxyConfig(c.config, { platform: c.platform === "windows" ? "windows" : "linux" })) {
        expect(p.message.length).toBeGreaterThan(10);
        expect(p.message).toContain(p.field.split(/[.[]/)[0]!);
      }
    }
  });
});

describe("kube-proxy schema checks", () => {
  it("reports an unknown field with the closest known name", () => {
    const problems = checkKubeProxyConfig({ clusterCidr: "10.244.0.0/16", iptables: { masqueradeBits: 14 } });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: "unknown-field", field: "clusterCidr", suggestion: "clusterCIDR" }),
        expect.objectContaining({ kind: "unknown-field", field: "iptables.masqueradeBits", suggestion: "masqueradeBit" }),
      ]),
    );
    expect(problems.find((p) => p.field === "clusterCidr")!.message).toMatch(/case-sensitive/);
  });

  it("explains removed fields", () => {
    const problems = checkKubeProxyConfig({ udpIdleTimeout: "250ms", conntrack: { max: 0 }, resourceContainer: "/kube-proxy" });
    expect(problems.map((p) => [p.kind, p.field])).toEqual(
      expect.arrayContaining([
        ["unknown-field", "udpIdleTimeout"],
        ["unknown-field", "conntrack.max"],
        ["unknown-field", "resourceContainer"],
      ]),
    );
    expect(problems.find((p) => p.field === "conntrack.max")!.message).toMatch(/maxPerCore/);
  });

  it('reports featureGates: "" as a wrong type (kubernetes/kubernetes#60426)', () => {
    const problems = checkKubeProxyConfig({ featureGates: "", mode: "iptables" });
    expect(problems).toEqual([
      expect.objectContaining({ kind: "wrong-type", field: "featureGates" }),
    ]);
    expect(problems[0]!.message).toMatch(/mapping of feature gate names to booleans/);
    expect(problems[0]!.message).toMatch(/got ""/);
  });

  it("reports wrong types inside structures and lists, and still reports unknown fields", () => {
    const problems = checkKubeProxyConfig({
      iptables: { syncPeriod: 30, masqueradeBit: "14" },
      nodePortAddresses: ["10.0.0.0/8", 7],
      conntrack: { maxPerCore: 4294967296 },
      bogus: true,
    });
    expect(problems.map((p) => `${p.kind} ${p.field}`).sort()).toEqual([
      "unknown-field bogus",
      "wrong-type conntrack.maxPerCore",
      "wrong-type iptables.masqueradeBit",
      "wrong-type iptables.syncPeriod",
      "wrong-type nodePortAddresses[1]",
    ]);
    expect(problems.find((p) => p.field === "iptables.syncPeriod")!.message).toMatch(/duration string/);
  });

  it("accepts flushFrequency as duration or nanoseconds but not as free text", () => {
    expect(checkKubeProxyConfig({ logging: { flushFrequency: 5000000000 } })).toEqual([]);
    expect(checkKubeProxyConfig({ logging: { flushFrequency: "10s" } })).toEqual([]);
    expect(checkKubeProxyConfig({ logging: { flushFrequency: "often" } })).toEqual([
      expect.objectContaining({ kind: "wrong-type", field: "logging.flushFrequency" }),
    ]);
  });

  it("does not run invalid-checks on wrongly typed values", () => {
    const problems = checkKubeProxyConfig({ iptables: { syncPeriod: "soon", minSyncPeriod: "10s" } });
    expect(problems).toEqual([expect.objectContaining({ kind: "wrong-type", field: "iptables.syncPeriod" })]);
  });

  it("rejects a non-mapping document", () => {
    expect(checkKubeProxyConfig("mode: ipvs")).toEqual([expect.objectContaining({ kind: "wrong-type", field: "" })]);
  });

  it("accepts an empty config (everything defaulted)", () => {
    expect(checkKubeProxyConfig({ apiVersion: "kubeproxy.config.k8s.io/v1alpha1", kind: "KubeProxyConfiguration" })).toEqual([]);
  });
});

describe("kube-proxy semantic checks", () => {
  it("flags unknown feature gates with a suggestion", () => {
    const problems = checkKubeProxyConfig({ featureGates: { NFTablesProxyModes: true, WinDSR: true } });
    expect(problems).toEqual([expect.objectContaining({ kind: "invalid", field: "featureGates" })]);
    expect(problems[0]!.message).toMatch(/NFTablesProxyModes/);
    expect(problems[0]!.message).toMatch(/did you mean "NFTablesProxyMode"/);
  });

  it("reproduces the upstream field-path test 'other top level fields'", () => {
    const problems = checkKubeProxyConfig({
      featureGates: { UnknownFeature: true },
      clientConnection: { burst: -1 },
      configSyncPeriod: "-1s",
      mode: "invalid",
      detectLocalMode: "invalid",
      nodePortAddresses: ["192.168.0.0/16", "invalid"],
      showHiddenMetricsForVersion: "invalid",
      logging: { format: "invalid" },
    });
    expect(fieldSet(problems)).toEqual(
      [
        "featureGates",
        "clientConnection.burst",
        "configSyncPeriod",
        "mode",
        "detectLocalMode",
        "nodePortAddresses[1]",
        "showHiddenMetricsForVersion",
        "logging.format",
      ].sort(),
    );
  });

  it("reproduces 'addresses and iptables' and 'flattened linux fields' (no defaulting)", () => {
    const base = applyKubeProxyDefaults({});
    const a = {
      ...base,
      bindAddress: "10.10.12.11:2000",
      healthzBindAddress: "0.0.0.0",
      metricsBindAddress: "127.0.0.1",
      iptables: { ...(base.iptables as object), masqueradeBit: 32 },
    };
    expect(fieldSet(checkKubeProxyConfig(a, { applyDefaults: false }))).toEqual(
      ["bindAddress", "healthzBindAddress", "iptables.masqueradeBit", "metricsBindAddress"],
    );
    // From a file, the bare IPs get their default ports appended and pass.
    expect(fieldSet(checkKubeProxyConfig(a))).toEqual(["bindAddress", "iptables.masqueradeBit"]);

    const b = {
      ...base,
      oomScoreAdj: 1001,
      conntrack: {
        maxPerCore: -1,
        min: -1,
        tcpEstablishedTimeout: "-1s",
        tcpCloseWaitTimeout: "-1s",
        udpTimeout: "-1s",
        udpStreamTimeout: "-1s",
      },
    };
    expect(fieldSet(checkKubeProxyConfig(b))).toEqual(
      [
        "oomScoreAdj",
        "conntrack.maxPerCore",
        "conntrack.min",
        "conntrack.tcpEstablishedTimeout",
        "conntrack.tcpCloseWaitTimeout",
        "conntrack.udpTimeout",
        "conntrack.udpStreamTimeout",
      ].sort(),
    );
  });

  it("checks only the active mode's sync periods", () => {
    expect(checkKubeProxyConfig({ mode: "ipvs", iptables: { syncPeriod: "-1s" }, ipvs: { syncPeriod: "5s" } })).toEqual([]);
    expect(fieldSet(checkKubeProxyConfig({ mode: "nftables", nftables: { syncPeriod: "1s", minSyncPeriod: "2s" } }))).toEqual([
      "nftables.syncPeriod",
    ]);
    expect(fieldSet(checkKubeProxyConfig({ iptables: { syncPeriod: "-5s", minSyncPeriod: "2s" } }))).toEqual([
      "iptables.syncPeriod",
    ]);
  });

  it("validates a malformed cluster CIDR only in ClusterCIDR mode", () => {
    expect(fieldSet(checkKubeProxyConfig({ detectLocalMode: "ClusterCIDR", clusterCIDR: "192.168.0.0/16,invalid" }))).toEqual([
      "clusterCIDR",
    ]);
    expect(fieldSet(checkKubeProxyConfig({ detectLocalMode: "ClusterCIDR", clusterCIDR: "fd00::/64,fd01::/64" }))).toEqual([
      "clusterCIDR",
    ]);
    expect(checkKubeProxyConfig({ detectLocalMode: "ClusterCIDR", clusterCIDR: "10.244.0.0/16,fd00:10:244::/56" })).toEqual([]);
  });

  it("accepts host bits and leading zeros like ParseCIDRSloppy, but not bare IPs", () => {
    expect(checkKubeProxyConfig({ nodePortAddresses: ["10.0.0.1/8", "010.000.0.0/8"] })).toEqual([]);
    const p = checkKubeProxyConfig({ nodePortAddresses: ["10.20.30.40"] });
    expect(fieldSet(p)).toEqual(["nodePortAddresses[0]"]);
    expect(p[0]!.message).toMatch(/10\.20\.30\.40\/32/);
  });

  it("treats nodePortAddresses keywords by version", () => {
    expect(checkKubeProxyConfig({ nodePortAddresses: ["localhost", "all"] })).toEqual([]);
    expect(fieldSet(checkKubeProxyConfig({ nodePortAddresses: ["localhost"] }, { kubernetesVersion: "1.33" }))).toEqual([
      "nodePortAddresses[0]",
    ]);
    expect(checkKubeProxyConfig({ nodePortAddresses: ["primary", "10.0.0.0/8"] }, { kubernetesVersion: "v1.38.0" })).toEqual([]);
  });

  it("gates the nftables mode on the version and feature gate", () => {
    expect(fieldSet(checkKubeProxyConfig({ mode: "nftables" }, { kubernetesVersion: "1.28" }))).toEqual(["mode"]);
    expect(fieldSet(checkKubeProxyConfig({ mode: "nftables" }, { kubernetesVersion: "1.30" }))).toEqual(["mode"]);
    expect(checkKubeProxyConfig({ mode: "nftables", featureGates: { NFTablesProxyMode: true } }, { kubernetesVersion: "1.30" })).toEqual([]);
    expect(checkKubeProxyConfig({ mode: "nftables" }, { kubernetesVersion: "1.31" })).toEqual([]);
    expect(fieldSet(checkKubeProxyConfig({ mode: "nftables", featureGates: { NFTablesProxyMode: false } }, { kubernetesVersion: "1.34" }))).toEqual([
      "featureGates",
    ]);
  });

  it("checks showHiddenMetricsForVersion against the running version", () => {
    expect(checkKubeProxyConfig({ showHiddenMetricsForVersion: "1.32" }, { kubernetesVersion: "1.33.1" })).toEqual([]);
    expect(fieldSet(checkKubeProxyConfig({ showHiddenMetricsForVersion: "1.31" }, { kubernetesVersion: "1.33.1" }))).toEqual([
      "showHiddenMetricsForVersion",
    ]);
  });

  it("uses the single-IP bindAddress rule for releases before the NodeIPOverride refactor", () => {
    expect(checkKubeProxyConfig({ bindAddress: "10.0.0.1,fd00::1" })).toEqual([]);
    expect(fieldSet(checkKubeProxyConfig({ bindAddress: "10.0.0.1,fd00::1" }, { kubernetesVersion: "1.28" }))).toEqual([
      "bindAddress",
    ]);
  });

  it("rejects host names in healthz/metrics addresses and bad ports", () => {
    expect(fieldSet(checkKubeProxyConfig({ metricsBindAddress: "localhost:10249" }))).toEqual(["metricsBindAddress"]);
    expect(fieldSet(checkKubeProxyConfig({ healthzBindAddress: "0.0.0.0:65536" }))).toEqual(["healthzBindAddress"]);
    expect(fieldSet(checkKubeProxyConfig({ healthzBindAddress: "123.456.789.10:12345" }))).toEqual(["healthzBindAddress"]);
    expect(checkKubeProxyConfig({ metricsBindAddress: "[::]:10249", bindAddress: "::" })).toEqual([]);
  });

  it("checks logging options", () => {
    expect(checkKubeProxyConfig({ logging: { format: "json" } })).toEqual([]);
    expect(fieldSet(checkKubeProxyConfig({ logging: { format: "json", vmodule: [{ filePattern: "x", verbosity: 2 }] } }))).toEqual([
      "logging.vmodule",
    ]);
    expect(fieldSet(checkKubeProxyConfig({ logging: { options: { text: { splitStream: true } } } }))).toEqual([
      "logging.options.text.splitStream",
    ]);
    expect(
      checkKubeProxyConfig({
        featureGates: { LoggingAlphaOptions: true },
        logging: { options: { text: { splitStream: true, infoBufferSize: "1Mi" } } },
      }),
    ).toEqual([]);
  });
});

describe("applyKubeProxyDefaults", () => {
  it("fills an empty config like the upstream after/v1alpha1.yaml fixture", () => {
    const d = applyKubeProxyDefaults({});
    expect(d).toMatchObject({
      bindAddress: "0.0.0.0",
      healthzBindAddress: "0.0.0.0:10256",
      metricsBindAddress: "127.0.0.1:10249",
      oomScoreAdj: -999,
      configSyncPeriod: "15m0s",
      featureGates: {},
      clientConnection: { contentType: "application/vnd.kubernetes.protobuf", qps: 5, burst: 10 },
      iptables: { masqueradeBit: 14, localhostNodePorts: true, syncPeriod: "30s", minSyncPeriod: "1s" },
      nftables: { masqueradeBit: 14 },
      conntrack: { maxPerCore: 32768, min: 131072, tcpEstablishedTimeout: "24h0m0s", tcpCloseWaitTimeout: "1h0m0s" },
      logging: { format: "text", flushFrequency: "5s" },
    });
    expect((d.ipvs as Record<string, unknown> | undefined)?.syncPeriod).toBeUndefined();
  });

  it("treats zero as unset and appends default ports", () => {
    const d = applyKubeProxyDefaults({
      iptables: { syncPeriod: "0s" },
      clientConnection: { burst: 0 },
      healthzBindAddress: "0.0.0.0",
      metricsBindAddress: "::1",
    });
    expect(d).toMatchObject({
      iptables: { syncPeriod: "30s" },
      clientConnection: { burst: 10 },
      healthzBindAddress: "0.0.0.0:10256",
      metricsBindAddress: "[::1]:10249",
    });
  });

  it("keeps explicit pointer zeros and derives IPv6 defaults from bindAddress", () => {
    const d = applyKubeProxyDefaults({ bindAddress: "fd00::1", oomScoreAdj: 0, conntrack: { tcpCloseWaitTimeout: "0s" } });
    expect(d).toMatchObject({
      healthzBindAddress: "[::]:10256",
      metricsBindAddress: "[::1]:10249",
      oomScoreAdj: 0,
      conntrack: { tcpCloseWaitTimeout: "0s" },
    });
  });

  it("defaults the sync periods of the active ipvs/nftables block", () => {
    const d = applyKubeProxyDefaults({ mode: "nftables" });
    expect(d.nftables).toMatchObject({ syncPeriod: "30s", minSyncPeriod: "1s", masqueradeBit: 14 });
  });

  it("does not modify its input", () => {
    const input = { iptables: {} };
    applyKubeProxyDefaults(input);
    expect(input).toEqual({ iptables: {} });
  });
});

describe("the schemas are compiled ahead of time", () => {
  it("src/generated/validators.js is what scripts/gen-validators.mjs makes from the current schemas", async () => {
    const { spawnSync } = await import("node:child_process");
    const path = await import("node:path");
    const { fileURLToPath } = await import("node:url");
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
    const r = spawnSync(process.execPath, [path.join(root, "scripts/gen-validators.mjs"), "--check"], { cwd: root, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
  });
});
