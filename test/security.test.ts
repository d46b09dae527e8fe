/**
 * Security promises (SECURITY.md, issue 7): nothing from the input or the config is executed, no
 * network, writes only where asked (atomically, never beside or outside the output path), no
 * regular expression that backtracks catastrophically on input text, and no high or critical
 * advisory in the production dependencies.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectWellBehaved, listFiles, ROOT, runCli, waitForCli } from "./helpers-fuzz.js";
import { adversarialInputs } from "./helpers/redos-battery.mjs";

let tmp: string;
beforeAll(async () => {
  if (!(await waitForCli())) throw new Error("dist/cli.cjs is missing: npm test builds it first (npm run build)");
  tmp = mkdtempSync(path.join(os.tmpdir(), "knl-security-"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let seq = 0;
function repo(files: Record<string, string>): string {
  const dir = path.join(tmp, `case-${seq++}`);
  mkdirSync(dir, { recursive: true });
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

const COREDNS = `apiVersion: v1
kind: ConfigMap
metadata:
  name: coredns
  namespace: kube-system
data:
  Corefile: |
    .:53 {
        forward . 127.0.0.1
    }
`;

/** Code that, if anything ran it, would leave a file behind. */
const sentinelCode = (file: string) => `require("fs").writeFileSync(${JSON.stringify(file)}, "executed")`;

describe("nothing from the input or the config is executed", () => {
  it("a YAML config with !!js/function and other code tags is refused or inert", () => {
    const sentinel = path.join(tmp, "pwned-config");
    for (const body of [
      `extends: !!js/function "function () { ${sentinelCode(sentinel)} }"\n`,
      `facts:\n  clusterDomain: !!js/function "function () { ${sentinelCode(sentinel)} }"\n`,
      `facts:\n  clusterDomain: !!js/undefined ''\n  podCIDR: !<tag:yaml.org,2002:js/eval> "${sentinelCode(sentinel).replace(/"/g, '\\"')}"\n`,
      `rules: !!python/object/apply:os.system ["touch ${sentinel}"]\n`,
      `ignore: [!!js/regexp "/x/"]\n`,
    ]) {
      const dir = repo({ ".kube-netlint.yaml": body, "coredns.yaml": COREDNS });
      const r = runCli(["."], { cwd: dir });
      expectWellBehaved(r);
      expect(existsSync(sentinel), body).toBe(false);
      // Refused with one line naming the config, or read as plain strings.
      if (r.code === 2) expect(r.stderr).toMatch(/^kube-netlint: .*\.kube-netlint\.yaml/);
    }
  });
  it("config files that are code (.kube-netlint.js, .mjs, .cjs) are never loaded", () => {
    const sentinel = path.join(tmp, "pwned-js-config");
    const code = `${sentinelCode(sentinel)};\nmodule.exports = {};\n`;
    const dir = repo({ ".kube-netlint.js": code, ".kube-netlint.cjs": code, ".kube-netlint.mjs": `import fs from "node:fs"; fs.writeFileSync(${JSON.stringify(sentinel)}, "x");`, "coredns.yaml": COREDNS });
    const r = runCli(["."], { cwd: dir });
    expectWellBehaved(r);
    expect(existsSync(sentinel)).toBe(false);
    expect(r.code).toBe(1);
  });
  it("input files with code tags, env references and shell syntax are data", () => {
    const sentinel = path.join(tmp, "pwned-input");
    const dir = repo({
      "coredns.yaml": COREDNS.replace("forward . 127.0.0.1", `forward . {$(touch ${sentinel})} \`touch ${sentinel}\``) + `  x: !!js/function "function () { ${sentinelCode(sentinel)} }"\n`,
      "Corefile": `.:53 {\n  forward . {$PATH} {%HOME%} $(touch ${sentinel})\n  import /etc/passwd\n}\n`,
      "nodes/n1/var/lib/kubelet/kubeadm-flags.env": `KUBELET_KUBEADM_ARGS="--cluster-dns=$(touch ${sentinel}) --network-plugin=\`touch ${sentinel}\`"\n`,
      "nodes/n1/etc/cni/net.d/10-x.conflist": `{"cniVersion":"1.0.0","name":"x","plugins":[{"type":"../../../bin/sh -c 'touch ${sentinel}'"}]}`,
    });
    const r = runCli(["--no-config", "."], { cwd: dir, env: { HOME: "/root", KNL_SECRET: "s3cr3t" } });
    expectWellBehaved(r);
    expect(existsSync(sentinel)).toBe(false);
    // The Corefile's {$VAR} is not expanded from the linter's own environment.
    expect(r.stdout).not.toMatch(/\/usr\/bin|s3cr3t/);
  });
  it("an import of /etc/passwd in a Corefile does not read the linter's own disk", () => {
    const dir = repo({ "Corefile": ".:53 {\n  import /etc/passwd\n}\n" });
    const r = runCli(["--no-config", "inspect", "."], { cwd: dir });
    expectWellBehaved(r);
    expect(r.stdout).not.toMatch(/root:x:0:0/);
  });
});

