import { describe, expect, it } from "vitest";

import { applyKubeletDefaults, checkKubeletConfig, type ConfigProblem } from "../src/rules/kubelet/lib/validate.js";

const base = {
  apiVersion: "kubelet.config.k8s.io/v1beta1",
  kind: "KubeletConfiguration",
};

function fields(problems: ConfigProblem[], kind?: ConfigProblem["kind"]): string[] {
  return problems
    .filter((p) => (kind ? p.kind === kind : true))
    .map((p) => p.field)
    .sort();
}

describe("kubelet: schema", () => {
  it("accepts a typical kubeadm-generated config", () => {
    const cfg = {
      ...base,
      authentication: {
        anonymous: { enabled: false },
        webhook: { cacheTTL: "0s", enabled: true },
        x509: { clientCAFile: "/etc/kubernetes/pki/ca.crt" },
      },
      authorization: { mode: "Webhook", webhook: { cacheAuthorizedTTL: "0s", cacheUnauthorizedTTL: "0s" } },
      cgroupDriver: "systemd",
      clusterDNS: ["10.96.0.10"],
      clusterDomain: "cluster.local",
      containerRuntimeEndpoint: "",
      cpuManagerReconcilePeriod: "0s",
      evictionPressureTransitionPeriod: "0s",
      fileCheckFrequency: "0s",
      healthzBindAddress: "127.0.0.1",
      healthzPort: 10248,
      httpCheckFrequency: "0s",
      imageMaximumGCAge: "0s",
      imageMinimumGCAge: "0s",
      logging: { flushFrequency: 0, options: { json: { infoBufferSize: "0" }, text: { infoBufferSize: "0" } }, verbosity: 0 },
      memorySwap: {},
      nodeStatusReportFrequency: "0s",
      nodeStatusUpdateFrequency: "0s",
      resolvConf: "/run/systemd/resolve/resolv.conf",
      rotateCertificates: true,
      runtimeRequestTimeout: "0s",
      shutdownGracePeriod: "0s",
      shutdownGracePeriodCriticalPods: "0s",
      staticPodPath: "/etc/kubernetes/manifests",
      streamingConnectionIdleTimeout: "0s",
      syncFrequency: "0s",
      volumeStatsAggPeriod: "0s",
    };
    expect(checkKubeletConfig(cfg)).toEqual([]);
  });

  it("suggests resolvConf for the Go field name ResolverConfig", () => {
    const problems = checkKubeletConfig({ ...base, ResolverConfig: "/run/systemd/resolve/resolv.conf" });
    expect(problems).toEqual([
      expect.objectContaining({ kind: "unknown-field", field: "ResolverConfig", suggestion: "resolvConf" }),
    ]);
  });

  it("suggests close names for typos and case mistakes", () => {
    const problems = checkKubeletConfig({ ...base, clusterDns: ["10.96.0.10"], hairpinMod: "none", maxPod: 10 });
    const byField = Object.fromEntries(problems.map((p) => [p.field, p.suggestion]));
    expect(byField).toEqual({ clusterDns: "clusterDNS", hairpinMod: "hairpinMode", maxPod: "maxPods" });
  });

  it("reports unknown nested fields and explains flag-only settings", () => {
    const problems = checkKubeletConfig({ ...base, authentication: { webhook: { enable: true } }, nodeIP: "10.0.0.5" });
    expect(fields(problems, "unknown-field")).toEqual(["authentication.webhook.enable", "nodeIP"]);
    expect(problems.find((p) => p.field === "authentication.webhook.enable")!.suggestion).toBe("enabled");
    expect(problems.find((p) => p.field === "nodeIP")!.message).toMatch(/--node-ip/);
  });

  it("reports wrong types and skips their semantic checks", () => {
    const problems = checkKubeletConfig({
      ...base,
      clusterDNS: "10.96.0.10",
      maxPods: "110",
      port: 1e12,
      featureGates: { NodeSwap: "true" },
      evictionHard: { "memory.available": 100 },
    });
    expect(problems.every((p) => p.kind === "wrong-type")).toBe(true);
    expect(fields(problems)).toEqual(['evictionHard["memory.available"]', "clusterDNS", "featureGates.NodeSwap", "maxPods", "port"].sort());
    expect(problems.find((p) => p.field === "clusterDNS")!.message).toMatch(/must be a list/);
  });
});

