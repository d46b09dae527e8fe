/**
 * `kube-netlint collect` against a fake kubectl (fixtures/kubectl/bin/kubectl) that replays recorded
 * kubectl output and logs every invocation: the exact kubectl arguments, the snapshot written, and
 * the snapshot linted end to end.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { collectCommand } from "../src/cli/collect.js";
import { memoryIo } from "./helpers/memory-io.js";
import { debugArgs, NODE_SCRIPT, parseNodeFilesLog } from "../src/collect/node-files.js";
import { runInspect } from "../src/engine/inspect.js";
import { runLint } from "../src/engine/lint.js";
import { FIXTURES } from "./helpers/lint-fixture.js";

const KUBECTL_FIXTURES = path.join(FIXTURES, "kubectl");
const FAKE_BIN = path.join(KUBECTL_FIXTURES, "bin");
const tmpRoot = mkdtempSync(path.join(os.tmpdir(), "knl-collect-"));
afterAll(() => rmSync(tmpRoot, { recursive: true, force: true }));
let serial = 0;

interface CollectRun {
  code: number;
  stdout: string;
  stderr: string;
  /** Every kubectl invocation's arguments, in order. */
  calls: string[][];
  cwd: string;
  dir: string;
}

async function runCollect(recording: string, argv: string[], opts: { cwd?: string; path?: string } = {}): Promise<CollectRun> {
  const cwd = opts.cwd ?? mkdtempSync(path.join(tmpRoot, "run-"));
  const log = path.join(tmpRoot, `calls-${++serial}.log`);
  const { io, out } = memoryIo({
    cwd,
    env: {
      ...process.env,
      PATH: opts.path ?? `${FAKE_BIN}${path.delimiter}${process.env.PATH ?? ""}`,
      KNL_FAKE_KUBECTL_CASE: path.join(KUBECTL_FIXTURES, recording),
      KNL_FAKE_KUBECTL_LOG: log,
    },
  });
  const code = await collectCommand(argv, io);
  const calls = existsSync(log) ? readFileSync(log, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as string[]) : [];
  return { code, stdout: out.stdout, stderr: out.stderr, calls, cwd, dir: path.join(cwd, "snap") };
}

const yaml = (...a: string[]) => [...a, "-o", "yaml"];
const namespaced = (ns: string) =>
  ["configmaps", "deployments", "daemonsets", "services", "endpoints", "endpointslices", "serviceaccounts", "pods", "events"].map((r) => yaml("get", r, `--namespace=${ns}`));
const namespaces = ["get", "namespaces", "-o", "name"];
const clusterScoped = [yaml("get", "clusterroles"), yaml("get", "clusterrolebindings"), yaml("get", "nodes"), yaml("get", "networkpolicies", "--all-namespaces")];
const counts = [["get", "pods", "--all-namespaces", "-o", "name"], ["get", "services", "--all-namespaces", "-o", "name"]];
const marker = (dir: string) => JSON.parse(readFileSync(path.join(dir, "kube-netlint-snapshot.json"), "utf8")) as Record<string, unknown>;