describe("reads only inside the input", () => {
  it("a symlink to a file outside the repository is not read, and its values are never quoted", () => {
    const secret = path.join(tmp, "runner-secret.json");
    writeFileSync(secret, '{"cniVersion":"1.0.0","name":"RUNNER-SECRET-4f2a","plugins":[{"type":"bridge"}]}');
    const dir = repo({ "nodes/n1/etc/cni/net.d/.keep": "", "coredns.yaml": COREDNS });
    for (const name of ["10-a.conflist", "20-b.conflist"]) spawnSync("ln", ["-s", secret, path.join(dir, "nodes/n1/etc/cni/net.d", name)]);
    const lint = runCli(["--no-config", "."], { cwd: dir });
    const inspect = runCli(["--no-config", "inspect", "."], { cwd: dir });
    expectWellBehaved(lint);
    expect(lint.stdout + inspect.stdout).not.toMatch(/RUNNER-SECRET/);
  });
  it("a link named on the command line (pre-commit passes changed files by name) is refused when it leads out", () => {
    const secret = path.join(tmp, "runner-secret.yaml");
    writeFileSync(secret, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: coredns, namespace: kube-system}\ndata:\n  Corefile: |\n    RUNNER-SECRET-9c1e:53 {\n        forward . 127.0.0.1\n    }\n");
    const dir = repo({ "coredns.yaml": COREDNS });
    spawnSync("ln", ["-s", secret, path.join(dir, "evil.yaml")]);
    const r = runCli(["--no-config", "-f", "json", "evil.yaml", "coredns.yaml"], { cwd: dir });
    expectWellBehaved(r);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/evil\.yaml: cannot read: a symbolic link that leads outside the input/);
    expect(r.stdout + r.stderr).not.toMatch(/RUNNER-SECRET/);
  });
});

describe("no network", () => {
  const preload = path.join(ROOT, "test/fixtures-security/no-network.mjs");
  it("lint, inspect, rules and explain make no network call and resolve no name", () => {
    const log = path.join(tmp, "network.log");
    const examples = path.join(ROOT, "examples");
    const runs = [
      ["--no-config", existsSync(examples) ? examples : path.join(ROOT, "fixtures")],
      ["inspect", "--no-config", path.join(ROOT, "fixtures")],
      ["--no-config", "--format", "json", path.join(ROOT, "fixtures")],
      ["rules", "--format", "json"],
      ["explain", "coredns/forward-loop"],
    ];
    for (const args of runs) {
      const r = runCli(args, { cwd: tmp, nodeArgs: ["--import", preload], env: { KNL_NET_LOG: log, HTTP_PROXY: "http://127.0.0.1:9", HTTPS_PROXY: "http://127.0.0.1:9" } });
      expectWellBehaved(r);
      expect(r.stderr, args.join(" ")).not.toMatch(/network access refused|internal error/);
    }
    expect(existsSync(log) ? readFileSync(log, "utf8") : "").toBe("");
  });
  it("the preload really refuses (the test above would pass vacuously otherwise)", () => {
    const log = path.join(tmp, "network-self.log");
    const r = spawnSync(process.execPath, ["--import", preload, "-e", "require('node:net').connect(9, '127.0.0.1')"], { encoding: "utf8", env: { ...process.env, KNL_NET_LOG: log } });
    expect(r.status).not.toBe(0);
    expect(readFileSync(log, "utf8")).toMatch(/net\.connect/);
  });
});

