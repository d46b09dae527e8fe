/** Where users run it: SARIF (validated by Microsoft's SARIF Multitool), JUnit, GitHub annotations, baselines, --fix, pre-commit. */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURES, ROOT } from "./helpers/lint-fixture.js";

const CLI = path.join(ROOT, "dist/cli.cjs");
const MULTITOOL = path.join(ROOT, "node_modules/.bin/sarif-multitool");

function cli(args: string[], cwd: string, input = "") {
  const r = spawnSync(process.execPath, [CLI, "--no-config", ...args], { cwd, input, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "knl-int-"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A writable copy of a fixture. */
function copyFixture(fixture: string, name: string): string {
  const dir = path.join(tmp, name);
  rmSync(dir, { recursive: true, force: true });
  cpSync(path.join(FIXTURES, fixture), dir, { recursive: true, verbatimSymlinks: true });
  return dir;
}

describe("--format sarif", () => {
  const multitoolRuns = existsSync(MULTITOOL) && spawnSync(MULTITOOL, ["--version"], { encoding: "utf8" }).status === 0;
  if (!multitoolRuns) console.warn("note: the SARIF Multitool does not run here: the SARIF validation test is skipped");
  it.skipIf(!multitoolRuns)("passes the SARIF Multitool's validate with no error and no warning, for every fixture", () => {
    const r = cli(["-f", "sarif", "-o", path.join(tmp, "all.sarif"), "."], FIXTURES);
    expect([0, 1]).toContain(r.code);
    const sarif = JSON.parse(readFileSync(path.join(tmp, "all.sarif"), "utf8"));
    expect(sarif.runs[0].results.length).toBeGreaterThan(20);
    expect(sarif.runs[0].results.some((x: { relatedLocations?: unknown[] }) => x.relatedLocations?.length)).toBe(true);
    const v = spawnSync(MULTITOOL, ["validate", path.join(tmp, "all.sarif"), "--output", path.join(tmp, "checked.sarif"), "--log", "ForceOverwrite"], { encoding: "utf8" });
    expect(v.status).toBe(0);
    const problems = v.stdout.split("\n").filter((l) => /: (error|warning) [A-Z]+\d+:/.test(l));
    expect(problems).toEqual([]);
  }, 120_000);
  it("lists every rule with its help URI, and maps severities to levels", () => {
    const sarif = JSON.parse(cli(["-f", "sarif", "."], path.join(FIXTURES, "coredns/pods-insecure-missing/invalid-no-pods")).stdout);
    const driver = sarif.runs[0].tool.driver;
    const rule = driver.rules.find((r: { id: string }) => r.id === "coredns/pods-insecure-missing");
    expect(rule.helpUri).toMatch(/docs\/rules\/coredns\/pods-insecure-missing\.md$/);
    expect(rule.defaultConfiguration.level).toBe("warning");
    const result = sarif.runs[0].results[0];
    expect(result).toMatchObject({ ruleId: "coredns/pods-insecure-missing", level: "warning" });
    expect(driver.rules[result.ruleIndex].id).toBe(result.ruleId);
    expect(result.locations[0].physicalLocation).toMatchObject({ artifactLocation: { uri: "coredns.yaml", uriBaseId: "SRCROOT" }, region: { startLine: 14, startColumn: 9 } });
  });
  it("partialFingerprints survive unrelated lines added above", () => {
    const dir = copyFixture("coredns/forward-loop/invalid-snapshot-systemd-resolved", "fp");
    const loop = (r: { ruleId: string }) => r.ruleId === "coredns/forward-loop";
    const before = JSON.parse(cli(["-f", "sarif", "."], dir).stdout).runs[0].results.find(loop);
    const file = path.join(dir, "resources/coredns.yaml");
    writeFileSync(file, "# owned by the platform team\n# reviewed 2026-11\n" + readFileSync(file, "utf8"));
    const after = JSON.parse(cli(["-f", "sarif", "."], dir).stdout).runs[0].results.find(loop);
    expect(after.locations[0].physicalLocation.region.startLine).toBe(before.locations[0].physicalLocation.region.startLine + 2);
    expect(after.partialFingerprints).toEqual(before.partialFingerprints);
  });
});

describe("--format junit", () => {
  it("is well-formed XML with one testsuite per file and one failing testcase per finding", () => {
    const dir = path.join(FIXTURES, "meta/unused-suppression/line-and-file");
    const r = cli(["-f", "junit", "."], dir);
    const json = JSON.parse(cli(["-f", "json", "."], dir).stdout) as { results: { ruleId: string }[] };
    expect(XMLValidator.validate(r.stdout)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === "testsuite" || name === "testcase" }).parse(r.stdout);
    const suites = doc.testsuites.testsuite as { "@_name": string; "@_failures": string; testcase: { failure?: { "@_type": string } }[] }[];
    expect(suites.map((s) => s["@_name"])).toEqual(["coredns.yaml"]);
    expect(json.results.length).toBeGreaterThanOrEqual(3);
    expect(suites[0]!["@_failures"]).toBe(String(json.results.length));
    expect(suites[0]!.testcase.map((t) => t.failure?.["@_type"])).toEqual(json.results.map((x) => x.ruleId));
  });
  it("escapes what XML cannot carry", () => {
    const dir = path.join(tmp, "junit-escape");
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "a&b<c>.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: coredns, namespace: kube-system}\ndata:\n  Corefile: \"\\u0001.:53 {\\n  forward . 127.0.0.1\\n}\\n\"\n");
    const r = cli(["-f", "junit", "."], dir);
    expect(XMLValidator.validate(r.stdout)).toBe(true);
    expect(r.stdout).toContain('name="a&amp;b&lt;c&gt;.yaml"');
  });
});

describe("--format github", () => {
  it("prints workflow commands with file, line, col, endLine, endColumn and title", () => {
    const r = cli(["-f", "github", "."], path.join(FIXTURES, "coredns/forward-loop/invalid-loopback"));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^::error file=coredns\.yaml,line=20,col=19,endLine=20,endColumn=\d+,title=coredns\/forward-loop::forward to 127\.0\.0\.1%3A5353|^::error file=coredns\.yaml,line=20,col=19,endLine=20,endColumn=\d+,title=coredns\/forward-loop::forward to 127\.0\.0\.1:5353/);
    expect(r.stdout.trim().split("\n")).toHaveLength(1);
  });
});