describe("collect from a kubeadm cluster with CoreDNS, kube-proxy and flannel", async () => {
  const run = await runCollect("kubeadm-flannel", ["-o", "snap", "--kubeconfig", "admin.conf", "--context", "kubernetes-admin@kubernetes", "-n", "kube-flannel"]);

  it("runs exactly these kubectl commands, the kubeconfig and context passed through to each", () => {
    const g = ["--kubeconfig=admin.conf", "--context=kubernetes-admin@kubernetes"];
    // --context names the context: `kubectl config current-context` is not asked.
    expect(run.calls).toEqual([["version", "-o", "json"], namespaces, ...namespaced("kube-system"), ...namespaced("kube-flannel"), ...clusterScoped, ...counts].map((a) => [...g, ...a]));
    expect(run.calls.flat().some((a) => /secret/i.test(a))).toBe(false);
    expect(run.code).toBe(0);
  });

  it("writes the resources as kubectl printed them and the marker", () => {
    const files = ["configmaps", "deployments", "daemonsets", "services", "endpoints", "endpointslices", "serviceaccounts", "pods", "events"];
    expect(readdirSync(path.join(run.dir, "resources")).sort()).toEqual(
      [...files.map((f) => `${f}.yaml`), "clusterrolebindings.yaml", "clusterroles.yaml", "kube-flannel", "networkpolicies.yaml", "nodes.yaml"].sort(),
    );
    expect(readdirSync(path.join(run.dir, "resources/kube-flannel")).sort()).toEqual(files.map((f) => `${f}.yaml`).sort());
    expect(readFileSync(path.join(run.dir, "resources/configmaps.yaml"), "utf8")).toBe(readFileSync(path.join(KUBECTL_FIXTURES, "kubeadm-flannel/out/configmaps-kube-system.yaml"), "utf8"));
    const m = marker(run.dir);
    expect(m).toMatchObject({
      version: 1,
      kubectlContext: "kubernetes-admin@kubernetes",
      serverVersion: "v1.31.2",
      counts: { pods: 12, services: 3 },
      namespaces: ["kube-system", "kube-flannel"],
      nodeFiles: false,
      forbidden: [],
      errors: [],
    });
    expect(new Date(m.collectedAt as string).toString()).not.toBe("Invalid Date");
    expect(m.files).toContain("resources/kube-flannel/daemonsets.yaml");
    // Nothing but the snapshot: no temporary files left behind.
    expect(readdirSync(run.dir).sort()).toEqual(["kube-netlint-snapshot.json", "resources"]);
  });

  it("shows progress on stderr, one line per step, and nothing on stdout", () => {
    expect(run.stdout).toBe("");
    const files = ["configmaps: 2 objects", "deployments: 0 objects", "daemonsets: 1 object", "services: 0 objects", "endpoints: 0 objects", "endpointslices: 0 objects", "serviceaccounts: 2 objects", "pods: 1 object", "events: 0 objects"];
    expect(run.stderr).toBe(
      [
        "context kubernetes-admin@kubernetes",
        "server v1.31.2",
        "namespaces: no CNI namespace besides those named",
        "[1/22] configmaps in kube-system: 6 objects -> resources/configmaps.yaml",
        "[2/22] deployments in kube-system: 1 object -> resources/deployments.yaml",
        "[3/22] daemonsets in kube-system: 1 object -> resources/daemonsets.yaml",
        "[4/22] services in kube-system: 1 object -> resources/services.yaml",
        "[5/22] endpoints in kube-system: 1 object -> resources/endpoints.yaml",
        "[6/22] endpointslices in kube-system: 1 object -> resources/endpointslices.yaml",
        "[7/22] serviceaccounts in kube-system: 3 objects -> resources/serviceaccounts.yaml",
        "[8/22] pods in kube-system: 2 objects -> resources/pods.yaml",
        "[9/22] events in kube-system: 1 object -> resources/events.yaml",
        ...files.map((f, i) => {
          const [resource, count] = f.split(": ");
          return `[${i + 10}/22] ${resource} in kube-flannel: ${count} -> resources/kube-flannel/${resource}.yaml`;
        }),
        "[19/22] clusterroles: 5 objects -> resources/clusterroles.yaml",
        "[20/22] clusterrolebindings: 4 objects -> resources/clusterrolebindings.yaml",
        "[21/22] nodes: 2 objects -> resources/nodes.yaml",
        "[22/22] networkpolicies in all namespaces: 1 object -> resources/networkpolicies.yaml",
        "counting pods in all namespaces: 12",
        "counting services in all namespaces: 3",
        "wrote 22 files to snap; lint it with: kube-netlint snap",
      ].map((l) => `kube-netlint collect: ${l}\n`).join(""),
    );
  });

  it("lints as a snapshot with the Corefile, kube-proxy config and facts joined, and no error", () => {
    const model = runInspect(["snap"], { cwd: run.cwd, config: null });
    expect(model.clusters).toHaveLength(1);
    const c = model.clusters[0]!;
    expect(c.snapshot).toBe(true);
    expect(c.corefiles.map((f) => [f.file, f.configMap, f.deployment])).toEqual([["snap/resources/configmaps.yaml", "kube-system/coredns", "Deployment coredns"]]);
    expect(c.kubeProxyConfigs).toHaveLength(1);
    expect(c.facts.podCIDRs.map((f) => f.value)).toContain("10.244.0.0/16");
    expect(c.facts.clusterDNS.map((f) => [f.value, f.origin, f.source])).toEqual([
      ["10.96.0.10", "KubeletConfiguration clusterDNS", { file: "snap/resources/configmaps.yaml", line: 226 }],
      ["10.96.0.10", "Service kube-dns spec.clusterIP", { file: "snap/resources/services.yaml", line: 19 }],
    ]);
    const lint = runLint(["snap"], { cwd: run.cwd, config: null });
    expect(lint.report.results.filter((r) => r.severity === "error").map((r) => `${r.file}:${r.line} ${r.ruleId}`)).toEqual([]);
  });
});