describe("writes only where asked", () => {
  /** Every entry under dir (links not followed) with its type, size and content hash. */
  function snapshot(dir: string): Map<string, string> {
    const out = new Map<string, string>();
    const walk = (d: string) => {
      for (const name of readdirSync(d).sort()) {
        const p = path.join(d, name);
        const st = lstatSync(p);
        const rel = path.relative(dir, p);
        if (st.isDirectory()) {
          out.set(rel, `dir ${st.mode}`);
          walk(p);
        } else if (st.isFile()) out.set(rel, `file ${st.mode} ${createHash("sha256").update(readFileSync(p)).digest("hex")} ${st.mtimeMs}`);
        else out.set(rel, `other ${st.mode}`);
      }
    };
    walk(dir);
    return out;
  }
  let dir: string;
  beforeAll(() => {
    dir = path.join(tmp, "repo-writes");
    cpSync(path.join(ROOT, "fixtures"), dir, { recursive: true, verbatimSymlinks: true });
    writeFileSync(path.join(dir, "coredns.yaml"), COREDNS + "# kube-netlint-disable-next-line coredns/forward-loop\n");
  });

  it("lint (every format), inspect, rules and explain change and create nothing", () => {
    const before = snapshot(dir);
    for (const args of [["."], ["--format", "json", "."], ["--format", "compact", "--quiet", "."], ["inspect", "."], ["rules"], ["explain", "coredns/forward-loop"]]) {
      expectWellBehaved(runCli(["--no-config", ...args], { cwd: dir }));
    }
    expect(snapshot(dir)).toEqual(before);
  });
  it("-o FILE writes exactly that file, atomically (no temporary file left beside it)", () => {
    const before = snapshot(dir);
    const r = runCli(["--no-config", "--format", "json", "-o", "out/report.json", "."], { cwd: dir, env: {} });
    // The output directory does not exist: one clean line, exit 2, nothing written.
    expectWellBehaved(r);
    expect(r.code).toBe(2);
    // The notices about fixtures/sources' bad inputs (there on purpose) aside, the failure is one line.
    expect(r.stderr.trim().split("\n").filter((l) => !l.startsWith("kube-netlint: sources/"))).toHaveLength(1);
    expect(snapshot(dir)).toEqual(before);

    const ok = runCli(["--no-config", "--format", "json", "-o", "report.json", "."], { cwd: dir });
    expectWellBehaved(ok);
    expect(ok.stdout).toBe("");
    const after = snapshot(dir);
    const added = [...after.keys()].filter((k) => !before.has(k));
    expect(added).toEqual(["report.json"]);
    for (const [k, v] of before) expect(after.get(k), k).toBe(v);
    expect(JSON.parse(readFileSync(path.join(dir, "report.json"), "utf8")).version).toBe(1);
    rmSync(path.join(dir, "report.json"));
  });
  it("-o onto a symlink replaces the link, never the file it points to", () => {
    const outside = path.join(tmp, "outside.txt");
    writeFileSync(outside, "keep me");
    const work = repo({ "coredns.yaml": COREDNS });
    spawnSync("ln", ["-s", outside, path.join(work, "report.txt")]);
    const r = runCli(["--no-config", "-o", "report.txt", "."], { cwd: work });
    expectWellBehaved(r);
    expect(readFileSync(outside, "utf8")).toBe("keep me");
  });
});

// ---------------------------------------------------------------------------------------------
// Regular expressions against adversarial input

interface FoundRegex { file: string; line: number; source: string; flags: string }

