/**
 * Issue 14, items 2, 3, 7, 8 and 10 through the built CLI: --ignore-pattern, --include-vendored,
 * --print-config, config validation, report.checked, the compact summary, explain's suggestion,
 * library warnings, and the rough edges.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "./helpers/lint-fixture.js";
import { tmpFiles } from "./helpers/tmp-files.js";

const CLI = path.join(ROOT, "dist/cli.cjs");
const LOOK_ALIKES = path.join(ROOT, "test/fixtures-look-alikes");

function cli(args: string[], cwd: string, input = "") {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, input, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const files = tmpFiles("knl-opts-");
const write = files.write;
let tmp: string;
beforeAll(() => {
  if (!existsSync(CLI)) throw new Error("dist/cli.cjs is missing: npm test builds it first (npm run build)");
  tmp = files.dir();
});

const KUBE_PROXY_BAD = "apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nclusterCIDR: 10.244.0.0/16\nmode: banana\n";

describe("which files are inputs", () => {
  it("--ignore-pattern (repeatable) is applied beside the config's ignore:", () => {
    write("ign/a/kube-proxy.yaml", KUBE_PROXY_BAD);
    write("ign/b/kube-proxy.yaml", KUBE_PROXY_BAD);
    write("ign/c/kube-proxy.yaml", KUBE_PROXY_BAD);
    write("ign/.kube-netlint.yaml", 'ignore: ["c/**"]\n');
    const all = cli(["-f", "json", "."], path.join(tmp, "ign"));
    expect(JSON.parse(all.stdout).results.filter((r: { ruleId: string }) => r.ruleId === "kube-proxy/invalid-config").map((r: { file: string }) => r.file)).toEqual(["a/kube-proxy.yaml", "b/kube-proxy.yaml"]);
    const some = cli(["-f", "json", "--ignore-pattern", "a/**", "--ignore-pattern", "**/nothing", "."], path.join(tmp, "ign"));
    expect(JSON.parse(some.stdout).results.filter((r: { ruleId: string }) => r.ruleId === "kube-proxy/invalid-config").map((r: { file: string }) => r.file)).toEqual(["b/kube-proxy.yaml"]);
  });

  it("--include-vendored reads vendor/, node_modules/ and testdata/; by default a notice names it", () => {
    const def = cli(["--no-config", "."], LOOK_ALIKES);
    expect(def.code).toBe(0);
    expect(def.stdout).toBe("");
    expect(def.stderr).toMatch(/^kube-netlint: 3 vendor\/, node_modules\/ or testdata\/ directories were not read .*--include-vendored/m);
    const inc = cli(["--no-config", "--include-vendored", "."], LOOK_ALIKES);
    expect(inc.code).toBe(1);
    expect(inc.stdout).toMatch(/^vendor\/github\.com\/x\/y\/registries\.conf:1:\d+: error cni\/invalid-json/m);
  });

  it("the library's own warnings never reach stderr", () => {
    write("warn/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: coredns, namespace: kube-system}\ndata:\n  ? [a, b]\n  : c\n");
    const r = cli(["--no-config", "."], path.join(tmp, "warn"));
    expect(r.stderr).not.toMatch(/Warning|stringified/);
  });
});

describe("say when nothing was checked", () => {
  it("every run ends with the notice when the objects are only RBAC, Services or apps; JSON counts what was checked", () => {
    write("rbac/rbac.yaml", "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: flux}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: kube-system}\nspec: {ports: [{port: 80}]}\n");
    const r = cli(["--no-config", "-f", "json", "rbac"], tmp);
    expect(r.code).toBe(0);
    expect(r.stderr.trim().split("\n").at(-1)).toBe(
      "kube-netlint: no networking artifact found in rbac (1 file read; the 2 objects read (RBAC, Services, apps) hold no Corefile, CNI config, CoreDNS or CNI workload, kube-proxy, kubelet or kubeadm config): nothing was checked",
    );
    expect(JSON.parse(r.stdout).checked).toMatchObject({ corefiles: 0, cniConfDirs: 0, kubeProxyConfigs: 0 });
    const ex = JSON.parse(cli(["--no-config", "-f", "json", "examples"], ROOT).stdout);
    expect(ex.checked).toMatchObject({ corefiles: 1, cniConfDirs: 1, kubeProxyConfigs: 1, kubeletConfigs: 1, kubeadmConfigs: 1, corednsWorkloads: 1, cniDaemonSets: 1 });
  });
});