describe("collect where RBAC forbids ClusterRoles and ClusterRoleBindings", async () => {
  const run = await runCollect("clusterroles-forbidden", ["--output", "snap"]);

  it("asks for the context, records the refusals in the marker, says so and goes on", () => {
    expect(run.calls).toEqual([["config", "current-context"], ["version", "-o", "json"], namespaces, ...namespaced("kube-system"), ...clusterScoped, ...counts]);
    expect(run.code).toBe(0);
    const m = marker(run.dir);
    expect(m.kubectlContext).toBe("netlint-reader@prod");
    expect((m.forbidden as unknown[]).slice(0, 2)).toEqual([
      {
        resource: "clusterroles",
        namespace: null,
        command: "kubectl get clusterroles -o yaml",
        message: 'Error from server (Forbidden): clusterroles.rbac.authorization.k8s.io is forbidden: User "system:serviceaccount:ops:netlint-reader" cannot list resource "clusterroles" in API group "rbac.authorization.k8s.io" at the cluster scope',
      },
      {
        resource: "clusterrolebindings",
        namespace: null,
        command: "kubectl get clusterrolebindings -o yaml",
        message: 'Error from server (Forbidden): clusterrolebindings.rbac.authorization.k8s.io is forbidden: User "system:serviceaccount:ops:netlint-reader" cannot list resource "clusterrolebindings" in API group "rbac.authorization.k8s.io" at the cluster scope',
      },
    ]);
    expect(m.forbidden).toHaveLength(3);
    expect((m.forbidden as { resource: string }[])[2]!.resource).toBe("pods (count)");
    expect(m.counts).toEqual({ pods: null, services: 3 });
    expect(existsSync(path.join(run.dir, "resources/clusterroles.yaml"))).toBe(false);
    expect(existsSync(path.join(run.dir, "resources/nodes.yaml"))).toBe(true);
    expect(run.stderr).toMatch(/^kube-netlint collect: \[10\/13\] clusterroles: forbidden: Error from server \(Forbidden\): clusterroles\.rbac\.authorization\.k8s\.io is forbidden: .* \(recorded in kube-netlint-snapshot\.json; going on\)$/m);
    expect(run.stderr.trim().split("\n").at(-1)).toBe("kube-netlint collect: wrote 11 files to snap (3 forbidden: see kube-netlint-snapshot.json); lint it with: kube-netlint snap");
  });

  it("still lints: the rest of the snapshot is there", () => {
    const lint = runLint(["snap"], { cwd: run.cwd, config: null });
    expect(lint.clusters[0]!.isSnapshot).toBe(true);
    expect(lint.clusters[0]!.corefiles).toHaveLength(1);
  });
});

describe("collect where listing kube-system's ConfigMaps is forbidden", async () => {
  const run = await runCollect("configmaps-forbidden", ["-o", "snap", "--context", "kubernetes-admin@kubernetes"]);

  it("falls back to the well-known ConfigMaps one by one", () => {
    const g = "--context=kubernetes-admin@kubernetes";
    const one = (name: string) => [g, "get", "configmap", name, "--namespace=kube-system", "--ignore-not-found", "-o", "yaml"];
    expect(run.calls.slice(0, 8)).toEqual([[g, "version", "-o", "json"], [g, ...namespaces], [g, ...yaml("get", "configmaps", "--namespace=kube-system")], one("coredns"), one("kube-proxy"), one("kubeadm-config"), one("kubelet-config"), [g, ...yaml("get", "deployments", "--namespace=kube-system")]]);
    expect(run.code).toBe(0);
    expect((marker(run.dir).forbidden as { resource: string }[]).map((f) => f.resource)).toEqual(["configmaps", "configmaps/kube-proxy"]);
    expect(run.stderr).toContain("kube-netlint collect:   ConfigMap coredns in kube-system on its own: -> resources/configmap-coredns.yaml\n");
    expect(run.stderr).toContain("kube-netlint collect:   ConfigMap kubelet-config in kube-system on its own: not in the cluster\n");
    // kubelet-config does not exist (--ignore-not-found printed nothing): no file for it.
    expect(readdirSync(path.join(run.dir, "resources")).filter((f) => f.startsWith("configmap")).sort()).toEqual(["configmap-coredns.yaml", "configmap-kubeadm-config.yaml"]);
  });

  it("the single ConfigMap documents are linted like the list", () => {
    const model = runInspect(["snap"], { cwd: run.cwd, config: null });
    expect(model.clusters[0]!.corefiles.map((f) => [f.file, f.deployment])).toEqual([["snap/resources/configmap-coredns.yaml", "Deployment coredns"]]);
    expect(model.clusters[0]!.facts.serviceCIDRs.map((f) => f.value)).toEqual(["10.96.0.0/12"]);
  });
});

describe("collect from an old kubeadm 1.11 cluster on Docker 1.12 (CentOS 7)", async () => {
  const run = await runCollect("kubeadm-1.11-docker", ["-o", "snap"]);

  it("skips the EndpointSlices the server does not serve, and is not an error", () => {
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("kube-netlint collect: [6/22] endpointslices in kube-system: skipped, the server does not serve endpointslices\n");
    expect(existsSync(path.join(run.dir, "resources/endpointslices.yaml"))).toBe(false);
    expect(marker(run.dir)).toMatchObject({ serverVersion: "v1.11.10", counts: { pods: 10, services: 3 }, forbidden: [], errors: [] });
  });

  it("lints end to end: coredns/selinux-privilege-escalation from the Nodes' container runtime", () => {
    const lint = runLint(["snap"], { cwd: run.cwd, config: null });
    expect(lint.report.results.filter((r) => r.severity === "error")).toEqual([]);
    const f = lint.report.results.filter((r) => r.ruleId === "coredns/selinux-privilege-escalation");
    expect(f.map((r) => [r.file, r.line, r.column, r.severity])).toEqual([["snap/resources/deployments.yaml", 69, 39, "warning"]]);
    expect(f[0]!.message).toMatch(/node master-0 runs Docker 1\.12\.6 on CentOS Linux 7 \(Core\) \(snap\/resources\/nodes\.yaml:60\) \(and 1 other node: node-0\)/);
  });
});

