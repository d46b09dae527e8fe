/**
 * Source adapters (src/model/sources): each distribution, chart and carrier on a clean and a broken
 * fixture. Every finding of every rule is listed (file, line, rule), so a stock configuration that
 * starts to report anything fails, as does a conflict found at the wrong line.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runInspect } from "../src/engine/inspect.js";
import { renderCorefile } from "../src/model/sources/coredns-chart.js";
import { sourceForFile } from "../src/model/sources/index.js";
import { nthAddress } from "../src/model/sources/lib.js";
import { scanDocument } from "../src/model/classify.js";
import { objectFromYaml } from "../src/model/objects.js";
import { LineIndex } from "../src/parsers/lines.js";
import { parseYamlDocument, splitYamlDocuments } from "../src/parsers/yaml.js";
import { runLint } from "../src/engine/lint.js";
import { FIXTURES, ROOT, lintFixture } from "./helpers/lint-fixture.js";

interface Expected {
  rule: string;
  file: string;
  line: number;
  column?: number;
  message?: RegExp;
}

const cases: { fixture: string; expect: Expected[]; notices?: RegExp[] }[] = [
  { fixture: "sources/kind/clean", expect: [] },
  {
    fixture: "sources/kind/conflict",
    expect: [
      { rule: "cni/subnet-outside-pod-cidr", file: "calico-installation.yaml", line: 10, column: 15, message: /192\.168\.0\.0\/16 is not inside the cluster pod CIDR 10\.244\.0\.0\/16 stated by kind's default podSubnet/ },
      // A KubeProxyConfiguration patch held in a string: the finding is on the line inside it.
      { rule: "kube-proxy/cluster-cidr-mismatch", file: "kind-config.yaml", line: 9, column: 18, message: /clusterCIDR 10\.200\.0\.0\/16 differs from the pod CIDR 10\.244\.0\.0\/16 stated by kind's default podSubnet/ },
      // kind's default serviceSubnet is a /16, not kubeadm's /12: 10.97.0.10 lies outside it.
      { rule: "kubelet/cluster-dns-mismatch", file: "kind-config.yaml", line: 13, column: 9, message: /outside the service CIDR 10\.96\.0\.0\/16 \(kind's default serviceSubnet/ },
    ],
  },
  { fixture: "sources/k3s/clean", expect: [] },
  {
    // The drop-in moves cluster-cidr to 10.52.0.0/16, as kube-proxy-arg does: no conflict there.
    fixture: "sources/k3s/conflict",
    expect: [{ rule: "kubelet/cluster-dns-mismatch", file: "etc/rancher/k3s/config.yaml", line: 3, column: 14, message: /clusterDNS 10\.53\.0\.10 lies outside the service CIDR 10\.43\.0\.0\/16 \(k3s config service-cidr/ }],
  },
  // Two HA servers with the same settings and an agent: one kube-proxy, no meta/ambiguous-cluster, no default from the agent.
  { fixture: "sources/k3s/ha", expect: [] },
  { fixture: "sources/k3s/named-path", expect: [{ rule: "kubelet/cluster-dns-mismatch", file: "infra/k3s-server.yaml", line: 5, column: 17, message: /10\.96\.0\.10 lies outside the service CIDR 10\.43\.0\.0\/16/ }] },
  { fixture: "sources/k3s/rke2-clean", expect: [] },
  {
    fixture: "sources/k3s/rke2-broken",
    expect: [
      { rule: "kubelet/cluster-domain-mismatch", file: "etc/rancher/rke2/config.yaml", line: 2, column: 17, message: /clusterDomain corp\.example is not a zone of CoreDNS's kubernetes plugin \(cluster\.local in-addr\.arpa ip6\.arpa at manifests\/rke2-coredns-config\.yaml:17\)/ },
      { rule: "coredns/removed-plugin", file: "manifests/rke2-coredns-config.yaml", line: 21, column: 15, message: /the proxy plugin was removed/ },
      { rule: "yaml/syntax", file: "manifests/rke2-coredns-config.yaml", line: 38, message: /HelmChartConfig rke2-canal spec\.valuesContent does not parse/ },
    ],
  },
  { fixture: "sources/capi/clean", expect: [] },
  {
    fixture: "sources/capi/conflict",
    expect: [
      { rule: "cluster/conflicting-facts", file: "cluster.yaml", line: 8, column: 20, message: /Cluster API Cluster workload-2 spec\.clusterNetwork\.pods\.cidrBlocks 192\.168\.0\.0\/16 differs from the pod CIDR 10\.244\.0\.0\/16 stated by kubeadm ClusterConfiguration in KubeadmControlPlane workload-2-control-plane/ },
      { rule: "kubelet/cluster-dns-mismatch", file: "cluster.yaml", line: 32, column: 26, message: /10\.200\.0\.10 lies outside the service CIDR 10\.96\.0\.0\/12 \(Cluster API Cluster workload-2/ },
    ],
  },
  // Control-plane and worker files of one cluster: no meta/ambiguous-cluster, nothing else either.
  { fixture: "sources/talos/clean", expect: [] },
  {
    fixture: "sources/talos/conflict",
    expect: [
      { rule: "kube-proxy/cluster-cidr-mismatch", file: "controlplane.yaml", line: 10, column: 21, message: /10\.245\.0\.0\/16 differs from the pod CIDR 10\.244\.0\.0\/16 stated by Talos cluster\.network\.podSubnets/ },
      { rule: "kubelet/cluster-dns-mismatch", file: "worker.yaml", line: 6, column: 9, message: /outside the service CIDR 10\.96\.0\.0\/12 \(Talos's default serviceSubnets/ },
    ],
  },
  { fixture: "sources/talos/bad-type", expect: [], notices: [/controlplane\.yaml:6: cluster\.network\.podSubnets should be a list of strings \(Talos rejects this machine config\): not read/] },
  { fixture: "sources/kops/clean", expect: [] },
  {
    fixture: "sources/kops/conflict",
    expect: [
      { rule: "kube-proxy/cluster-cidr-mismatch", file: "cluster.yaml", line: 9, column: 18, message: /100\.64\.0\.0\/11 differs from the pod CIDR 100\.96\.0\.0\/11 stated by kops's default podCIDR/ },
      { rule: "kubelet/cluster-dns-mismatch", file: "cluster.yaml", line: 11, column: 17, message: /10\.0\.0\.10 lies outside the service CIDR 100\.64\.0\.0\/13 \(kops's default serviceClusterIPRange/ },
    ],
  },
  { fixture: "sources/eksctl/clean", expect: [] },
  { fixture: "sources/eksctl/conflict", expect: [{ rule: "kubelet/cluster-dns-mismatch", file: "cluster.yaml", line: 10, column: 17, message: /10\.100\.0\.10 lies outside the service CIDR 172\.20\.0\.0\/16 \(eksctl ClusterConfig prod/ }] },
  { fixture: "sources/helm/clean", expect: [] },
  {
    // The CoreDNS chart's servers: in a HelmRelease, an Argo CD values string, a valuesObject (which wins over values), a values file.
    fixture: "sources/helm/coredns-carriers",
    expect: [
      { rule: "coredns/removed-option", file: "flux/coredns.yaml", line: 28, column: 15, message: /kubernetes option 'upstream' was removed/ },
      { rule: "coredns/unknown-plugin", file: "flux/coredns-values.yaml", line: 21, column: 15, message: /forwrd/ },
      { rule: "coredns/invalid-plugin-option", file: "argo/coredns-app.yaml", line: 34, column: 19, message: /cache is already used in server block \.:53 at argo\/coredns-app\.yaml:32/ },
      { rule: "coredns/removed-plugin", file: "argo/coredns-app.yaml", line: 57, column: 25, message: /the proxy plugin was removed/ },
      { rule: "coredns/forward-loop", file: "charts/coredns/values.yaml", line: 23, column: 19, message: /forward to 127\.0\.0\.1/ },
    ],
  },
  {
    fixture: "sources/helm/cni-pools",
    expect: [
      { rule: "cni/subnet-outside-pod-cidr", file: "cilium-release.yaml", line: 11, message: /Cilium's default cluster-pool 10\.0\.0\.0\/8 \(HelmRelease kube-system\/cilium spec\.values sets no/ },
      { rule: "cni/subnet-outside-pod-cidr", file: "ippool.yaml", line: 6, column: 9, message: /Calico IPPool extra spec\.cidr 172\.16\.0\.0\/16/ },
      { rule: "cni/subnet-outside-pod-cidr", file: "weave.yaml", line: 16, message: /Weave's default IPALLOC_RANGE 10\.32\.0\.0\/12/ },
    ],
  },
  { fixture: "sources/helm/cilium-config", expect: [{ rule: "cni/subnet-outside-pod-cidr", file: "cilium-config.yaml", line: 8, column: 27, message: /Cilium cluster-pool-ipv4-cidr \(ConfigMap kube-system\/cilium-config\) 10\.0\.0\.0\/8 is not inside/ }] },
  {
    fixture: "sources/helm/bad-input",
    expect: [{ rule: "yaml/syntax", file: "releases.yaml", line: 23, column: 17, message: /Application cilium spec\.source\.helm\.values does not parse/ }],
    notices: [
      /releases\.yaml:10: HelmRelease kube-system\/coredns spec\.values is a string, not a map of values: Flux rejects the HelmRelease; not read/,
      /HelmRelease with apiVersion helm\.toolkit\.fluxcd\.io\/v3alpha1/,
      /releases\.yaml:35: HelmRelease coredns-next spec\.values servers should be a list/,
      /releases\.yaml:46: Application coredns-object spec\.source\.helm\.valuesObject is a list, not a map of values/,
      /releases\.yaml:55: HelmChartConfig kube-system\/rke2-coredns spec\.valuesContent is a map, not a YAML string/,
    ],
  },
  // An application's values.yaml with a `servers:` list, a config.yaml outside rancher/, a HelmRelease of another chart.
  { fixture: "sources/helm/look-alike", expect: [], notices: [/no networking artifact found/] },
];

describe("source adapters on fixtures", () => {
  for (const c of cases) {
    it(`${c.expect.length ? "reports" : "is clean on"} ${c.fixture}`, () => {
      const run = lintFixture(c.fixture);
      const got = run.report.results.map((r) => `${r.ruleId} ${r.file}:${r.line}`).sort();
      expect(got).toEqual(c.expect.map((e) => `${e.rule} ${e.file}:${e.line}`).sort());
      for (const e of c.expect) {
        const f = run.report.results.find((r) => r.ruleId === e.rule && r.file === e.file && r.line === e.line)!;
        if (e.column !== undefined) expect(f.column).toBe(e.column);
        if (e.message) expect(f.message).toMatch(e.message);
      }
      for (const n of c.notices ?? []) expect(run.notices.some((x) => n.test(x)), `notice ${n}`).toBe(true);
      if (!c.notices) expect(run.notices).toEqual([]);
    });
  }
});

describe("inspect shows every fact with its origin", () => {
  it("k3s drop-ins: the fact is the drop-in's, the kubelet domain the appended kubelet-arg", () => {
    const out = runInspect(["."], { cwd: path.join(FIXTURES, "sources/k3s/conflict"), config: null });
    const c = out.clusters[0]!;
    expect(c.facts.podCIDRs).toEqual([{ value: "10.52.0.0/16", origin: "k3s config cluster-cidr", source: { file: "etc/rancher/k3s/config.yaml.d/10-network.yaml", line: 2 } }]);
    expect(c.facts.clusterDomain).toEqual([{ value: "corp.local", origin: "k3s config kubelet-arg cluster-domain=", source: { file: "etc/rancher/k3s/config.yaml.d/20-dns.yaml", line: 2 } }]);
    expect(c.kubeProxyConfigs).toMatchObject([{ clusterCIDR: "10.52.0.0/16", mode: "ipvs" }]);
    expect(c.declaredCnis).toEqual([{ vendor: "flannel", origin: "k3s's embedded flannel (default flannel-backend vxlan)", source: { file: "etc/rancher/k3s/config.yaml", line: 1 } }]);
  });
  it("defaults say so and sit at the source's document", () => {
    const out = runInspect(["."], { cwd: path.join(FIXTURES, "sources/kind/conflict"), config: null });
    const c = out.clusters[0]!;
    expect(c.facts.serviceCIDRs).toEqual([{ value: "10.96.0.0/16", origin: "kind's default serviceSubnet (kind Cluster dev)", source: { file: "kind-config.yaml", line: 1 } }]);
    for (const list of Object.values(c.facts)) for (const f of list) expect(f.origin).not.toBe("");
  });
  it("k3s defaults: 10.42/10.43, cluster-dns the 10th service address", () => {
    const out = runInspect(["."], { cwd: path.join(FIXTURES, "sources/k3s/clean"), config: null });
    const c = out.clusters[0]!;
    expect(c.facts.podCIDRs.map((f) => [f.value, f.origin])).toEqual([["10.42.0.0/16", "k3s's default cluster-cidr 10.42.0.0/16 (etc/rancher/k3s/config.yaml does not set it)"], ["10.42.0.0/16", "Cilium ipam.operator.clusterPoolIPv4PodCIDRList (Helm values file cilium-values.yaml)"]]);
    expect(c.facts.clusterDNS.map((f) => f.value)).toEqual(["10.43.0.10"]);
    // disable-kube-proxy: no kube-proxy; flannel-backend none: k3s declares no CNI, the Cilium values do.
    expect(c.kubeProxyConfigs).toEqual([]);
    expect(c.declaredCnis.map((d) => d.vendor)).toEqual(["cilium"]);
  });
});

describe("k3s precedence", () => {
  it("an agent's config states no defaults", () => {
    const c = runInspect(["."], { cwd: path.join(FIXTURES, "sources/k3s/ha"), config: null }).clusters[0]!;
    expect(c.facts.podCIDRs.map((f) => `${f.value} ${f.source && "file" in f.source ? f.source.file : ""}`)).toEqual([
      "10.44.0.0/16 server-1/etc/rancher/k3s/config.yaml",
      "10.44.0.0/16 server-2/etc/rancher/k3s/config.yaml",
    ]);
    // No kube-proxy-arg override: kube-proxy's clusterCIDR is cluster-cidr, no configuration of its own.
    expect(c.kubeProxyConfigs).toEqual([]);
  });
});

describe("the CoreDNS chart's Corefile", () => {
  it("renders servers as templates/configmap.yaml does", () => {
    const yaml = [
      "extraConfig:",
      "  import:",
      "    parameters: /opt/coredns/*.conf",
      "servers:",
      "- zones:",
      "  - zone: .",
      "  port: 53",
      "  plugins:",
      "  - name: errors",
      "  - name: health",
      "    configBlock: |-",
      "      lameduck 5s",
      "  - name: forward",
      "    parameters: . /etc/resolv.conf",
      "- zones:",
      "  - zone: example.com",
      "    scheme: tls://",
      "  - zone: example.org",
      "  plugins:",
      "  - name: log",
      "",
    ].join("\n");
    const file = { path: "values.yaml", absPath: null, text: yaml, lines: new LineIndex(yaml), format: "yaml" as const };
    const obj = objectFromYaml(file, parseYamlDocument(yaml, splitYamlDocuments(yaml)[0]!))!;
    const mapped = renderCorefile({ obj, base: [], values: obj.value, origin: "test", chart: "coredns" })!;
    const text = mapped.text;
    // Each character of a value comes from its place in the values file.
    const at = text.indexOf("lameduck");
    expect(yaml.slice(mapped.offsets[at]!, mapped.offsets[at]! + 11)).toBe("lameduck 5s");
    expect(yaml.slice(mapped.offsets[text.indexOf("tls://")]!, mapped.offsets[text.indexOf("tls://")]! + 6)).toBe("tls://");
    expect(text).toBe("import /opt/coredns/*.conf\n.:53 {\n    errors\n    health {\n        lameduck 5s\n    }\n    forward . /etc/resolv.conf\n}\ntls://example.com example.org{\n    log\n}");
  });
});

describe("selection stays cheap and narrow", () => {
  it("reads kind-less files only by path or by a values file's name and a chart's key", () => {
    expect(sourceForFile("etc/rancher/k3s/config.yaml", "cluster-cidr: 10.42.0.0/16\n")).toBe("k3s");
    expect(sourceForFile("nodes/a/etc/rancher/rke2/config.yaml.d/10-cni.yaml", "cni: cilium\n")).toBe("k3s");
    expect(sourceForFile("deploy/config.yaml", "cluster-cidr: 10.42.0.0/16\n")).toBeNull();
    expect(sourceForFile("talos/worker.yaml", "version: v1alpha1\nmachine:\n  type: worker\ncluster:\n  network: {}\n")).toBe("talos");
    expect(sourceForFile("charts/coredns/values.yaml", "servers:\n- zones: []\n")).toBe("helm");
    expect(sourceForFile("charts/app/values.yaml", "replicaCount: 1\nimage: {}\n")).toBeNull();
    expect(sourceForFile("charts/coredns/defaults.yaml", "servers:\n- zones: []\n")).toBeNull();
    expect(sourceForFile("clusters/prod/helm-values/cilium.yaml", "ipam:\n  mode: kubernetes\n")).toBe("helm");
    expect(sourceForFile("clusters/prod/helm-values/app.yaml", "image: {}\n")).toBeNull();
  });
  it("parses HelmReleases and Applications only when they mention a chart a source reads", () => {
    expect(scanDocument("apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nspec:\n  chart:\n    spec:\n      chart: ingress-nginx\n").needed).toBe(false);
    expect(scanDocument("apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nspec:\n  chart:\n    spec:\n      chart: cilium\n").needed).toBe(true);
    expect(scanDocument("apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nspec:\n  instances: 3\n").needed).toBe(false);
    expect(scanDocument("apiVersion: kind.x-k8s.io/v1alpha4\nkind: Cluster\n").needed).toBe(true);
  });
  it("the n-th address of a range", () => {
    expect(nthAddress("10.43.0.0/16", 10)).toBe("10.43.0.10");
    expect(nthAddress("10.96.0.0/12", 10)).toBe("10.96.0.10");
    expect(nthAddress("10.96.5.7/16", 10)).toBe("10.96.0.10");
    expect(nthAddress("fd00:10:96::/112", 10)).toBe("fd00:10:96::a");
  });
});

describe("the example repository", () => {
  it("reports the dev kind cluster's Calico pool, seven findings in all (README, examples/README.md)", () => {
    const run = runLint(["examples"], { cwd: ROOT, config: null });
    expect(run.report.results.length).toBe(7);
    const dev = run.report.results.filter((r) => r.file.startsWith("examples/clusters/dev/"));
    expect(dev.map((r) => `${r.ruleId} ${r.file}:${r.line}`)).toEqual(["cni/subnet-outside-pod-cidr examples/clusters/dev/calico.yaml:11"]);
    expect(dev[0]!.message).toMatch(/kind Cluster dev networking\.podSubnet/);
    // clusters/dev and clusters/prod are two clusters: prod's kubeadm and flannel are no sources of dev's pod CIDR.
    expect(dev[0]!.message).not.toMatch(/clusters\/prod/);
    expect((dev[0]!.related ?? []).map((r) => r.file)).toEqual(["examples/clusters/dev/kind-config.yaml"]);
    const prod = run.report.results.find((r) => r.ruleId === "kube-proxy/cluster-cidr-mismatch")!;
    expect(prod.message).not.toMatch(/clusters\/dev/);
  });
});