describe("config validation", () => {
  it("bad facts are exit 2, every error at once, each with the file, line and field", () => {
    write("cfg/.kube-netlint.yaml", [
      "facts:",
      "  podCIDR: 10.244.0.0/33",
      "  serviceCIDR: banana",
      "  clusterDNS: 10.96.0.300",
      "  clusterDomain: Cluster_Local",
      "  containerRuntime: docker",
      "rules:",
      "  coredns/forward-lop: error",
      "clusters:",
      "  - name: prod",
      "    paths: [prod/**]",
      "    facts: {podCIDR: '10.0.0.0/8,10.1.0.0/16'}",
      "",
    ].join("\n"));
    const r = cli(["."], path.join(tmp, "cfg"));
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split("\n");
    expect(lines[0]).toMatch(/^kube-netlint: .*\.kube-netlint\.yaml: 7 errors in the config file:$/);
    const body = lines.slice(1).map((l) => l.replace(/^kube-netlint: .*\.kube-netlint\.yaml/, "F")).sort();
    expect(body).toEqual([
      'F:12: clusters[0].facts.podCIDR: dual stack needs one IPv4 and one IPv6 CIDR, got two IPv4',
      'F:2: facts.podCIDR: "10.244.0.0/33" is not a CIDR (e.g. 10.244.0.0/16)',
      'F:3: facts.serviceCIDR: "banana" is not a CIDR (e.g. 10.96.0.0/12)',
      'F:4: facts.clusterDNS: "10.96.0.300" is not an IP address (e.g. 10.96.0.10)',
      'F:5: facts.clusterDomain: "Cluster_Local" is not a DNS domain name (lower-case labels of letters, digits and \'-\', e.g. cluster.local)',
      'F:6: facts.containerRuntime: must be one of "containerd", "cri-o", "crio"',
      "F:8: rules.coredns/forward-lop: unknown rule id (kube-netlint rules lists them)",
    ]);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("good facts (dual stack, trailing dot) pass", () => {
    write("cfg-ok/.kube-netlint.yaml", "facts:\n  podCIDR: 10.244.0.0/16,fd00:10:244::/56\n  serviceCIDR: 10.96.0.0/12\n  clusterDNS: 10.96.0.10\n  clusterDomain: cluster.local.\n  containerRuntime: cri-o\n");
    write("cfg-ok/kube-proxy.yaml", KUBE_PROXY_BAD.replace("mode: banana", "mode: iptables").replace("10.244.0.0/16", "10.244.0.0/16,fd00:10:244::/56"));
    expect(cli(["."], path.join(tmp, "cfg-ok")).code).toBe(0);
  });

  it("--print-config FILE prints the effective rules, facts and cluster for a file", () => {
    write("pc/.kube-netlint.yaml", 'extends: strict\nfacts: {podCIDR: 10.244.0.0/16}\nrules: {coredns/forward-loop: warning}\nignore: ["legacy/**"]\nclusters:\n  - name: prod\n    paths: ["prod/**"]\n    facts: {serviceCIDR: 10.96.0.0/12}\noverrides:\n  - files: ["prod/kube-system/*.yaml"]\n    rules: {coredns/pods-insecure-missing: "off"}\n');
    const r = cli(["--print-config", "prod/kube-system/coredns.yaml", "--rule", "cni/multiple-cni=error"], path.join(tmp, "pc"));
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ file: "prod/kube-system/coredns.yaml", preset: "strict", cluster: "prod", ignored: null, facts: { podCIDR: "10.244.0.0/16", serviceCIDR: "10.96.0.0/12" } });
    expect(out.rules["coredns/forward-loop"]).toBe("warning");
    expect(out.rules["coredns/pods-insecure-missing"]).toBe("off");
    expect(out.rules["cni/multiple-cni"]).toBe("error");
    expect(out.rules["coredns/no-reload"]).toBe("info");
    const ign = JSON.parse(cli(["--print-config", "legacy/x.yaml"], path.join(tmp, "pc")).stdout);
    expect(ign.ignored).toBe('ignored by "legacy/**"');
    expect(ign.cluster).toBeNull();
  });
});

describe("rough edges", () => {
  it("--write-baseline writes the file, says so and exits 0; compact then ends with a summary line", () => {
    const dir = path.join(tmp, "ex");
    cpSync(path.join(ROOT, "examples"), dir, { recursive: true });
    const c = cli(["--no-config", "-f", "compact", "."], dir);
    expect(c.code).toBe(1);
    const lines = c.stdout.trim().split("\n");
    expect(lines.at(-1)).toBe("7 problems (5 errors, 2 warnings, 0 infos) in 11 files read");
    expect(lines.slice(0, -1).every((l) => /^[^:]+:\d+:\d+: (error|warning|info) /.test(l))).toBe(true);
    const w = cli(["--no-config", "--write-baseline", "known.json", "."], dir);
    expect(w.code).toBe(0);
    expect(w.stdout).toBe("");
    expect(w.stderr).toMatch(/^kube-netlint: wrote known\.json: 7 findings recorded \(5 errors, 2 warnings, 0 info\)/m);
    expect(JSON.parse(readFileSync(path.join(dir, "known.json"), "utf8")).findings).toHaveLength(7);
    const b = cli(["--no-config", "--baseline", "known.json", "."], dir);
    expect(b.code).toBe(0);
    expect(b.stdout).toBe("");
  });

  it("the pods insecure fix in examples/ indents like its siblings", () => {
    const dir = path.join(tmp, "ex-fix");
    cpSync(path.join(ROOT, "examples"), dir, { recursive: true });
    const r = cli(["--no-config", "--fix-dry-run", "."], dir);
    const added = r.stdout.split("\n").find((l) => /^\+\s+pods insecure$/.test(l))!;
    const sibling = r.stdout.split("\n").find((l) => /^ \s+fallthrough in-addr\.arpa/.test(l))!;
    expect(added.indexOf("pods")).toBe(sibling.indexOf("fallthrough"));
  });

  it("explain suggests the closest rule id", () => {
    const r = cli(["explain", "coredns/forward-lop"], tmp);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("kube-netlint: explain coredns/forward-lop: unknown rule id (did you mean coredns/forward-loop?) (kube-netlint rules lists them)\n");
    expect(cli(["explain", "forward-loop"], tmp).stderr).toMatch(/did you mean coredns\/forward-loop\?/);
  });

  it("an unclosed flow sequence is reported where it opens", () => {
    write("flow/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kube-proxy\n  namespace: kube-system\n  labels: [a, b\ndata:\n  x: y\n  z: w\n");
    const r = cli(["--no-config", "."], path.join(tmp, "flow"));
    expect(r.stdout).toMatch(/^cm\.yaml:6:11: error yaml\/syntax does not parse: this \[ \(flow sequence\) is never closed/m);
  });
});