describe("collect --node-files", async () => {
  const run = await runCollect("node-files", ["-o", "snap", "--node-files"]);

  it("starts a debug pod per node, waits for it, reads its log and deletes it", () => {
    const perNode = (node: string, pod: string) => [
      debugArgs(node, "default", "busybox:1.36"),
      ["wait", `pod/${pod}`, "--namespace=default", "--for=jsonpath={.status.phase}=Succeeded", "--timeout=120s"],
      ["logs", `pod/${pod}`, "--namespace=default", "--container=debugger"],
      ["delete", `pod/${pod}`, "--namespace=default", "--wait=false"],
    ];
    expect(run.calls).toEqual([
      ["config", "current-context"], ["version", "-o", "json"], namespaces, ...namespaced("kube-system"), ...namespaced("kube-flannel"), ...clusterScoped, ...counts,
      ...perNode("cp-1", "node-debugger-cp-1-7xq2m"), ...perNode("worker-1", "node-debugger-worker-1-b4h9z"),
    ]);
    expect(debugArgs("cp-1", "default", "busybox:1.36")).toEqual(["debug", "node/cp-1", "--namespace=default", "--image=busybox:1.36", "--attach=false", "--", "sh", "-c", NODE_SCRIPT, "kube-netlint", "/host"]);
    expect(run.code).toBe(0);
  });

  it("writes each node's files at their paths on the node", () => {
    const n = path.join(run.dir, "nodes/worker-1");
    expect(readFileSync(path.join(n, "etc/resolv.conf"), "utf8")).toMatch(/\nnameserver 127\.0\.0\.53\noptions edns0 trust-ad\nsearch \.\n$/);
    expect(readFileSync(path.join(n, "run/systemd/resolve/resolv.conf"), "utf8")).toMatch(/\nnameserver 192\.168\.56\.1\n/);
    expect(readFileSync(path.join(n, "var/lib/kubelet/config.yaml"), "utf8")).toMatch(/^resolvConf: \/etc\/resolv\.conf$/m);
    expect(readFileSync(path.join(n, "var/lib/kubelet/kubeadm-flags.env"), "utf8")).toMatch(/^KUBELET_KUBEADM_ARGS=/);
    expect(readdirSync(path.join(n, "etc/cni/net.d")).sort()).toEqual(["10-flannel.conflist", "10-flannel.conflist.bak"]);
    // worker-1 has only the flannel binary its DaemonSet's init container copies (no CNI plugins package).
    expect(readFileSync(path.join(n, "opt/cni/bin.txt"), "utf8")).toBe("flannel\n");
    const cp1 = readFileSync(path.join(run.dir, "nodes/cp-1/opt/cni/bin.txt"), "utf8").split("\n");
    expect(cp1).toEqual(expect.arrayContaining(["bridge", "flannel", "host-local", "loopback", "portmap"]));
    expect(cp1.at(-1)).toBe("");
    expect(marker(run.dir)).toMatchObject({ nodeFiles: true, forbidden: [], errors: [] });
    expect(run.stderr).toContain("kube-netlint collect: node files [1/2] cp-1 (kubectl debug node/cp-1 in namespace default): 6 files -> nodes/cp-1/\n");
    expect(run.stderr).toContain("kube-netlint collect: node files [2/2] worker-1 (kubectl debug node/worker-1 in namespace default): 7 files -> nodes/worker-1/\n");
  });

  it("lints end to end: each rule that needs node files reports at its own place", () => {
    const lint = runLint(["snap"], { cwd: run.cwd, config: null });
    expect(lint.report.results.filter((r) => r.severity === "error").map((r) => `${r.file}:${r.line}:${r.column} ${r.ruleId}`).sort()).toEqual([
      // flannel delegates to bridge, and the chain has portmap: neither binary is on worker-1.
      "snap/nodes/worker-1/etc/cni/net.d/10-flannel.conflist:13:15 cni/plugin-binary-missing",
      "snap/nodes/worker-1/etc/cni/net.d/10-flannel.conflist:7:19 cni/plugin-binary-missing",
      // The kubelet hands pods the systemd-resolved stub: reported at resolvConf, and at the forward line.
      "snap/nodes/worker-1/var/lib/kubelet/config.yaml:40:13 kubelet/resolv-conf-loopback",
      "snap/resources/configmaps.yaml:18:11 coredns/forward-loop",
    ]);
  });

  it("lints end to end: worker-1's kubelet hands CoreDNS the systemd-resolved stub, so forward . /etc/resolv.conf loops", () => {
    const lint = runLint(["snap"], { cwd: run.cwd, config: null });
    const loop = lint.report.results.filter((r) => r.ruleId === "coredns/forward-loop");
    expect(loop.map((r) => [r.file, r.line, r.column, r.severity])).toEqual([["snap/resources/configmaps.yaml", 18, 11, "error"]]);
    expect(loop[0]!.message).toMatch(/127\.0\.0\.53 \(worker-1's \/etc\/resolv\.conf, snap\/nodes\/worker-1\/etc\/resolv\.conf:21\)/);
    expect(loop[0]!.related?.map((r) => [r.file, r.line])).toEqual([
      ["snap/nodes/worker-1/etc/resolv.conf", 21],
      ["snap/nodes/worker-1/var/lib/kubelet/config.yaml", 40],
      ["snap/resources/deployments.yaml", 102],
    ]);
    const model = runInspect(["snap"], { cwd: run.cwd, config: null });
    expect(model.clusters[0]!.cniConfDirs.map((d) => [d.dir, d.runtime, d.active.map((a) => a.file)])).toEqual([
      ["snap/nodes/cp-1/etc/cni/net.d", "containerd", ["10-flannel.conflist"]],
      ["snap/nodes/worker-1/etc/cni/net.d", "containerd", ["10-flannel.conflist"]],
    ]);
  });
});

describe("collect --node-files where a debug pod does not finish", async () => {
  const run = await runCollect("node-files-timeout", ["-o", "snap", "--node-files"]);
  it("records the failure, still deletes the pod, keeps the other node's files, exit 1", () => {
    expect(run.calls.slice(-5).map((c) => c.slice(0, 2))).toEqual([
      ["logs", "pod/node-debugger-cp-1-7xq2m"], ["delete", "pod/node-debugger-cp-1-7xq2m"],
      ["debug", "node/worker-1"], ["wait", "pod/node-debugger-worker-1-b4h9z"], ["delete", "pod/node-debugger-worker-1-b4h9z"],
    ]);
    expect(run.calls.some((c) => c[0] === "logs" && c[1] === "pod/node-debugger-worker-1-b4h9z")).toBe(false);
    expect(run.code).toBe(1);
    expect(marker(run.dir).errors).toEqual([
      {
        resource: "node files of worker-1",
        namespace: "default",
        command: "kubectl wait pod/node-debugger-worker-1-b4h9z --namespace=default '--for=jsonpath={.status.phase}=Succeeded' --timeout=120s",
        message: "error: timed out waiting for the condition on pods/node-debugger-worker-1-b4h9z",
      },
    ]);
    expect(existsSync(path.join(run.dir, "nodes/cp-1/etc/resolv.conf"))).toBe(true);
    expect(existsSync(path.join(run.dir, "nodes/worker-1"))).toBe(false);
    expect(run.stderr.trim().split("\n").at(-1)).toMatch(/\(1 failed: see kube-netlint-snapshot\.json\)/);
  });
});

describe("collect --node-files where the debug pods are refused", async () => {
  const run = await runCollect("debug-forbidden", ["-o", "snap", "--node-files"]);
  it("records the refusal once and stops asking for the other nodes", () => {
    expect(run.calls.filter((c) => c[0] === "debug").map((c) => c[1])).toEqual(["node/cp-1"]);
    expect(run.calls.some((c) => c[0] === "wait" || c[0] === "logs" || c[0] === "delete")).toBe(false);
    expect(run.code).toBe(0);
    expect(marker(run.dir).forbidden).toEqual([
      expect.objectContaining({ resource: "node files of cp-1", namespace: "default", message: expect.stringMatching(/violates PodSecurity "baseline:latest"/) }),
    ]);
    expect(run.stderr).toMatch(/^kube-netlint collect: node files \[1\/2\] cp-1 \(kubectl debug node\/cp-1 in namespace default\): forbidden: Error from server \(Forbidden\): pods "node-debugger-cp-1-q8w3e" is forbidden: violates PodSecurity .* \(recorded in kube-netlint-snapshot\.json; going on\); the other nodes are not tried$/m);
    expect(existsSync(path.join(run.dir, "nodes"))).toBe(false);
  });
});

describe("collect fails cleanly", () => {
  it("when the cluster cannot be reached: exit 2, one line, nothing written", async () => {
    const run = await runCollect("unreachable", ["-o", "snap"]);
    expect(run.code).toBe(2);
    expect(run.calls).toEqual([["config", "current-context"], ["version", "-o", "json"]]);
    expect(run.stderr.split("\n").filter(Boolean).at(-1)).toBe(
      "kube-netlint collect: cannot reach the cluster (kubectl version -o json): The connection to the server 127.0.0.1:41567 was refused - did you specify the right host or port?",
    );
    expect(existsSync(run.dir)).toBe(false);
  });

  it("when kubectl is not there", async () => {
    const emptyBin = mkdtempSync(path.join(tmpRoot, "bin-"));
    const notOnPath = await runCollect("kubeadm-flannel", ["-o", "snap"], { path: emptyBin });
    expect([notOnPath.code, notOnPath.stderr]).toEqual([2, "kube-netlint collect: kubectl is not on PATH: install it or name it with --kubectl PATH\n"]);
    const missing = await runCollect("kubeadm-flannel", ["-o", "snap", "--kubectl", "no/such/kubectl"]);
    expect([missing.code, missing.stderr]).toEqual([2, `kube-netlint collect: --kubectl no/such/kubectl: cannot run it (${path.join(missing.cwd, "no/such/kubectl")}: not found)\n`]);
    expect(existsSync(missing.dir)).toBe(false);
  });

  it("--kubectl names the kubectl to run", async () => {
    const emptyBin = mkdtempSync(path.join(tmpRoot, "bin-"));
    const run = await runCollect("kubeadm-flannel", ["-o", "snap", "--kubectl", path.join(FAKE_BIN, "kubectl")], { path: `${emptyBin}${path.delimiter}${process.env.PATH ?? ""}` });
    expect(run.code).toBe(0);
    expect(run.calls[0]).toEqual(["config", "current-context"]);
  });

  it.each([
    [[], "kube-netlint collect: -o DIR is required: the directory to write the snapshot into (kube-netlint collect --help lists the options)\n"],
    [["-o", "snap", "--bogus"], "kube-netlint collect: unknown option --bogus (kube-netlint collect --help lists the options)\n"],
    [["-o", "snap", "extra"], "kube-netlint collect: unexpected argument extra: name the snapshot directory with -o DIR (kube-netlint collect --help lists the options)\n"],
    [["-o", "snap", "-n", "Kube_System"], 'kube-netlint collect: namespace "Kube_System": expected a Kubernetes namespace name (lower-case letters, digits and \'-\') (kube-netlint collect --help lists the options)\n'],
    [["-o", "snap", "--context"], "kube-netlint collect: Option '--context <value>' argument missing (kube-netlint collect --help lists the options)\n"],
  ])("usage error %j: exit 2, one line, no kubectl call", async (argv, message) => {
    const run = await runCollect("kubeadm-flannel", argv);
    expect([run.code, run.stderr, run.calls]).toEqual([2, message, []]);
  });

  it("--help prints the usage on stdout", async () => {
    const run = await runCollect("kubeadm-flannel", ["--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: kube-netlint collect -o DIR/);
    expect(run.calls).toEqual([]);
  });
});

describe("the output directory", () => {
  it("is refused when it holds other files and no snapshot marker", async () => {
    const cwd = mkdtempSync(path.join(tmpRoot, "dir-"));
    mkdirSync(path.join(cwd, "snap"));
    writeFileSync(path.join(cwd, "snap/notes.md"), "mine\n");
    const run = await runCollect("kubeadm-flannel", ["-o", "snap"], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`kube-netlint collect: ${path.join(cwd, "snap")}: the directory is not empty and holds no kube-netlint-snapshot.json: collect writes only into a new or empty directory, or over an earlier snapshot (kube-netlint collect --help lists the options)\n`);
    expect(run.calls).toEqual([]);
    expect(readdirSync(path.join(cwd, "snap"))).toEqual(["notes.md"]);
  });

  it("is refused when it is a file", async () => {
    const cwd = mkdtempSync(path.join(tmpRoot, "dir-"));
    writeFileSync(path.join(cwd, "snap"), "");
    const run = await runCollect("kubeadm-flannel", ["-o", "snap"], { cwd });
    expect([run.code, run.calls]).toEqual([2, []]);
    expect(run.stderr).toMatch(/snap: exists and is not a directory/);
  });

  it("a temporary directory left by an interrupted collect is no obstacle and is cleaned up", async () => {
    const cwd = mkdtempSync(path.join(tmpRoot, "dir-"));
    mkdirSync(path.join(cwd, "snap/.kube-netlint-collect-4242.tmp"), { recursive: true });
    writeFileSync(path.join(cwd, "snap/.kube-netlint-collect-4242.tmp/7.tmp"), "half a file");
    const run = await runCollect("kubeadm-flannel", ["-o", "snap"], { cwd });
    expect(run.code).toBe(0);
    expect(readdirSync(path.join(cwd, "snap")).sort()).toEqual(["kube-netlint-snapshot.json", "resources"]);
  });

  it("is created with its parents, and an empty one is used", async () => {
    const cwd = mkdtempSync(path.join(tmpRoot, "dir-"));
    const deep = await runCollect("kubeadm-flannel", ["-o", "out/today/snap"], { cwd });
    expect(deep.code).toBe(0);
    expect(existsSync(path.join(cwd, "out/today/snap/kube-netlint-snapshot.json"))).toBe(true);
    mkdirSync(path.join(cwd, "empty"));
    const empty = await runCollect("kubeadm-flannel", ["-o", "empty"], { cwd });
    expect(empty.code).toBe(0);
  });

  it("over an earlier snapshot: replaced, its files that are gone now removed, other files kept", async () => {
    const cwd = mkdtempSync(path.join(tmpRoot, "dir-"));
    const first = await runCollect("node-files", ["-o", "snap", "--node-files", "-n", "kube-flannel"], { cwd });
    expect(first.code).toBe(0);
    writeFileSync(path.join(cwd, "snap/README.txt"), "collected for ticket 4711\n");
    const second = await runCollect("clusterroles-forbidden", ["-o", "snap"], { cwd });
    expect(second.code).toBe(0);
    expect(readdirSync(path.join(cwd, "snap")).sort()).toEqual(["README.txt", "kube-netlint-snapshot.json", "resources"]);
    expect(existsSync(path.join(cwd, "snap/resources/clusterroles.yaml"))).toBe(false);
    expect(existsSync(path.join(cwd, "snap/resources/kube-flannel"))).toBe(false);
    // 18 resource files of kube-flannel and the cluster-scoped ones, and the nodes' files.
    expect(second.stderr).toMatch(/removed 24 files of the earlier snapshot that this one no longer has/);
  });
});

describe("collect from a cluster whose CoreDNS crash-loops and whose flannel pod fails", async () => {
  const run = await runCollect("coredns-crashloop", ["-o", "snap"]);
  const logs = (pod: string, ns: string, c: string, previous = false) => ["logs", `pod/${pod}`, `--namespace=${ns}`, `--container=${c}`, "--tail=500", "--limit-bytes=5242880", ...(previous ? ["--previous"] : [])];

  it("fetches the bounded logs of the CoreDNS and CNI pods that are not Running and Ready, current and previous, after the resources", () => {
    const tail = run.calls.slice(run.calls.findIndex((c) => c[0] === "logs"));
    expect(tail).toEqual([
      logs("coredns-7c65d6cfc9-4xq8z", "kube-system", "coredns"),
      logs("coredns-7c65d6cfc9-4xq8z", "kube-system", "coredns", true),
      logs("coredns-7c65d6cfc9-m2t7w", "kube-system", "coredns"),
      logs("kube-flannel-ds-pm7tb", "kube-flannel", "kube-flannel"),
      logs("kube-flannel-ds-pm7tb", "kube-flannel", "kube-flannel", true),
      ...counts,
    ]);
    // The healthy kube-proxy pod's log is not asked for.
    expect(run.calls.some((c) => c[0] === "logs" && c[1]!.includes("kube-proxy"))).toBe(false);
  });

  it("writes the logs where the linter looks, and records a failed call in the marker without stopping", () => {
    expect(readFileSync(path.join(run.dir, "logs/kube-system/coredns-7c65d6cfc9-4xq8z/coredns-previous.log"), "utf8")).toMatch(/\[FATAL\] plugin\/loop/);
    expect(existsSync(path.join(run.dir, "logs/kube-system/coredns-7c65d6cfc9-m2t7w/coredns.log"))).toBe(false);
    expect(run.stderr).toContain("coredns-7c65d6cfc9-m2t7w/coredns in kube-system: none (Error from server (BadRequest): container \"coredns\" in pod \"coredns-7c65d6cfc9-m2t7w\" is waiting to start: ContainerCreating)");
    const m = marker(run.dir);
    expect((m.errors as { resource: string }[]).map((e) => e.resource)).toEqual(["logs of kube-flannel-ds-pm7tb/kube-flannel"]);
    expect((m.forbidden as { resource: string }[]).map((e) => e.resource)).toEqual(["logs of kube-flannel-ds-pm7tb/kube-flannel (previous)"]);
    expect(m.files).toContain("logs/kube-system/coredns-7c65d6cfc9-4xq8z/coredns.log");
    expect(run.code).toBe(1);
  });

  it("lints: the crash loop is reported at the pod, with the cause read from the collected log", () => {
    const lint = runLint(["snap"], { cwd: run.cwd, config: null });
    const crash = lint.report.results.filter((r) => r.ruleId === "coredns/crash-loop");
    // The pod's metadata.name in kubectl's YAML.
    expect(crash.map((r) => `${r.file}:${r.line}`)).toEqual(["snap/resources/pods.yaml:6"]);
    expect(crash[0]!.message).toMatch(/snap\/logs\/kube-system\/coredns-7c65d6cfc9-4xq8z\/coredns-previous\.log:5\): the loop plugin detected a forwarding loop/);
  });
});

const BUSYBOX = ["/usr/bin/busybox", "/bin/busybox"].find((p) => existsSync(p));

describe("the node script", () => {
  // The debug container is busybox: run the script with busybox's sh and applets alone when this
  // machine has busybox, and with the system sh always.
  const shells: [string, () => { file: string; env: NodeJS.ProcessEnv }][] = [["sh", () => ({ file: "sh", env: { PATH: process.env.PATH ?? "/usr/bin:/bin", LC_ALL: "C" } })]];
  if (BUSYBOX) {
    shells.push(["busybox sh", () => {
      const bin = mkdtempSync(path.join(tmpRoot, "busybox-"));
      for (const applet of ["sh", "ls", "base64", "readlink", "wc"]) symlinkSync(BUSYBOX, path.join(bin, applet));
      return { file: path.join(bin, "sh"), env: { PATH: bin } };
    }]);
  } else console.warn("note: busybox is not installed: the node script runs under the system sh only");

  it.each(shells)("follows the node's symbolic links under the root and encodes every file (%s)", (_name, shell) => {
    const root = mkdtempSync(path.join(tmpRoot, "root-"));
    for (const d of ["etc/cni/net.d", "run/systemd/resolve", "data/kubelet", "var/lib", "opt/cni/bin", "real"]) mkdirSync(path.join(root, d), { recursive: true });
    writeFileSync(path.join(root, "run/systemd/resolve/stub-resolv.conf"), "nameserver 127.0.0.53\nsearch .");
    symlinkSync("../run/systemd/resolve/stub-resolv.conf", path.join(root, "etc/resolv.conf"));
    symlinkSync("/data/kubelet", path.join(root, "var/lib/kubelet"));
    writeFileSync(path.join(root, "data/kubelet/config.yaml"), "kind: KubeletConfiguration\n");
    writeFileSync(path.join(root, "real/10-calico.conflist"), '{"name":"k8s-pod-network"}\n');
    symlinkSync("/real/10-calico.conflist", path.join(root, "etc/cni/net.d/10-calico.conflist"));
    symlinkSync("/nowhere", path.join(root, "etc/cni/net.d/99-dangling.conf"));
    writeFileSync(path.join(root, "etc/cni/net.d/a file.conf"), "{}");
    writeFileSync(path.join(root, "etc/cni/net.d/--- kube-netlint end"), "x");
    for (const b of ["calico", "calico-ipam", "loopback"]) writeFileSync(path.join(root, "opt/cni/bin", b), "");
    const { file, env } = shell();
    const log = execFileSync(file, ["-c", NODE_SCRIPT, "kube-netlint", root], { env }).toString();
    const r = parseNodeFilesLog(log);
    expect(r.complete).toBe(true);
    expect(r.files.map((f) => [f.path, f.content.toString()])).toEqual([
      ["/etc/resolv.conf", "nameserver 127.0.0.53\nsearch ."],
      ["/var/lib/kubelet/config.yaml", "kind: KubeletConfiguration\n"],
      ["/etc/cni/net.d/--- kube-netlint end", "x"],
      ["/etc/cni/net.d/10-calico.conflist", '{"name":"k8s-pod-network"}\n'],
      ["/etc/cni/net.d/a file.conf", "{}"],
    ]);
    expect(r.dirs).toEqual(["/etc/cni/net.d"]);
    expect(r.binaries).toEqual(["calico", "calico-ipam", "loopback"]);
    expect(r.skipped).toEqual([
      { path: "/run/systemd/resolve/resolv.conf", status: "missing" },
      { path: "/var/lib/kubelet/kubeadm-flags.env", status: "missing" },
      { path: "/etc/cni/net.d/99-dangling.conf", status: "missing" },
    ]);
  });

  it("its log is read strictly: paths not asked for, cut and garbled blocks are dropped", () => {
    const b64 = (s: string) => Buffer.from(s).toString("base64");
    const r = parseNodeFilesLog(
      [
        "--- kube-netlint file /etc/shadow ok", b64("root:x"), "--- kube-netlint end",
        "--- kube-netlint file /etc/cni/net.d/../../shadow ok", b64("x"), "--- kube-netlint end",
        "--- kube-netlint file /etc/resolv.conf ok", "not base64!", "--- kube-netlint end",
        "--- kube-netlint list /opt/cni/bin ok", b64("bridge\n../evil\nloopback\n"), "--- kube-netlint end",
        "--- kube-netlint file /var/lib/kubelet/config.yaml ok", b64("kind: KubeletConfiguration\n"),
      ].join("\n"),
    );
    expect(r.files).toEqual([]);
    expect(r.binaries).toEqual(["bridge", "loopback"]);
    expect(r.skipped).toEqual([{ path: "/etc/resolv.conf", status: "garbled" }, { path: "/var/lib/kubelet/config.yaml", status: "cut" }]);
    expect(r.complete).toBe(false);
  });
});