describe("baselines", () => {
  it("a recorded finding stays recorded across unrelated edits; fixed entries are reported; new findings show", () => {
    const dir = copyFixture("kube-proxy/cluster-cidr-mismatch/invalid-kubeadm", "baseline");
    const w = cli(["-f", "json", "--write-baseline", "baseline.json", "."], dir);
    // Recording is the job: exit 0, the findings in the file and not on stdout, and a line that says so.
    expect(w.code).toBe(0);
    expect(w.stdout).toBe("");
    expect(w.stderr).toMatch(/^kube-netlint: wrote baseline\.json: 1 finding recorded \(1 error, 0 warnings, 0 info\)/m);
    expect(JSON.parse(readFileSync(path.join(dir, "baseline.json"), "utf8")).findings).toHaveLength(1);
    // The baseline is never an input of the next run (its content names rules and files).
    expect(JSON.parse(cli(["-f", "json", "--baseline", "baseline.json", "."], dir).stdout).summary.files).toBe(2);
    expect(cli(["-f", "json", "--baseline", "baseline.json", "."], dir).code).toBe(0);
    const proxy = path.join(dir, "kube-proxy.yaml");
    writeFileSync(proxy, "# kube-proxy for prod\n" + readFileSync(proxy, "utf8"));
    const moved = cli(["-f", "json", "--baseline", "baseline.json", "."], dir);
    expect(moved.code).toBe(0);
    expect(JSON.parse(moved.stdout).summary.baselined).toBe(1);
    // A new problem in another file is reported.
    writeFileSync(path.join(dir, "Corefile"), ".:53 {\n    forward . 127.0.0.1\n    loop\n}\n");
    const fresh = cli(["-f", "json", "--baseline", "baseline.json", "."], dir);
    expect(JSON.parse(fresh.stdout).results.map((r: { ruleId: string }) => r.ruleId)).toEqual(["coredns/forward-loop"]);
    // Fixing the recorded problem leaves a stale entry, which is reported.
    writeFileSync(proxy, readFileSync(proxy, "utf8").replace("clusterCIDR: 10.244.0.0/16", "clusterCIDR: 10.224.0.0/16"));
    const stale = cli(["-f", "json", "--baseline", "baseline.json", "."], dir);
    expect(stale.stderr).toMatch(/1 baseline entry no longer matches/);
  });
  it("a file that is not a baseline is a usage error", () => {
    writeFileSync(path.join(tmp, "not-a-baseline.json"), "{}");
    const r = cli(["--baseline", path.join(tmp, "not-a-baseline.json"), "."], path.join(FIXTURES, "yaml/syntax/valid"));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a kube-netlint baseline/);
  });
});

