/** The command-line contract (CLI.md), run against the built CLI exactly as a user runs it. */
import { Ajv } from "ajv";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RULES } from "../src/rules/index.js";
import { FIXTURES, ROOT } from "./helpers/lint-fixture.js";

const CLI = path.join(ROOT, "dist/cli.cjs");

function cli(args: string[], opts: { cwd?: string; input?: string; env?: Record<string, string> } = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: opts.cwd ?? ROOT,
    input: opts.input ?? "",
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", ...opts.env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at .+:\d+:\d+\)?/);

let tmp: string;
beforeAll(() => {
  if (!existsSync(CLI)) throw new Error("dist/cli.cjs is missing: npm test builds it first (npm run build)");
  tmp = mkdtempSync(path.join(os.tmpdir(), "knl-cli-"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("exit codes", () => {
  it("0 when nothing is at error severity", () => {
    const r = cli(["--no-config", path.join(FIXTURES, "coredns/forward-loop/valid")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
  });
  it("1 with an error-severity finding, compact by default when not a TTY", () => {
    const r = cli(["--no-config", "."], { cwd: path.join(FIXTURES, "coredns/forward-loop/invalid-loopback") });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^coredns\.yaml:20:19: error coredns\/forward-loop forward to 127\.0\.0\.1:5353 /m);
  });
  it("0 with warnings only, 1 when --max-warnings is exceeded", () => {
    const dir = path.join(FIXTURES, "coredns/pods-insecure-missing/invalid-no-pods");
    expect(cli(["--no-config", dir]).code).toBe(0);
    const r = cli(["--no-config", "--max-warnings", "0", dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/more than --max-warnings 0/);
  });
  it("2 for a path that matches nothing, with one line and no stack trace", () => {
    const r = cli(["does/not/exist.yaml"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/does\/not\/exist\.yaml: no such file/);
    noStack(r.stderr);
  });
  it("2 for an unknown option and for a bad --rule", () => {
    const a = cli(["--frobnicate"]);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/unknown option --frobnicate/);
    const b = cli(["--rule", "coredns/nope=error", "."]);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/unknown rule id coredns\/nope/);
    const c = cli(["--rule", "coredns/forward-loop=loud", "."]);
    expect(c.code).toBe(2);
    noStack(a.stderr + b.stderr + c.stderr);
  });
  it("2 for an unreadable file named explicitly", () => {
    if (process.getuid?.() === 0) {
      // root reads everything: use a dangling link instead
      const link = path.join(tmp, "dangling.yaml");
      rmSync(link, { force: true });
      spawnSync("ln", ["-s", path.join(tmp, "nowhere"), link]);
      const r = cli([link]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/cannot read: no such file or directory/);
      return;
    }
    const f = path.join(tmp, "secret.yaml");
    writeFileSync(f, "kind: ConfigMap\n", { mode: 0o000 });
    const r = cli([f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/permission denied/);
  });
});

describe("output", () => {
  it("writes the same report to a pipe, to a file and to /dev/null", () => {
    const out = path.join(tmp, "report.json");
    const piped = cli(["--no-config", "-f", "json", "examples"]);
    expect(piped.code).toBe(1);
    const filed = spawnSync(process.execPath, [CLI, "--no-config", "-f", "json", "examples"], { cwd: ROOT, stdio: ["ignore", openSync(out, "w"), "pipe"], encoding: "utf8" });
    expect(filed.status).toBe(1);
    expect(readFileSync(out, "utf8")).toBe(piped.stdout);
    // Seven findings: README.md and examples/README.md document them.
    expect(JSON.parse(piped.stdout).results).toHaveLength(7);
    const nulled = spawnSync(process.execPath, [CLI, "--no-config", "examples"], { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
    expect(nulled.status).toBe(1);
    expect(nulled.stderr).toBe("");
  });
  it("a reader that goes away (| head) ends the output, not the run: same exit code, no stack trace", async () => {
    // A report far larger than a pipe's buffer, read for one chunk only.
    const dir = mkdtempSync(path.join(tmp, "big-"));
    for (let i = 0; i < 400; i++) writeFileSync(path.join(dir, `coredns-${i}.yaml`), readFileSync(path.join(FIXTURES, "coredns/forward-loop/invalid-loopback/coredns.yaml")));
    const child = spawn(process.execPath, [CLI, "--no-config", "-f", "json", dir], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.stdout.once("data", () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
    expect(code).toBe(1);
    noStack(stderr);
    expect(stderr).not.toMatch(/EPIPE|internal error/);
  });
});

describe("config file", () => {
  it("an invalid config names the file, the field and what is expected (exit 2)", () => {
    const dir = path.join(tmp, "badcfg");
    rmSync(dir, { recursive: true, force: true });
    spawnSync("mkdir", ["-p", dir]);
    writeFileSync(path.join(dir, ".kube-netlint.yaml"), "rules:\n  coredns/forward-loop: loud\n");
    const r = cli(["."], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\.kube-netlint\.yaml:2: rules\.coredns\/forward-loop: must be one of "off", "info", "warning", "warn", "error"/);
    writeFileSync(path.join(dir, ".kube-netlint.yaml"), "facts:\n  podCidr: 10.0.0.0/8\n");
    expect(cli(["."], { cwd: dir }).stderr).toMatch(/facts: unknown field "podCidr"/);
    writeFileSync(path.join(dir, ".kube-netlint.yaml"), "rules: [\n");
    const y = cli(["."], { cwd: dir });
    expect(y.code).toBe(2);
    expect(y.stderr).toMatch(/\.kube-netlint\.yaml:\d+: invalid YAML/);
    noStack(r.stderr + y.stderr);
  });
  it("rules, overrides and --rule set severities", () => {
    const dir = path.join(FIXTURES, "coredns/pods-insecure-missing/invalid-no-pods");
    const off = cli(["--no-config", "--rule", "coredns/pods-insecure-missing=off", "-f", "json", dir]);
    expect(JSON.parse(off.stdout).results).toEqual([]);
    const err = cli(["--no-config", "--rule", "coredns/pods-insecure-missing=error", dir]);
    expect(err.code).toBe(1);
    const cfgDir = path.join(tmp, "overrides");
    spawnSync("mkdir", ["-p", cfgDir]);
    writeFileSync(path.join(cfgDir, ".kube-netlint.yaml"), `overrides:\n  - files: ["**/coredns.yaml"]\n    rules: {coredns/pods-insecure-missing: error}\n`);
    writeFileSync(path.join(cfgDir, "coredns.yaml"), readFileSync(path.join(dir, "coredns.yaml")));
    const o = cli(["-f", "json", "."], { cwd: cfgDir });
    expect(JSON.parse(o.stdout).results.map((r: { severity: string }) => r.severity)).toEqual(["error"]);
  });
});

describe("formats", () => {
  const report = () => cli(["--no-config", "-f", "json", "."], { cwd: path.join(FIXTURES, "coredns/forward-loop/invalid-snapshot-systemd-resolved") });
  it("json matches the report schema the package ships", () => {
    const r = report();
    const schema = JSON.parse(readFileSync(path.join(ROOT, "schemas/report.schema.json"), "utf8"));
    const validate = new Ajv({ strict: false }).compile(schema);
    const json = JSON.parse(r.stdout);
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    expect(json.version).toBe(1);
    const f = json.results.find((x: { ruleId: string }) => x.ruleId === "coredns/forward-loop");
    expect(json.summary.errors).toBe(json.results.filter((x: { severity: string }) => x.severity === "error").length);
    expect(f).toMatchObject({ ruleId: "coredns/forward-loop", file: "resources/coredns.yaml", line: 20, column: 9 });
    expect(f.related[0]).toMatchObject({ file: "nodes/node-1/etc/resolv.conf", line: 3, column: 12 });
  });
  it("pretty prints the file, the position and the rule", () => {
    const r = cli(["--no-config", "-f", "pretty", "."], { cwd: path.join(FIXTURES, "coredns/forward-loop/invalid-loopback") });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/coredns\.yaml/);
    expect(r.stdout).toMatch(/20:19/);
    expect(r.stdout).toMatch(/coredns\/forward-loop/);
  });
  it("an unknown format is a usage error", () => {
    expect(cli(["-f", "xml", "."]).code).toBe(2);
  });
  it("-o writes the report to a file and nothing to stdout", () => {
    const out = path.join(tmp, "report.json");
    const r = cli(["--no-config", "-f", "json", "-o", out, path.join(FIXTURES, "coredns/forward-loop/invalid-loopback")]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(JSON.parse(readFileSync(out, "utf8")).summary.errors).toBe(1);
  });
});

describe("input", () => {
  it("reads stdin with -, under --stdin-filename", () => {
    const input = readFileSync(path.join(FIXTURES, "coredns/forward-loop/invalid-loopback/coredns.yaml"), "utf8");
    const r = cli(["--no-config", "-", "--stdin-filename", "rendered/coredns.yaml"], { input, cwd: tmp });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^rendered\/coredns\.yaml:20:19: error coredns\/forward-loop/m);
  });
  it("says so on stderr when nothing holds a networking artifact", () => {
    const dir = path.join(tmp, "apps");
    spawnSync("mkdir", ["-p", dir]);
    writeFileSync(path.join(dir, "app.yaml"), "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n");
    const r = cli(["--no-config", dir]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/no networking artifact found/);
  });
  it("--context gives changed files the cross-file checks but reports only on them", () => {
    const dir = path.join(FIXTURES, "kube-proxy/cluster-cidr-mismatch/invalid-kubeadm");
    const onlyKubeadm = cli(["--no-config", "-f", "json", "kubeadm-config.yaml"], { cwd: dir });
    expect(JSON.parse(onlyKubeadm.stdout).results).toEqual([]);
    const withContext = cli(["--no-config", "-f", "json", "--context", ".", "kube-proxy.yaml"], { cwd: dir });
    expect(JSON.parse(withContext.stdout).results.map((r: { file: string }) => r.file)).toEqual(["kube-proxy.yaml"]);
    // The kube-proxy finding names kubeadm-config.yaml as a related location: a change there is involved.
    const otherFile = cli(["--no-config", "-f", "json", "--context", ".", "kubeadm-config.yaml"], { cwd: dir });
    const involved = JSON.parse(otherFile.stdout).results as { file: string; message: string }[];
    expect(involved.map((r) => r.file)).toEqual(["kube-proxy.yaml"]);
    expect(involved[0]!.message).toMatch(/\(involves changed file kubeadm-config\.yaml\)$/);
  });
});

describe("filters", () => {
  const dir = path.join(FIXTURES, "meta/unused-suppression/line-and-file");
  it("--quiet reports errors only", () => {
    const examples = path.join(ROOT, "examples");
    const all = JSON.parse(cli(["--no-config", "-f", "json", "."], { cwd: examples }).stdout);
    expect(all.summary.warnings).toBeGreaterThan(0);
    const quiet = JSON.parse(cli(["--no-config", "-f", "json", "--quiet", "."], { cwd: examples }).stdout);
    expect(quiet.results.length).toBe(all.summary.errors);
    expect(quiet.results.every((x: { severity: string }) => x.severity === "error")).toBe(true);
    expect(quiet.summary.warnings).toBe(0);
  });
  it("--no-inline-config ignores suppression comments", () => {
    const r = JSON.parse(cli(["--no-config", "-f", "json", "--no-inline-config", "."], { cwd: dir }).stdout);
    const involved = new Set(["coredns/pods-insecure-missing", "coredns/forward-loop", "meta/unused-suppression"]);
    expect(r.results.filter((x: { ruleId: string }) => involved.has(x.ruleId)).map((x: { ruleId: string; line: number }) => `${x.ruleId}:${x.line}`)).toEqual([
      "coredns/pods-insecure-missing:11",
      "coredns/forward-loop:14",
      "coredns/pods-insecure-missing:25",
      "coredns/pods-insecure-missing:31",
    ]);
    expect(r.summary.suppressed).toBe(0);
  });
  it("globs select files; config `ignore` drops them", () => {
    const root = path.join(FIXTURES, "kube-proxy/cluster-cidr-mismatch");
    const viaGlob = JSON.parse(cli(["--no-config", "-f", "json", "invalid-kubeadm/*.yaml"], { cwd: root }).stdout);
    expect(viaGlob.results.map((x: { file: string }) => x.file)).toEqual(["invalid-kubeadm/kube-proxy.yaml"]);
    const cfgDir = path.join(tmp, "ignore");
    spawnSync("mkdir", ["-p", path.join(cfgDir, "vendor")]);
    writeFileSync(path.join(cfgDir, ".kube-netlint.yaml"), 'ignore: ["vendor/**"]\n');
    writeFileSync(path.join(cfgDir, "vendor", "coredns.yaml"), readFileSync(path.join(FIXTURES, "coredns/forward-loop/invalid-loopback/coredns.yaml")));
    writeFileSync(path.join(cfgDir, "Corefile"), ".:53 {\n    forward . 8.8.8.8\n    loop\n}\n");
    const r = cli(["-f", "json", "."], { cwd: cfgDir });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).results).toEqual([]);
  });
});

describe("commands", () => {
  it("rules --format json lists every rule with its docs", () => {
    const list = JSON.parse(cli(["rules", "--format", "json"]).stdout) as { id: string; docs: string }[];
    expect(list.map((r) => r.id)).toEqual(RULES.map((r) => r.meta.id));
  });
  it("explain prints the rule's page; an unknown id is exit 2", () => {
    const r = cli(["explain", "coredns/forward-loop"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# coredns\/forward-loop/);
    expect(cli(["explain", "coredns/nope"]).code).toBe(2);
  });
  it("every rule has a docs page", () => {
    for (const rule of RULES) expect(existsSync(path.join(ROOT, "docs/rules", `${rule.meta.id}.md`)), rule.meta.id).toBe(true);
  });
  it("init writes a starter config that validates, and refuses to overwrite it", () => {
    const dir = path.join(tmp, "init");
    spawnSync("mkdir", ["-p", dir]);
    expect(cli(["init"], { cwd: dir }).code).toBe(0);
    expect(existsSync(path.join(dir, ".kube-netlint.yaml"))).toBe(true);
    writeFileSync(path.join(dir, "Corefile"), ".:53 {\n    forward . 8.8.8.8\n    loop\n}\n");
    expect(cli(["."], { cwd: dir }).code).toBe(0);
    const again = cli(["init"], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists/);
  });
  it("inspect prints the model as JSON", () => {
    const r = cli(["inspect", "--no-config", "."], { cwd: path.join(FIXTURES, "coredns/forward-loop/invalid-snapshot-systemd-resolved") });
    expect(r.code).toBe(0);
    const m = JSON.parse(r.stdout);
    const c = m.clusters[0];
    expect(c.snapshot).toBe(true);
    expect(c.corefiles[0].serverBlocks[0].zones).toEqual([{ zone: ".", port: 53, transport: "dns" }]);
    const fwd = c.corefiles[0].serverBlocks[0].directives.find((d: { name: string }) => d.name === "forward");
    expect(fwd.tokens.slice(0, 3)).toEqual([{ text: "forward", line: 13 }, { text: ".", line: 13 }, { text: "/etc/resolv.conf", line: 13 }]);
    expect(c.nodes.map((n: { name: string }) => n.name)).toEqual(["node-1", "node-2"]);
  });
  it("--help and --version", () => {
    expect(cli(["--help"]).stdout).toMatch(/Usage:/);
    expect(cli(["--version"]).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe("README", () => {
  it("its rules table is generated from the rules' metadata and current", async () => {
    const { rulesMarkdown } = await import("../src/cli/run.js");
    const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
    expect(readme).toContain(rulesMarkdown());
  });
});
