/**
 * Observed state (issue 15): the model reads what a snapshot shows (Pod status, Node conditions,
 * Events, Endpoints, logs) in all three layouts; six symptom rules report it at the symptom's
 * entry and name the configuration finding that causes it; healthy state stays quiet; bad input
 * does not crash; a snapshot run says what it could not check.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runInspect } from "../src/engine/inspect.js";
import { runLint } from "../src/engine/lint.js";
import { formatSarif } from "../src/formatters/sarif.js";
import { formatPretty } from "../src/formatters/pretty.js";
import { readTail, dumpLogSections } from "../src/model/observed/logs.js";
import { SYMPTOM_PATTERNS, matchSymptom } from "../src/model/observed/patterns.js";
import { FIXTURES, ROOT, SHARED } from "./helpers/lint-fixture.js";
import { runRuleTable, type RuleCase } from "./helpers/rule-table.js";

const SYMPTOM_RULES = ["coredns/pods-pending", "coredns/crash-loop", "coredns/no-endpoints", "cni/network-not-ready", "cni/sandbox-failed", "kube-proxy/crash-loop"];
const HEALTHY = ["observed/healthy-dump", "observed/healthy-bundle", "observed/healthy-collected"];
const quiet = (fixture: string): RuleCase => ({ fixture, expect: [] });
const tmpRoot = mkdtempSync(path.join(os.tmpdir(), "knl-observed-"));
afterAll(() => rmSync(tmpRoot, { recursive: true, force: true }));
const lintDir = (dir: string) => runLint(["."], { cwd: dir, config: null });
const ids = (run: ReturnType<typeof lintDir>) => run.report.results.map((r) => `${r.ruleId} ${r.file}:${r.line}`).sort();

runRuleTable({
  "coredns/crash-loop": [
    { fixture: "coredns/crash-loop/invalid-loop-dump", expect: [{ file: "kube-system/pods.json", line: 10, severity: "error", message: /2 of 2 pods of Deployment kube-system\/coredns .* CrashLoopBackOff .*\[FATAL\] plugin\/loop: Loop .*kube-system\/coredns-7c65d6cfc9-4xq8z\/logs\.txt:6\): the loop plugin detected a forwarding loop .*Caused by coredns\/forward-loop at kube-system\/configmaps\.json:14; also kubelet\/resolv-conf-loopback at nodes\/cp-1\/etc\/resolv\.conf:2/ }] },
    { fixture: "coredns/crash-loop/invalid-loop-bundle", expect: [{ file: "cluster-resources/pods/kube-system.json", line: 12, message: /coredns-previous\.log:5\).*No configuration rule found the cause in this snapshot: CoreDNS forwards to itself/ }] },
    { fixture: "coredns/crash-loop/invalid-loop-collected", expect: [{ file: "resources/pods.yaml", line: 9, message: /logs\/kube-system\/coredns-7c65d6cfc9-4xq8z\/coredns-previous\.log:5\).*Caused by coredns\/forward-loop at resources\/configmaps\.yaml:17/ }] },
    { fixture: "coredns/crash-loop/invalid-loop-no-config", expect: [{ file: "kube-system/pods.json", line: 10, message: /forwarding loop.*kube-netlint collect --node-files/ }] },
    { fixture: "coredns/crash-loop/invalid-bind-dump", expect: [{ file: "kube-system/pods.json", line: 10, message: /bind: permission denied.*Caused by coredns\/bind-capability at kube-system\/deployments\.json:91/ }] },
    { fixture: "coredns/crash-loop/invalid-bind-bundle", expect: [{ file: "cluster-resources/pods/kube-system.json", line: 12, message: /Caused by coredns\/bind-capability/ }] },
    { fixture: "coredns/crash-loop/invalid-oom", expect: [{ file: "cluster-resources/pods/kube-system.json", line: 12, message: /pod kube-system\/coredns-7c65d6cfc9-4xq8z \(1 of 2 pods .*OOMKilled, code 137.*at its memory limit 170Mi/ }] },
    ...HEALTHY.map(quiet),
  ],
  "kube-proxy/crash-loop": [
    { fixture: "kube-proxy/crash-loop/invalid-config-missing-dump", expect: [{ file: "kube-system/pods.json", line: 360, message: /2 of 2 pods of DaemonSet kube-system\/kube-proxy .*failed complete: open \/var\/lib\/kube-proxy\/config\.conf.*Caused by kube-proxy\/config-not-mounted at kube-system\/daemonsets\.json:37/ }] },
    { fixture: "kube-proxy/crash-loop/invalid-config-missing-bundle", expect: [{ file: "cluster-resources/pods/kube-system.json", line: 366, message: /Caused by kube-proxy\/config-not-mounted at cluster-resources\/daemonsets\/kube-system\.json:39/ }] },
    { fixture: "kube-proxy/crash-loop/invalid-config-missing-collected", expect: [{ file: "resources/pods.yaml", line: 239, message: /Caused by kube-proxy\/config-not-mounted at resources\/daemonsets\.yaml:29/ }] },
    { fixture: "kube-proxy/crash-loop/invalid-mode-no-config", expect: [{ file: "kube-system/pods.json", line: 360, message: /failed validate: .*nftables.*No configuration rule found the cause/ }] },
    ...HEALTHY.map(quiet),
  ],
  "cni/network-not-ready": [
    { fixture: "cni/network-not-ready/invalid-containerd-dump", expect: [{ file: "nodes.json", line: 10, message: /Node cp-1 is NotReady: containerd finds no usable CNI configuration.*no CNI DaemonSet/ }] },
    { fixture: "cni/network-not-ready/invalid-containerd-bundle", expect: [{ file: "cluster-resources/nodes.json", line: 12 }] },
    { fixture: "cni/network-not-ready/invalid-containerd-collected", expect: [{ file: "resources/nodes.yaml", line: 9 }] },
    // One CRI-O node NotReady for its network; the other Unknown (stopped reporting): one finding.
    { fixture: "cni/network-not-ready/invalid-crio", expect: [{ file: "nodes.json", line: 10, message: /CRI-O finds no CNI configuration file in \/etc\/cni\/net\.d\// }] },
    { fixture: "cni/network-not-ready/invalid-dockershim", expect: [{ file: "cluster-resources/nodes.json", line: 12, message: /dockershim finds no CNI configuration \(cni config uninitialized\)/ }] },
    quiet("cni/network-not-ready/valid-node-unknown"),
    ...HEALTHY.map(quiet),
  ],
  "cni/sandbox-failed": [
    // Three events of two pods, one cause: one finding at the first Event, with the total count.
    { fixture: "cni/sandbox-failed/invalid-plugin-missing-dump", expect: [{ file: "kube-system/events.json", line: 10, message: /fails 33 times for 2 pods .* on node worker-1: the CNI plugin binary "flannel" is not in \/opt\/cni\/bin/ }] },
    { fixture: "cni/sandbox-failed/invalid-plugin-missing-bundle", expect: [{ file: "cluster-resources/events/kube-system.json", line: 12 }] },
    { fixture: "cni/sandbox-failed/invalid-plugin-missing-node-files", expect: [{ file: "resources/events.yaml", line: 9, message: /Caused by cni\/plugin-binary-missing at nodes\/worker-1\/etc\/cni\/net\.d\/10-flannel\.conflist:6/ }] },
    {
      fixture: "cni/sandbox-failed/invalid-two-causes",
      expect: [
        { file: "cluster-resources/events/kube-system.json", line: 12, message: /fails 22 times for 1 pod .*subnet\.env is missing/ },
        { file: "cluster-resources/events/kube-system.json", line: 72, message: /no free address left in 10\.244\.1\.1-10\.244\.1\.254/ },
      ],
    },
    ...HEALTHY.map(quiet),
  ],
  "coredns/pods-pending": [
    { fixture: "coredns/pods-pending/invalid-not-ready-taint", expect: [{ file: "resources/pods.yaml", line: 9, message: /not-ready taint.*Caused by cni\/network-not-ready at resources\/nodes\.yaml:9/ }] },
    { fixture: "cni/network-not-ready/invalid-containerd-dump", expect: [{ file: "kube-system/pods.json", line: 10, message: /Caused by cni\/network-not-ready at nodes\.json:10/ }] },
    { fixture: "coredns/pods-pending/invalid-insufficient", expect: [{ file: "cluster-resources/pods/kube-system.json", line: 12, message: /no node has enough memory/ }] },
    { fixture: "cni/sandbox-failed/invalid-plugin-missing-dump", expect: [{ file: "kube-system/pods.json", line: 10, message: /Pending \(ContainerCreating\): its sandbox cannot be created .*Caused by cni\/sandbox-failed at kube-system\/events\.json:10/ }] },
    {
      // Two pods of one Deployment failing for two causes: one finding per cause, each naming its own sandbox finding.
      fixture: "cni/sandbox-failed/invalid-two-causes",
      expect: [
        { file: "cluster-resources/pods/kube-system.json", line: 12, message: /subnet\.env.*Caused by cni\/sandbox-failed at cluster-resources\/events\/kube-system\.json:12\.$/ },
        { file: "cluster-resources/pods/kube-system.json", line: 190, message: /IPAM.*Caused by cni\/sandbox-failed at cluster-resources\/events\/kube-system\.json:72\.$/ },
      ],
    },
    ...HEALTHY.map(quiet),
  ],
  "coredns/no-endpoints": [
    { fixture: "coredns/no-endpoints/invalid-not-ready-collected", expect: [{ file: "resources/endpoints.yaml", line: 9, message: /only not-ready addresses \(10\.244\.0\.5, 10\.244\.0\.6\).*cannot list resource|refuses system:serviceaccount:kube-system:coredns to list endpointslices/ }] },
    { fixture: "coredns/no-endpoints/invalid-not-ready-bundle", expect: [{ file: "cluster-resources/endpoints/kube-system.json", line: 12 }] },
    { fixture: "coredns/no-endpoints/invalid-no-subsets", expect: [{ file: "cluster-resources/endpoints/kube-system.json", line: 12, message: /its Endpoints lists no address/ }] },
    { fixture: "coredns/no-endpoints/invalid-selector-inferred", expect: [{ file: "kube-system/services.json", line: 10, message: /the snapshot has no Endpoints, but its selector matches no pod \(inferred.*k8s-app=coredns.*labelled k8s-app=kube-dns.*Caused by coredns\/service-selector-mismatch at kube-system\/services\.json:45/ }] },
    // CoreDNS crash-loops: that is the finding; the empty endpoints are the same problem.
    quiet("coredns/crash-loop/invalid-loop-dump"),
    quiet("snapshots/cluster-info-dump"),
    ...HEALTHY.map(quiet),
  ],
});

describe("symptom and cause", () => {
  it("JSON carries the cause as a related location with its rule id; SARIF as relatedLocations; pretty says caused by", async () => {
    const run = lintDir(path.join(FIXTURES, "coredns/crash-loop/invalid-loop-dump"));
    const crash = run.report.results.find((r) => r.ruleId === "coredns/crash-loop")!;
    const causes = (crash.related ?? []).filter((r) => r.causeRuleId);
    expect(causes.map((r) => `${r.causeRuleId} ${r.file}:${r.line}`)).toEqual(["coredns/forward-loop kube-system/configmaps.json:14", "kubelet/resolv-conf-loopback nodes/cp-1/etc/resolv.conf:2"]);
    // The configuration finding it names is reported too, at its own place.
    expect(ids(run)).toEqual(["coredns/crash-loop kube-system/pods.json:10", "coredns/forward-loop kube-system/configmaps.json:14", "kubelet/resolv-conf-loopback nodes/cp-1/etc/resolv.conf:2"].sort());
    // The log line is a related location, numbered as in the file.
    expect(crash.related!.some((r) => r.file === "kube-system/coredns-7c65d6cfc9-4xq8z/logs.txt" && r.line === 6)).toBe(true);
    const sarif = JSON.parse(formatSarif(run.report, { cwd: ROOT, color: false, files: [], rules: [] }));
    const result = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === "coredns/crash-loop");
    expect(result.relatedLocations.map((l: { message: { text: string } }) => l.message.text)).toContainEqual(expect.stringMatching(/^caused by coredns\/forward-loop: forward \. \/etc\/resolv\.conf/));
    const pretty = await formatPretty({ ...run.report, results: [{ ...crash, message: "CoreDNS crashes." }] }, { cwd: ROOT, color: false, files: [], rules: [] });
    expect(pretty).toMatch(/caused by coredns\/forward-loop at kube-system\/configmaps\.json:14; caused by kubelet\/resolv-conf-loopback at nodes\/cp-1\/etc\/resolv\.conf:2/);
  });

  it("the broken example prints what examples-broken-cluster/README.md shows", () => {
    const run = runLint(["examples-broken-cluster"], { cwd: ROOT, config: null });
    expect(ids(run)).toEqual([
      "coredns/crash-loop examples-broken-cluster/kube-system/pods.json:10",
      "coredns/forward-loop examples-broken-cluster/kube-system/configmaps.json:14",
      "kubelet/resolv-conf-loopback examples-broken-cluster/nodes/node-1/etc/resolv.conf:2",
    ]);
    const readme = readFileSync(path.join(ROOT, "examples-broken-cluster/README.md"), "utf8");
    for (const f of run.report.results) expect(readme).toContain(`${f.file}:${f.line}:${f.column}: error ${f.ruleId}`);
    expect(run.report.coverage).toEqual([]);
  });
});

describe("state corrects configuration guesses; one problem, one finding", () => {
  it("a dump whose hand-added configmaps.json holds only CoreDNS's: every kube-proxy pod is Running and Ready, no config-not-mounted", () => {
    const run = lintDir(path.join(FIXTURES, "kube-proxy/config-not-mounted/valid-dump-partial-configmaps"));
    expect(ids(run)).toEqual([]);
  });
  it("without the pods' evidence the same dump still reports the missing ConfigMap, once for the DaemonSet, not once per pod", () => {
    const dir = path.join(tmpRoot, "partial-no-pods");
    cpSync(path.join(FIXTURES, "kube-proxy/config-not-mounted/valid-dump-partial-configmaps"), dir, { recursive: true });
    const pods = JSON.parse(readFileSync(path.join(dir, "kube-system/pods.json"), "utf8"));
    for (const p of pods.items) if (p.metadata.labels["k8s-app"] === "kube-proxy") p.status = { phase: "Pending", conditions: [] };
    writeFileSync(path.join(dir, "kube-system/pods.json"), JSON.stringify(pods, null, 4));
    expect(ids(lintDir(dir)).filter((s) => s.startsWith("kube-proxy/config-not-mounted"))).toEqual(["kube-proxy/config-not-mounted kube-system/daemonsets.json:37"]);
  });
  it("the same for CoreDNS: its ConfigMap missing from a partial configmaps.json is no finding while its pods run and are Ready", () => {
    const dir = path.join(tmpRoot, "partial-coredns");
    cpSync(path.join(FIXTURES, "kube-proxy/config-not-mounted/valid-dump-partial-configmaps"), dir, { recursive: true });
    const cmFile = path.join(dir, "kube-system/configmaps.json");
    writeFileSync(cmFile, readFileSync(cmFile, "utf8").replace('"name": "coredns"', '"name": "cluster-notes"'));
    expect(ids(lintDir(dir))).toEqual([]);
    const pods = JSON.parse(readFileSync(path.join(dir, "kube-system/pods.json"), "utf8"));
    for (const p of pods.items) if (p.metadata.labels["k8s-app"] === "kube-dns") p.status = { phase: "Pending", conditions: [] };
    writeFileSync(path.join(dir, "kube-system/pods.json"), JSON.stringify(pods, null, 4));
    expect(ids(lintDir(dir)).filter((s) => s.startsWith("coredns/configmap-not-mounted"))).toEqual(["coredns/configmap-not-mounted kube-system/deployments.json:118"]);
  });
  it("a crash-looping DaemonSet with a wrong --config key: one config finding (the DaemonSet), one crash finding", () => {
    const run = lintDir(path.join(FIXTURES, "kube-proxy/crash-loop/invalid-config-missing-dump"));
    expect(ids(run)).toEqual(["kube-proxy/config-not-mounted kube-system/daemonsets.json:37", "kube-proxy/crash-loop kube-system/pods.json:360"]);
  });
});

describe("healthy stays quiet", () => {
  it.each(HEALTHY)("%s: a reboot restart, SandboxChanged, a Pending app on its volume, metrics-server Pending on CPU give no finding at all", (fixture) => {
    expect(ids(lintDir(path.join(FIXTURES, fixture)))).toEqual([]);
  });

  it("the real support bundle in ../shared/corpus/real/snapshots gives none of the symptom findings", (ctx) => {
    const real = path.join(SHARED, "corpus/real/snapshots");
    if (!existsSync(real)) {
      console.warn(`note: ${real} is missing: the real support bundle is not checked`);
      ctx.skip();
    }
    const run = runLint([real], { cwd: ROOT, config: null });
    expect(run.report.results.filter((r) => SYMPTOM_RULES.includes(r.ruleId))).toEqual([]);
    // The bundle's pods are read (its EventList is empty).
    const model = runInspect([real], { cwd: ROOT, config: null });
    const obs = model.clusters.find((c) => c.snapshot)!.observed;
    expect(obs.pods.length).toBeGreaterThan(5);
  });
});

describe("the observed model, from each layout", () => {
  const model = (fixture: string) => runInspect(["."], { cwd: path.join(FIXTURES, fixture), config: null }).clusters.find((c) => c.snapshot)!.observed;

  it.each([
    ["dump", "kube-system/pods.json", 10],
    ["bundle", "cluster-resources/pods/kube-system.json", 12],
    ["collected", "resources/pods.yaml", 9],
  ] as const)("%s: pods with phase, conditions, container states and node; nodes with conditions and taints; events with counts; endpoints", (layout, podFile) => {
    const o = model(`observed/healthy-${layout}`);
    const c1 = o.pods.find((p) => p.name === "coredns-7c65d6cfc9-4xq8z")!;
    expect(c1).toMatchObject({ namespace: "kube-system", node: "cp-1", phase: "Running", conditions: { Ready: "True", PodScheduled: "True" }, file: podFile });
    expect(c1.containers).toEqual([{ name: "coredns", ready: true, restartCount: 1, state: { running: null }, lastState: { terminated: "Unknown", exitCode: 255 } }]);
    expect(c1.events).toBe(1);
    expect(o.nodes).toEqual([expect.objectContaining({ name: "cp-1", ready: { status: "True", reason: "KubeletReady" }, taints: ["node-role.kubernetes.io/control-plane:NoSchedule"] })]);
    // The scheduler's events.k8s.io form: no count, series.count.
    expect(o.events.find((e) => e.reason === "FailedScheduling" && e.involved?.includes("metrics-server"))!.count).toBe(14);
    if (layout !== "dump") {
      expect(o.endpoints.map((e) => [e.kind, e.service, e.ready])).toEqual([["Endpoints", "kube-dns", ["10.244.0.5", "10.244.0.6"]], ["EndpointSlice", "kube-dns", ["10.244.0.5", "10.244.0.6"]]]);
    }
  });

  it("not-ready endpoints and EndpointSlice conditions", () => {
    const o = model("coredns/no-endpoints/invalid-not-ready-collected");
    expect(o.endpoints.map((e) => [e.kind, e.ready.length, e.notReady])).toEqual([["Endpoints", 0, ["10.244.0.5", "10.244.0.6"]], ["EndpointSlice", 0, ["10.244.0.5", "10.244.0.6"]]]);
  });
});

describe("logs", () => {
  it("a dump's logs.txt is split by its START/END lines; an inline Request log error is no log", () => {
    const text = "==== START logs for container init of pod ns/p ====\nok\n==== END logs for container init of pod ns/p ====\n==== START logs for container c of pod ns/p ====\nRequest log error: container \"c\" in pod \"p\" is waiting to start: ContainerCreating\n==== END logs for container c of pod ns/p ====\n";
    const file = { path: "logs.txt", absPath: null, text, lines: null as never, format: "text" as const };
    const sections = dumpLogSections(file, false);
    expect(sections.map((s) => [s.container, text.slice(s.start, s.end), s.error])).toEqual([
      ["init", "ok\n", null],
      ["c", "Request log error: container \"c\" in pod \"p\" is waiting to start: ContainerCreating\n", "container \"c\" in pod \"p\" is waiting to start: ContainerCreating"],
    ]);
  });

  it("a log of many megabytes is read as a bounded tail, its lines numbered as in the whole file", () => {
    const file = path.join(tmpRoot, "big.log");
    const line = "[INFO] 10.244.0.1:53 - 1 \"A IN example.com. udp 29 false 512\" NOERROR qr,rd,ra 40 0.001s\n";
    writeFileSync(file, line.repeat(60_000)); // about 5 MB
    appendFileSync(file, "[FATAL] plugin/loop: Loop (127.0.0.1:1 -> :53) detected for zone \".\"\n");
    const r = readTail(file, "big.log", undefined);
    if ("error" in r) throw new Error(r.error);
    expect(r.truncated).toBe(true);
    expect(r.file.text.length).toBeLessThanOrEqual(256 * 1024);
    const last = r.file.text.lastIndexOf("[FATAL]");
    expect(r.file.lines.position(last).line).toBe(60_001);
  });

  it("binary logs are refused with a reason; invalid UTF-8 is decoded with replacement characters", () => {
    const bin = path.join(tmpRoot, "bin.log");
    writeFileSync(bin, Buffer.alloc(4096, 0));
    expect(readTail(bin, "bin.log", undefined)).toEqual({ error: "binary content, not a text log" });
    const bad = path.join(tmpRoot, "bad.log");
    writeFileSync(bad, Buffer.concat([Buffer.from("\xff\xfe"), Buffer.from("Listen: listen tcp :53: bind: permission denied\n")]));
    const r = readTail(bad, "bad.log", undefined);
    if ("error" in r) throw new Error(r.error);
    expect(matchSymptom("coredns-log", r.file.text)?.pattern.id).toBe("coredns-bind-denied");
  });
});

describe("bad input in a snapshot", () => {
  it("huge, binary and errored logs, a truncated List and events without involvedObject: no crash, a notice, the rest still checked", () => {
    const dir = path.join(tmpRoot, "bad-dump");
    cpSync(path.join(FIXTURES, "coredns/crash-loop/invalid-loop-no-config"), dir, { recursive: true });
    // The first CoreDNS pod's log: 5 MB of noise before the fatal line. The second's: binary.
    const log1 = path.join(dir, "kube-system/coredns-7c65d6cfc9-4xq8z/logs.txt");
    const framed = readFileSync(log1, "utf8");
    writeFileSync(log1, framed.replace(".:53\n", ".:53\n" + "[INFO] noise\n".repeat(400_000)));
    writeFileSync(path.join(dir, "kube-system/coredns-7c65d6cfc9-m2t7w/logs.txt"), Buffer.alloc(10_000, 0));
    // Events without involvedObject, and a truncated default/pods.json.
    const events = JSON.parse(readFileSync(path.join(dir, "kube-system/events.json"), "utf8"));
    for (const e of events.items) delete e.involvedObject;
    writeFileSync(path.join(dir, "kube-system/events.json"), JSON.stringify(events, null, 4));
    writeFileSync(path.join(dir, "default/pods.json"), '{\n    "kind": "PodList",\n    "apiVersion": "v1",\n    "items": [\n        {\n            "metadata": {');
    const run = runLint(["."], { cwd: dir, config: null });
    expect(ids(run)).toEqual(["coredns/crash-loop kube-system/pods.json:10", "yaml/syntax default/pods.json:6"]);
    expect(run.report.results.find((r) => r.ruleId === "coredns/crash-loop")!.message).toMatch(/logs\.txt:400006\).*forwarding loop/);
    expect(run.notices).toContainEqual(expect.stringMatching(/kube-system\/coredns-7c65d6cfc9-4xq8z\/logs\.txt: a large log: only its last 256 KB were read/));
  });

  it("the CLI says it on stderr, without a stack trace", () => {
    const dir = path.join(tmpRoot, "bad-cli");
    cpSync(path.join(FIXTURES, "coredns/crash-loop/invalid-loop-no-config"), dir, { recursive: true });
    writeFileSync(path.join(dir, "kube-system/coredns-7c65d6cfc9-4xq8z/logs.txt"), Buffer.alloc(10_000, 0));
    writeFileSync(path.join(dir, "kube-system/coredns-7c65d6cfc9-m2t7w/logs.txt"), Buffer.alloc(10_000, 0));
    const r = spawnSync(process.execPath, [path.join(ROOT, "dist/cli.cjs"), "--no-config", "-f", "compact", dir], { encoding: "utf8" });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/logs\.txt: log not read: binary content, not a text log/);
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?/);
    expect(r.stdout).toMatch(/coredns\/crash-loop .*its log could not be read \(binary content, not a text log\)/);
  });
});

describe("what a snapshot run could not check", () => {
  it("a dump without ConfigMaps and node files: JSON coverage, SARIF run properties, stderr in text formats", () => {
    const fixture = path.join(FIXTURES, "coredns/crash-loop/invalid-loop-no-config");
    const run = lintDir(fixture);
    expect(run.report.coverage!.map((g) => [g.missing, g.how])).toEqual([
      ["node files", expect.stringMatching(/kube-netlint collect --node-files/)],
      ["ConfigMaps", "add them: `kubectl get cm -n kube-system -o json > ./kube-system/configmaps.json`"],
    ]);
    const sarif = JSON.parse(formatSarif(run.report, { cwd: fixture, color: false, files: [], rules: [] }));
    expect(sarif.runs[0].properties.coverage).toHaveLength(2);
    const text = spawnSync(process.execPath, [path.join(ROOT, "dist/cli.cjs"), "--no-config", "-f", "compact", "."], { cwd: fixture, encoding: "utf8" });
    expect(text.stderr).toMatch(/^kube-netlint: not checked: \.: no node files, so the resolv\.conf chain .* were not checked/m);
    expect(text.stderr).toMatch(/not checked: \.: no ConfigMaps, .*kubectl get cm -n kube-system -o json/);
    const json = spawnSync(process.execPath, [path.join(ROOT, "dist/cli.cjs"), "--no-config", "-f", "json", "."], { cwd: fixture, encoding: "utf8" });
    expect(json.stderr).not.toMatch(/not checked/);
    expect(JSON.parse(json.stdout).coverage).toHaveLength(2);
  });

  it("a collect snapshot with node files, ConfigMaps and pods: nothing missing; a repository: no coverage section", () => {
    expect(lintDir(path.join(FIXTURES, "coredns/crash-loop/invalid-loop-collected")).report.coverage).toEqual([]);
    // The same kind of snapshot without ConfigMaps: collect was refused them.
    expect(lintDir(path.join(FIXTURES, "cni/sandbox-failed/invalid-plugin-missing-node-files")).report.coverage!.map((g) => g.missing)).toEqual(["ConfigMaps"]);
    expect(lintDir(path.join(FIXTURES, "coredns/forward-loop/valid")).report.coverage).toBeUndefined();
  });
});

describe("the pattern table", () => {
  it("every pattern names its upstream source and a next step, and matches its own example where one is quoted", () => {
    for (const p of SYMPTOM_PATTERNS) {
      expect(p.source.length, p.id).toBeGreaterThan(10);
      expect(p.next.length, p.id).toBeGreaterThan(10);
    }
    expect(matchSymptom("scheduling", "0/1 nodes are available: 1 node(s) had taint {node.kubernetes.io/not-ready: }, that the pod didn't tolerate.")?.pattern.id).toBe("sched-not-ready-taint");
    expect(matchSymptom("sandbox", 'failed to set bridge addr: "cni0" already has an IP address different from 10.244.1.1/24')?.meaning).toBe("the bridge cni0 still holds an old address, not 10.244.1.1/24");
    expect(matchSymptom("kube-proxy-log", 'E1105 1 run.go:72] "command failed" err="failed complete: open /var/lib/kube-proxy/config.conf: no such file or directory"')?.pattern.id).toBe("kube-proxy-config-missing");
    expect(matchSymptom("coredns-log", "plugin/forward: /etc/coredns/Corefile:14 - Error during parsing: unknown property 'max_concurrent'")?.groups.slice(1, 3)).toEqual(["/etc/coredns/Corefile", "14"]);
    // The normal start banner is no error.
    expect(matchSymptom("coredns-log", "[INFO] plugin/reload: Running configuration SHA512 = 591cf3")).toBeNull();
  });
});