describe("--fix", () => {
  it("pods-insecure-missing: inserts `pods insecure` in the ConfigMap's block scalar, keeping comments and layout; a second run changes nothing", () => {
    const dir = copyFixture("coredns/pods-insecure-missing/invalid-no-pods", "fix-pods");
    const file = path.join(dir, "coredns.yaml");
    const original = readFileSync(file, "utf8");
    const dry = cli(["--fix-dry-run", "."], dir);
    // Indented like the block's other options (three columns in, as kubeadm writes them).
    expect(dry.stdout).toContain("+           pods insecure\n            fallthrough in-addr.arpa ip6.arpa");
    expect(readFileSync(file, "utf8")).toBe(original);
    const r = cli(["-f", "json", "--fix", "."], dir);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).results).toEqual([]);
    const lines = original.split("\n");
    lines.splice(14, 0, "           pods insecure");
    expect(readFileSync(file, "utf8")).toBe(lines.join("\n"));
    const again = cli(["--fix", "."], dir);
    expect(again.stderr).not.toMatch(/fixed/);
    expect(readFileSync(file, "utf8")).toBe(lines.join("\n"));
  });
  it("a kubernetes plugin without a block gets one", () => {
    const dir = path.join(tmp, "fix-noblock");
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "Corefile"), "# cluster DNS\n.:53 {\n\tkubernetes cluster.local # the cluster zone\n\tforward . 10.0.0.2\n\tloop\n}\n");
    cli(["--fix", "."], dir);
    expect(readFileSync(path.join(dir, "Corefile"), "utf8")).toBe("# cluster DNS\n.:53 {\n\tkubernetes cluster.local {\n\t\tpods insecure\n\t} # the cluster zone\n\tforward . 10.0.0.2\n\tloop\n}\n");
  });
  it("loop-plugin-missing: adds `loop` to a block that forwards, inside a ConfigMap's Corefile", () => {
    const dir = path.join(tmp, "fix-loop");
    mkdirSync(dir, { recursive: true });
    const before = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: coredns\n  namespace: kube-system\ndata:\n  Corefile: |\n    .:53 {\n        errors\n        kubernetes cluster.local {\n            pods insecure\n        }\n        forward . 10.0.0.2 # upstream\n        cache 30\n    }\n";
    writeFileSync(path.join(dir, "coredns.yaml"), before);
    const r = cli(["-f", "json", "--fix", "."], dir);
    const after = readFileSync(path.join(dir, "coredns.yaml"), "utf8");
    expect(JSON.parse(r.stdout).results.filter((x: { ruleId: string }) => x.ruleId === "coredns/loop-plugin-missing")).toEqual([]);
    expect(after).toBe(before.replace("        forward . 10.0.0.2 # upstream\n", "        forward . 10.0.0.2 # upstream\n        loop\n"));
    cli(["--fix", "."], dir);
    expect(readFileSync(path.join(dir, "coredns.yaml"), "utf8")).toBe(after);
  });
  it("removed-plugin: rewrites proxy to forward where its options allow", () => {
    const dir = path.join(tmp, "fix-proxy");
    mkdirSync(dir, { recursive: true });
    const before = ".:53 {\n    errors\n    kubernetes cluster.local {\n        pods insecure\n    }\n    proxy . 8.8.8.8 8.8.4.4 {\n        except example.org\n    }\n    loop\n}\n";
    writeFileSync(path.join(dir, "Corefile"), before);
    const dry = cli(["--fix-dry-run", "."], dir);
    expect(dry.stdout).toMatch(/^-    proxy \. 8\.8\.8\.8 8\.8\.4\.4 \{$/m);
    cli(["--fix", "."], dir);
    const after = readFileSync(path.join(dir, "Corefile"), "utf8");
    expect(after).toBe(before.replace("    proxy . 8.8.8.8 8.8.4.4 {", "    forward . 8.8.8.8 8.8.4.4 {"));
    const json = JSON.parse(cli(["-f", "json", "."], dir).stdout) as { results: { ruleId: string }[] };
    expect(json.results.filter((x) => x.ruleId === "coredns/removed-plugin")).toEqual([]);
  });
  it("stdin cannot be fixed", () => {
    expect(cli(["--fix", "-"], tmp, ".:53 {\n}\n").code).toBe(2);
  });
});