describe("kubelet: networking checks", () => {
  it("rejects an unknown hairpinMode with the upstream wording", () => {
    const problems = checkKubeletConfig({ ...base, hairpinMode: "promiscuous" });
    expect(problems).toEqual([expect.objectContaining({ kind: "invalid", field: "hairpinMode" })]);
    expect(problems[0]!.message).toMatch(/option "promiscuous" specified for hairpinMode/);
    for (const ok of ["promiscuous-bridge", "hairpin-veth", "none", ""]) {
      expect(checkKubeletConfig({ ...base, hairpinMode: ok })).toEqual([]);
    }
  });

  it("flags clusterDNS entries that are not IPs with their index", () => {
    const problems = checkKubeletConfig({ ...base, clusterDNS: ["10.96.0.10", "kube-dns.kube-system", "10.96.0.11:53"] });
    expect(fields(problems)).toEqual(["clusterDNS[1]", "clusterDNS[2]"]);
    expect(problems[0]!.message).toMatch(/drops it/);
    expect(problems[1]!.message).toMatch(/no port/);
  });

  it("reports when no clusterDNS entry survives", () => {
    expect(fields(checkKubeletConfig({ ...base, clusterDNS: ["coredns"] }))).toEqual(["clusterDNS", "clusterDNS[0]"]);
    expect(checkKubeletConfig({ ...base, clusterDNS: ["fd00:10:96::a", "10.96.0.10"] })).toEqual([]);
  });

  it("checks ports like the kubelet (0 port is defaulted, 0 readOnly/healthz port disables)", () => {
    expect(checkKubeletConfig({ ...base, port: 0, readOnlyPort: 0, healthzPort: 0 })).toEqual([]);
    expect(fields(checkKubeletConfig({ ...base, port: 70000, readOnlyPort: -1, healthzPort: 65536 }))).toEqual([
      "healthzPort",
      "port",
      "readOnlyPort",
    ]);
    expect(fields(checkKubeletConfig({ ...base, port: 0 }, { applyDefaults: false }))).toEqual(["port"]);
  });

  it("checks pod limits, oomScoreAdj and the iptables bits", () => {
    expect(
      fields(
        checkKubeletConfig({
          ...base,
          maxPods: -1,
          podsPerCore: -2,
          oomScoreAdj: -1001,
          iptablesMasqueradeBit: 32,
          iptablesDropBit: -1,
        }),
      ),
    ).toEqual(["iptablesDropBit", "iptablesMasqueradeBit", "maxPods", "oomScoreAdj", "podsPerCore"]);
    expect(checkKubeletConfig({ ...base, maxPods: 250, podsPerCore: 10, oomScoreAdj: 1000, iptablesMasqueradeBit: 0, iptablesDropBit: 31 })).toEqual([]);
  });

  it("checks clusterDomain and resolvConf", () => {
    expect(fields(checkKubeletConfig({ ...base, clusterDomain: "cluster.local." }))).toEqual(["clusterDomain"]);
    expect(fields(checkKubeletConfig({ ...base, clusterDomain: "Cluster.Local" }))).toEqual(["clusterDomain"]);
    expect(checkKubeletConfig({ ...base, clusterDomain: "k8s.example.com" })).toEqual([]);
    expect(fields(checkKubeletConfig({ ...base, resolvConf: "resolv.conf" }))).toEqual(["resolvConf"]);
    expect(checkKubeletConfig({ ...base, resolvConf: "" })).toEqual([]);
    expect(checkKubeletConfig({ ...base, resolvConf: "C:\\k\\resolv.conf" }, { platform: "windows" })).toEqual([]);
  });

  it("checks podCIDR and address", () => {
    expect(fields(checkKubeletConfig({ ...base, podCIDR: "10.244.1.0" }))).toEqual(["podCIDR"]);
    expect(fields(checkKubeletConfig({ ...base, podCIDR: "10.244.1.0/24,10.245.1.0/24" }))).toEqual(["podCIDR"]);
    expect(checkKubeletConfig({ ...base, podCIDR: "10.244.1.0/24,fd00:10:244:1::/64" })).toEqual([]);
    expect(fields(checkKubeletConfig({ ...base, address: "node1.example.com" }))).toEqual(["address"]);
  });

  it("checks feature gates and logging", () => {
    const problems = checkKubeletConfig({ ...base, featureGates: { NodeSwapp: true }, logging: { format: "yaml" } });
    expect(fields(problems)).toEqual(["featureGates", "logging.format"]);
    expect(problems.find((p) => p.field === "featureGates")!.message).toMatch(/did you mean "NodeSwap"/);
  });

  it("checks image GC thresholds and lease duration", () => {
    expect(fields(checkKubeletConfig({ ...base, imageGCHighThresholdPercent: 70, imageGCLowThresholdPercent: 80 }))).toEqual([
      "imageGCLowThresholdPercent",
    ]);
    expect(fields(checkKubeletConfig({ ...base, nodeLeaseDurationSeconds: -5 }))).toEqual(["nodeLeaseDurationSeconds"]);
  });
});

describe("applyKubeletDefaults", () => {
  it("applies the v1beta1 defaults of the checked fields", () => {
    expect(applyKubeletDefaults({})).toMatchObject({
      port: 10250,
      readOnlyPort: 0,
      healthzPort: 10248,
      healthzBindAddress: "127.0.0.1",
      hairpinMode: "promiscuous-bridge",
      maxPods: 110,
      oomScoreAdj: -999,
      iptablesMasqueradeBit: 14,
      iptablesDropBit: 15,
      resolvConf: "/etc/resolv.conf",
    });
  });
  it("keeps an explicit empty resolvConf (it disables host DNS inheritance)", () => {
    expect(applyKubeletDefaults({ resolvConf: "" }).resolvConf).toBe("");
  });
});

describe("kubelet: wrong types do not hide other problems", () => {
  it("reports an unknown gate next to a wrongly typed gate value", () => {
    const problems = checkKubeletConfig({ ...base, featureGates: { NodeSwap: "yes", NoSuchGate: true } });
    expect(problems.map((p) => `${p.kind} ${p.field}`).sort()).toEqual([
      "invalid featureGates",
      "wrong-type featureGates.NodeSwap",
    ]);
  });
  it("does not claim clusterDNS is empty when an entry had the wrong type", () => {
    expect(checkKubeletConfig({ ...base, clusterDNS: [53] }).map((p) => `${p.kind} ${p.field}`)).toEqual([
      "wrong-type clusterDNS[0]",
    ]);
  });
});