/** Every regular expression literal in src/ (found with the TypeScript parser, not by a regex). */
function regexLiterals(): FoundRegex[] {
  const out: FoundRegex[] = [];
  for (const rel of listFiles(path.join(ROOT, "src"), 1 << 22).filter((f) => f.endsWith(".ts"))) {
    const file = path.join(ROOT, "src", rel);
    const sf = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node) => {
      if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
        const text = node.getText(sf);
        const slash = text.lastIndexOf("/");
        out.push({ file: `src/${rel}`, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1, source: text.slice(1, slash), flags: text.slice(slash + 1) });
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return out;
}

/** Only a real hang trips it: catastrophic backtracking on these inputs takes days, not a minute. */
const REDOS_HANG_GUARD_MS = 60_000;

describe("regular expressions are safe against catastrophic backtracking", () => {
  const found = regexLiterals();
  it("finds the regular expressions of src/ (classifiers, suppressions, flags, parsers)", () => {
    expect(found.length).toBeGreaterThan(50);
    expect(found.some((r) => r.file === "src/engine/suppressions.ts")).toBe(true);
    expect(found.some((r) => r.file === "src/model/classify.ts")).toBe(true);
  });
  // One worker thread runs every expression over its adversarial inputs (helpers/redos-battery.mjs);
  // a test waits for its expression with a hang guard, never a time budget.
  const progress = new SharedArrayBuffer(4);
  let worker: Worker | null = null;
  const startWorker = () => new Worker(new URL("./helpers/redos-battery.mjs", import.meta.url), { workerData: { progress } });
  afterAll(async () => {
    await worker?.terminate();
  });
  const runInWorker = (re: FoundRegex) =>
    new Promise<number>((resolve, reject) => {
      const w = (worker ??= startWorker());
      const done = (f: () => void) => {
        clearTimeout(guard);
        w.removeAllListeners("message").removeAllListeners("error");
        f();
      };
      const guard = setTimeout(() => {
        const i = Atomics.load(new Int32Array(progress), 0);
        const input = adversarialInputs(re.source)[i] ?? "";
        worker = null;
        void w.terminate();
        reject(new Error(`still running after ${REDOS_HANG_GUARD_MS / 1000} s (a hang guard, not a budget) on ${JSON.stringify(input.slice(0, 40))}... (${input.length} chars)`));
      }, REDOS_HANG_GUARD_MS);
      w.once("message", (n: number) => done(() => resolve(n)));
      w.once("error", (e) => done(() => reject(e)));
      w.postMessage({ source: re.source, flags: re.flags });
    });
  for (const re of found) {
    const label = `${re.file}:${re.line} /${re.source.length > 60 ? re.source.slice(0, 57) + "..." : re.source}/${re.flags}`;
    it(`${label} does not backtrack catastrophically on adversarial lines`, async () => {
      expect(await runInWorker(re)).toBe(adversarialInputs(re.source).length);
    }, REDOS_HANG_GUARD_MS + 30_000);
  }
  it("an extensionless file with a comma list does not hang the classifier (its Corefile sniffing had exponential backtracking)", () => {
    const dir = repo({ "notes": "x" + ",a".repeat(40) + " x\nforward . 1.1.1.1\n" });
    const r = runCli(["--no-config", "."], { cwd: dir });
    expectWellBehaved(r);
    // Read, and not taken for a Corefile: an ordinary text file.
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/no networking artifact found in \. \(1 files? read\)/);
  });
});

// ---------------------------------------------------------------------------------------------
// Dependencies

describe("production dependencies", () => {
  // npm audit needs the registry's advisory endpoint: run it where CI has the network (KUBE_NETLINT_AUDIT=1).
  it.skipIf(process.env.KUBE_NETLINT_AUDIT !== "1")("npm audit --omit=dev shows no high or critical advisory", () => {
    const r = spawnSync("npm", ["audit", "--omit=dev", "--audit-level=high", "--json"], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
    const report = JSON.parse(r.stdout) as { metadata?: { vulnerabilities?: Record<string, number> } };
    const v = report.metadata?.vulnerabilities;
    expect(v, r.stdout.slice(0, 500)).toBeDefined();
    expect((v!.high ?? 0) + (v!.critical ?? 0)).toBe(0);
  });
  it("production dependencies are few and install no scripts", () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    const lock = JSON.parse(readFileSync(path.join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, { dev?: boolean; hasInstallScript?: boolean }> };
    const prod = Object.entries(lock.packages).filter(([k, p]) => k !== "" && !p.dev);
    expect(Object.keys(pkg.dependencies).length).toBeLessThanOrEqual(10);
    expect(prod.filter(([, p]) => p.hasInstallScript).map(([k]) => k)).toEqual([]);
  });
});