describe("pre-commit", () => {
  const hasPreCommit = spawnSync("pre-commit", ["--version"], { encoding: "utf8" }).status === 0;
  const head = spawnSync("git", ["rev-parse", "HEAD"], { cwd: ROOT, encoding: "utf8" });
  const isGit = head.status === 0;
  if (!hasPreCommit) console.warn("note: pre-commit is not installed (.ci/run installs Debian's): the pre-commit hook test is skipped");
  if (!isGit) console.warn("note: the project is not a git checkout: the pre-commit hook test is skipped");
  it.skipIf(!hasPreCommit || !isGit)("the published hook fails on a Corefile that forwards to 127.0.0.1 and passes once it is fixed", () => {
    const repo = path.join(tmp, "precommit-repo");
    mkdirSync(repo, { recursive: true });
    // A developer's shell, not npm's: `npm test` exports npm_config_* (loglevel among them) that would
    // override the hook repository's .npmrc inside pre-commit's own npm calls.
    const shellEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_(config|package|lifecycle)_/i.test(k)));
    const env = {
      ...shellEnv,
      PRE_COMMIT_HOME: path.join(ROOT, "node_modules/.cache/pre-commit"),
      GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.com", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.com",
      NO_COLOR: "1",
    };
    const git = (...args: string[]) => spawnSync("git", args, { cwd: repo, env, encoding: "utf8" });
    git("init", "-q");
    writeFileSync(path.join(repo, ".pre-commit-config.yaml"), `default_language_version:\n  node: system\nrepos:\n  - repo: ${ROOT}\n    rev: ${head.stdout.trim()}\n    hooks:\n      - id: kube-netlint\n        args: ["--context", "."]\n`);
    writeFileSync(path.join(repo, "Corefile"), ".:53 {\n    errors\n    forward . 127.0.0.1\n    loop\n}\n");
    git("add", ".");
    const run = (files: string[]) => spawnSync("pre-commit", ["run", "--files", ...files], { cwd: repo, env, encoding: "utf8", timeout: 600_000 });
    const bad = run(["Corefile"]);
    expect(bad.status, bad.stdout + bad.stderr).toBe(1);
    expect(bad.stdout).toMatch(/Corefile:3:15: error coredns\/forward-loop/);
    writeFileSync(path.join(repo, "Corefile"), ".:53 {\n    errors\n    forward . 10.0.0.2\n    loop\n}\n");
    git("add", ".");
    const good = run(["Corefile"]);
    expect(good.status, good.stdout + good.stderr).toBe(0);
  }, 600_000);
});

describe("GitHub Action", () => {
  it("action.yml is a composite action whose lint step writes SARIF, annotates, and reports the exit code", async () => {
    const { parse } = await import("yaml");
    const action = parse(readFileSync(path.join(ROOT, "action.yml"), "utf8")) as {
      runs: { using: string; steps: { id?: string; uses?: string; run?: string; env?: Record<string, string> }[] };
    };
    expect(action.runs.using).toBe("composite");
    expect(action.runs.steps.some((s) => s.uses?.startsWith("github/codeql-action/upload-sarif@"))).toBe(true);
    const lint = action.runs.steps.find((s) => s.id === "lint")!;
    // Run the step's script as the runner would, against a fixture.
    const dir = copyFixture("coredns/forward-loop/invalid-loopback", "action");
    const output = path.join(dir, "github-output");
    writeFileSync(output, "");
    const r = spawnSync("bash", ["-e", "-c", lint.run!], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, GITHUB_ACTION_PATH: ROOT, GITHUB_OUTPUT: output, KNL_PATHS: ".", KNL_ARGS: "--no-config", KNL_SARIF: "out.sarif" },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(output, "utf8")).toBe("exit-code=1\n");
    expect(JSON.parse(readFileSync(path.join(dir, "out.sarif"), "utf8")).runs[0].results[0].ruleId).toBe("coredns/forward-loop");
    expect(r.stdout).toMatch(/^::error file=coredns\.yaml,line=20,/m);
  });
});

describe("progress", () => {
  const hasScript = spawnSync("script", ["--version"], { encoding: "utf8" }).status === 0;
  it.skipIf(!hasScript)("shows on a terminal for a long run, never under CI=true, never with --no-progress", () => {
    const repo = path.join(ROOT, "bench/out/repo-2000");
    if (!existsSync(repo)) spawnSync(process.execPath, [path.join(ROOT, "bench/generate.mjs"), "--apps", "2000", "--out", repo], { encoding: "utf8" });
    // `script` gives the CLI a terminal; stdout goes to a file so only stderr shows progress.
    const run = (env: Record<string, string>, extra = "") =>
      spawnSync("script", ["-qec", `${process.execPath} ${CLI} --no-config ${extra} ${repo} -o ${path.join(tmp, "progress.txt")}`, "/dev/null"], {
        encoding: "utf8",
        env: { ...process.env, ...env },
      }).stdout;
    const noCi = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== "CI"));
    expect(spawnSync("script", ["-qec", `${process.execPath} ${CLI} --no-config ${repo} -o ${path.join(tmp, "progress.txt")}`, "/dev/null"], { encoding: "utf8", env: noCi }).stdout).toMatch(/reading \d+\/\d+ files/);
    expect(run({ CI: "true" })).not.toMatch(/reading \d+\/\d+ files/);
    expect(spawnSync("script", ["-qec", `${process.execPath} ${CLI} --no-config --no-progress ${repo} -o ${path.join(tmp, "progress.txt")}`, "/dev/null"], { encoding: "utf8", env: noCi }).stdout).not.toMatch(/reading/);
  }, 120_000);
});
