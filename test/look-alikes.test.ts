/**
 * Issue 14, item 1-3: ordinary content stays quiet. Files of other programs that look a little like
 * networking artifacts (INI and systemd .conf, nginx and Caddy configs, package.json, tsconfig.json
 * with comments, an ARM template, a Makefile with a `kind:` target), unrendered templates and Helm
 * chart sources, vendored and test-data copies, kube-netlint's own baseline: no finding, and notices
 * that say what was not checked.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runLint } from "../src/engine/lint.js";
import { ROOT } from "./helpers/lint-fixture.js";
import { tmpFiles } from "./helpers/tmp-files.js";

const LOOK_ALIKES = path.join(ROOT, "test/fixtures-look-alikes");
const at = (r: { file: string; line: number; ruleId: string }) => `${r.file}:${r.line} ${r.ruleId}`;

const files = tmpFiles("knl-look-");
const write = files.write;
let tmp: string;
beforeAll(() => {
  tmp = files.dir();
});

const HEALTHY_COREDNS_CM = `apiVersion: v1
kind: ConfigMap
metadata:
  name: coredns
  namespace: kube-system
data:
  Corefile: |
    .:53 {
        errors
        health {
           lameduck 5s
        }
        ready
        kubernetes cluster.local in-addr.arpa ip6.arpa {
           pods insecure
           fallthrough in-addr.arpa ip6.arpa
           ttl 30
        }
        prometheus :9153
        forward . 8.8.8.8 8.8.4.4
        cache 30
        loop
        reload
        loadbalance
    }
`;

describe("a repository of look-alikes", () => {
  it("gives no finding, and says what it did not check", () => {
    const run = runLint(["."], { cwd: LOOK_ALIKES, config: null });
    expect(run.report.results.map(at)).toEqual([]);
    expect(Object.values(run.report.checked!).every((n) => n === 0)).toBe(true);
    const notices = run.notices.join("\n");
    // One notice per chart, one per kind of template, one for the skipped directories, and the last: nothing was checked.
    expect(run.notices.filter((n) => /Helm chart/.test(n))).toEqual([
      "charts/coredns: a Helm chart: its templates/ are not rendered, so they were not checked; lint the rendered chart: helm template coredns charts/coredns | kube-netlint - --stdin-filename charts/coredns/rendered.yaml",
    ]);
    expect(notices).toMatch(/^3 unrendered Jinja templates \(\*\.j2, \{% %\}\) not checked \(ansible\/roles\/cni\/templates\/10-macvlan\.conf\.j2, ansible\/roles\/cni\/templates\/coredns-config\.yml\.j2, ansible\/roles\/kubeadm\/templates\/kubeadm-client\.conf\.j2\)/m);
    expect(notices).toMatch(/^2 unrendered templates \(\*\.template, \*\.sed, \*\.base, \*\.in, __PLACEHOLDER__\) not checked \(installer\/cni\.conf\.template, installer\/coredns\.yaml\.sed\)/m);
    expect(notices).toMatch(/^3 vendor\/, node_modules\/ or testdata\/ directories were not read \(.*\): .*--include-vendored \(or includeVendored: true/m);
    expect(run.notices.at(-1)).toMatch(/^no networking artifact found in \. \(\d+ files read; the 2 objects read \(RBAC, Services, apps\) hold no Corefile/);
    expect(run.notices.filter((n) => /unrendered/.test(n))).toHaveLength(2);
  });

  it("reads vendor/, node_modules/ and testdata/ with includeVendored, and finds what is there", () => {
    const run = runLint(["."], { cwd: LOOK_ALIKES, config: null, includeVendored: true });
    expect(run.report.results.filter((r) => r.severity === "error").map(at).sort()).toEqual([
      "internal/render/testdata/kube-proxy-configmap.yaml:10 kube-proxy/invalid-config",
      "node_modules/pkg/package.json:1 cni/invalid-json",
      "vendor/github.com/x/y/registries.conf:1 cni/invalid-json",
    ]);
    expect(run.notices.join("\n")).not.toMatch(/vendor\/, node_modules/);
  });

  it("files named on the command line (as pre-commit passes them) are judged the same way", () => {
    const files = ["apps/shop/etc/app.conf", "apps/web/docker/default.conf", "apps/web/frontend/package.json", "apps/web/frontend/tsconfig.json",
      "Makefile", "infra/azure/network.json", "charts/coredns/templates/configmap.yaml", "installer/cni.conf.template", ".kube-netlint-baseline.json"];
    const run = runLint(files, { cwd: LOOK_ALIKES, config: null });
    expect(run.report.results.map(at)).toEqual([]);
    expect(run.notices.join("\n")).toMatch(/charts\/coredns: a Helm chart/);
    expect(run.notices.join("\n")).toMatch(/1 unrendered template \(\*\.template, \*\.sed, \*\.base, \*\.in, __PLACEHOLDER__\) not checked \(installer\/cni\.conf\.template\)/);
  });
});

describe("what is a CNI config, a Corefile, a manifest", () => {
  it("an empty directory is a conf dir only when its path ends in net.d", () => {
    mkdirSync(path.join(tmp, "empty/plain"), { recursive: true });
    mkdirSync(path.join(tmp, "empty/etc/cni/net.d"), { recursive: true });
    const plain = runLint(["empty/plain"], { cwd: tmp, config: null });
    expect(plain.report.results).toEqual([]);
    expect(plain.notices.at(-1)).toMatch(/^no networking artifact found in empty\/plain \(0 files read\): nothing was checked$/);
    const netd = runLint(["empty/etc/cni/net.d"], { cwd: tmp, config: null });
    expect(netd.report.results.map(at)).toEqual(["empty/etc/cni/net.d:1 cni/no-network"]);
  });

  it("CNI JSON outside a conf dir is recognised by content: cniVersion or a CNI plugin type, whatever the name", () => {
    // Not named themselves (a named directory of CNI configs is a conf dir): found by walking their parent.
    write("repo/cni/bridge.conf", '{"name": "mynet", "type": "bridge", "ipam": {"type": "host-local", "subnet": "10.22.0.0/16"}}\n');
    write("repo/cni/net.json", '{"cniVersion": "1.0.0", "name": "mynet", "plugins": [{"type": "bridge"},]}\n');
    write("repo/cni/app.json", '{"name": "app", "type": "module", "ipam": "none"}\n');
    write("repo/web/app.conf", '{"name": "web", "type": "module"\n');
    const run = runLint(["repo"], { cwd: tmp, config: null });
    expect(run.report.results.map(at).sort()).toEqual(["repo/cni/bridge.conf:1 cni/unknown-cni-version", "repo/cni/net.json:1 cni/invalid-json"]);
    expect(run.report.checked!.cniConfigs).toBe(2);
  });

  it("a .yaml file is never a raw Corefile, whatever its name", () => {
    write("dns/corefile-configmap.yaml", HEALTHY_COREDNS_CM);
    write("dns/corefile-patch.yaml", HEALTHY_COREDNS_CM.replace("name: coredns\n", "name: coredns-custom\n"));
    const run = runLint(["dns/corefile-configmap.yaml"], { cwd: tmp, config: null });
    expect(run.report.results.filter((r) => r.severity === "error").map(at)).toEqual([]);
    expect(run.report.checked!.corefiles).toBe(1);
  });

  it("a Corefile is sniffed from content no nginx or Caddy file has; a manifest from content no Makefile has", () => {
    write("sniff/dns-main", ".:53 {\n    forward . 8.8.8.8\n    cache 30\n    loop\n}\n");
    write("sniff/proxy", "server {\n    listen 80;\n    rewrite ^ /x;\n    log off;\n}\n");
    write("sniff/site", "example.com {\n\treverse_proxy localhost:8080\n\tlog\n}\n");
    write("sniff/kube-proxy", "apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: banana\n");
    write("sniff/Makefile", "kind:\n\tkind create cluster\napiVersion:\n\techo v1\n");
    const run = runLint(["sniff"], { cwd: tmp, config: null });
    expect(run.report.checked!.corefiles).toBe(1);
    expect(run.report.checked!.kubeProxyConfigs).toBe(1);
    expect(run.report.results.map(at).filter((s) => !s.includes("cluster-cidr-missing"))).toEqual(["sniff/kube-proxy:3 kube-proxy/invalid-config"]);
  });

  it("a healthy Corefile with CoreDNS's own template plugin ({{ .Name }} in answer) is not a template", () => {
    write("tpl/Corefile", '.:53 {\n    template IN A example.org {\n        answer "{{ .Name }} 60 IN A 127.0.0.1"\n    }\n    forward . 8.8.8.8\n    loop\n}\n');
    const run = runLint(["tpl"], { cwd: tmp, config: null });
    expect(run.report.checked!.corefiles).toBe(1);
    expect(run.notices.join("\n")).not.toMatch(/unrendered/);
  });

  it("the config file and the baseline given with --baseline are never inputs", () => {
    write("own/.kube-netlint.yaml", "facts:\n  podCIDR: 10.244.0.0/16\n");
    write("own/known-findings.json", '{"version": 1, "tool": {"name": "kube-netlint", "version": "0.1.0"}, "findings": [{"ruleId": "cni/invalid-json", "file": "a.conf", "fingerprint": "x", "line": 1, "message": "cniVersion 0.2.0"}]}\n');
    // Whatever its content: read as an input, this one would be a yaml/syntax error.
    write("own/other-baseline.json", '{"apiVersion": "v1", "kind": "ConfigMap",}\n');
    write("own/kube-system/coredns.yaml", HEALTHY_COREDNS_CM);
    const run = runLint(["."], { cwd: path.join(tmp, "own"), excludeFiles: ["other-baseline.json"] });
    expect(run.report.results.filter((r) => r.severity === "error").map(at)).toEqual([]);
    expect(run.clusters.flatMap((c) => c.files.map((f) => f.path))).toEqual(["kube-system/coredns.yaml"]);
    const without = runLint(["."], { cwd: path.join(tmp, "own") });
    expect(without.report.results.filter((r) => r.severity === "error").map(at)).toEqual(["other-baseline.json:1 yaml/syntax"]);
  });
});
