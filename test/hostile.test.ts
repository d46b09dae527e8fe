/**
 * Hostile inputs through the CLI (issue 7): each gives a finding or one clean line on stderr, with
 * exit code 0, 1 or 2, no stack trace, within 1 GiB (helpers-fuzz.ts: a heap limit on the child, and
 * its peak memory where GNU time is there). No test here races the clock: a run is killed only by a
 * hang guard of minutes, and how fast these inputs go is bench/'s business. The inputs are generated
 * here: they are too large (or too odd: FIFOs, link loops) to keep as fixtures.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectWellBehaved, runCli, waitForCli, type CliRun } from "./helpers-fuzz.js";

let tmp: string;
let seq = 0;

beforeAll(async () => {
  if (!(await waitForCli())) throw new Error("dist/cli.cjs is missing: npm test builds it first (npm run build)");
  tmp = mkdtempSync(path.join(os.tmpdir(), "knl-hostile-"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A fresh repository with these files (string or bytes), linted through the CLI with no config. */
function repo(files: Record<string, string | Buffer>): string {
  const dir = path.join(tmp, `case-${seq++}`);
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

function lint(dir: string, args: string[] = ["--no-config", "."]): CliRun {
  const r = runCli(args, { cwd: dir });
  expectWellBehaved(r);
  return r;
}

/** stderr is at most a few clean lines: each names a file or says what happened, none is a stack frame. */
function expectCleanStderr(r: CliRun, maxLines = 3): void {
  const lines = r.stderr.split("\n").filter(Boolean);
  expect(lines.length, r.stderr).toBeLessThanOrEqual(maxLines);
  for (const l of lines) expect(l).toMatch(/^kube-netlint: /);
}

const CM_HEAD = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: coredns\n  namespace: kube-system\ndata:\n";
const corefileConfigMap = (corefile: string) => CM_HEAD + "  Corefile: |\n" + corefile.split("\n").map((l) => (l ? "    " + l : l)).join("\n") + "\n";

describe("YAML resource exhaustion", () => {
  it("billion laughs (nested aliases) is a yaml/syntax finding", () => {
    let text = CM_HEAD + '  a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    for (let i = 1; i < 10; i++) text += `  a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(",")}]\n`;
    const r = lint(repo({ "bomb.yaml": text }));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^bomb\.yaml:\d+:\d+: error yaml\/syntax .*alias/im);
  });
  it("merge-key bomb (<<: [*a, *a] thirty levels) is a yaml/syntax finding", () => {
    let text = CM_HEAD + "  m0: &m0 {k: v}\n";
    for (let i = 1; i < 30; i++) text += `  m${i}: &m${i} {<<: [*m${i - 1}, *m${i - 1}]}\n`;
    const r = lint(repo({ "merge.yaml": text }));
    expect(r.stdout).toMatch(/merge\.yaml:\d+:\d+: error yaml\/syntax /);
  });
  for (const [name, body] of [
    ["flow sequences", "  x: " + "[".repeat(100_000) + "]".repeat(100_000) + "\n"],
    ["flow mappings", "  x: " + "{a: ".repeat(100_000) + "1" + "}".repeat(100_000) + "\n"],
    ["block sequences", "  x:\n" + "- ".repeat(100_000) + "x\n"],
  ] as const) {
    it(`100,000-deep nesting in YAML (${name}) is a yaml/syntax finding, not a stack overflow`, () => {
      const r = lint(repo({ "deep.yaml": CM_HEAD + body }));
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/^deep\.yaml:[78]:\d+: error yaml\/syntax .*nesting too deep/m);
      expect(r.stdout).not.toMatch(/call stack/i);
    });
  }
  it("300,000 keys in one document", () => {
    const lines = [CM_HEAD.replace("coredns", "kube-proxy").trimEnd()];
    for (let i = 0; i < 300_000; i++) lines.push(`  k${i}: v${i}`);
    const r = lint(repo({ "keys.yaml": lines.join("\n") + "\n" }));
    expect(r.code).toBe(0);
  });
  it("a file just under the size limit made of short keys (1,000,000 keys, 19 MB) stays under 1 GiB", () => {
    const lines = [CM_HEAD.replace("coredns", "kube-proxy").trimEnd()];
    for (let i = 0; i < 1_000_000; i++) lines.push(`  k${i}: v${i}`);
    const r = lint(repo({ "keys.yaml": lines.join("\n") + "\n" }));
    expect(r.stdout).toMatch(/^keys\.yaml:1:1: error yaml\/syntax .*too large to check: more than 750000 YAML nodes/m);
  });
  it("a million empty documents (`---` lines) in one stream", () => {
    const r = lint(repo({ "empty.yaml": "---\n".repeat(1_000_000) + CM_HEAD + "  x: [unclosed\n" }));
    expect(r.stdout).toMatch(/^empty\.yaml:100000\d:\d+: error yaml\/syntax /m);
  });
  it("30,000 documents in one stream, each one a Service that the model reads", () => {
    const r = lint(repo({ "many.yaml": "---\napiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: kube-system}\n".repeat(30_000) }));
    expect([0, 1]).toContain(r.code);
  });
});

describe("JSON resource exhaustion", () => {
  it("100,000-deep nesting in JSON (a CNI conf dir) is cni/invalid-json at Go's depth limit", () => {
    const dir = repo({ "nodes/n1/etc/cni/net.d/10-deep.conflist": '{"cniVersion":"1.0.0","name":"x","plugins":' + "[".repeat(100_000) + "]".repeat(100_000) + "}" });
    const r = lint(dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^nodes\/n1\/etc\/cni\/net\.d\/10-deep\.conflist:1:\d+: error cni\/invalid-json .*exceeded max depth/m);
  });
  it("a 19 MB JSON array of ten million values in a CNI conf dir stays under 1 GiB", () => {
    const r = lint(repo({ "nodes/n1/etc/cni/net.d/10-big.conflist": '{"cniVersion":"1.0.0","name":"x","plugins":[{"type":"bridge","x":[' + "0,".repeat(9_700_000) + "0]}]}" }));
    expect(r.stdout).toMatch(/10-big\.conflist:1:\d+: error cni\/invalid-json .*too large to check/);
  });
  it("100,000-deep JSON objects in a Kubernetes JSON manifest", () => {
    const r = lint(repo({ "deep.json": '{"apiVersion":"v1","kind":"ConfigMap","data":' + '{"a":'.repeat(100_000) + "1" + "}".repeat(100_000) + "}" }));
    expect(r.stdout).toMatch(/^deep\.json:1:\d+: error \S+ .*exceeded max depth/m);
  });
});

describe("size", () => {
  it("a file over the default limit (20 MiB) fails the run with one clear line naming maxFileSize (never passed unchecked)", () => {
    const big = CM_HEAD + "  Corefile: |\n" + "    # padding padding padding padding padding padding padding\n".repeat(380_000);
    const r = lint(repo({ "big.yaml": big }));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^kube-netlint: big\.yaml: cannot read: \d+ bytes is over the size limit of 20971520 bytes \(raise maxFileSize in \.kube-netlint\.yaml, or list the file under ignore\)$/m);
    expectCleanStderr(r);
  });
  // The size is checked before reading: a 1.5 GB (sparse) file costs nothing.
  const sparseOk = spawnSync("truncate", ["--help"]).status === 0;
  it.skipIf(!sparseOk)("a 1.5 GB file is refused without being read", () => {
    const dir = repo({ "nodes/n1/etc/cni/net.d/.keep": "" });
    spawnSync("truncate", ["-s", "1500M", path.join(dir, "big.yaml")]);
    spawnSync("truncate", ["-s", "1500M", path.join(dir, "nodes/n1/etc/cni/net.d/10-big.conflist")]);
    try {
      const r = lint(dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^kube-netlint: big\.yaml: cannot read: 1572864000 bytes is over the size limit of 20971520 bytes/m);
      expectCleanStderr(r);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it("maxFileSize in the config lowers the limit", () => {
    const dir = repo({ ".kube-netlint.yaml": "maxFileSize: 100\n", "coredns.yaml": corefileConfigMap(".:53 {\n    forward . 127.0.0.1\n}") });
    const r = lint(dir, ["."]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^kube-netlint: coredns\.yaml: cannot read: \d+ bytes is over the size limit of 100 bytes \(raise maxFileSize/m);
    expect(r.stdout).toBe("");
  });
  it("an invalid maxFileSize is a config error: exit 2, one line", () => {
    const dir = repo({ ".kube-netlint.yaml": "maxFileSize: -5\n", "a.yaml": "kind: x\n" });
    const r = lint(dir, ["."]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^kube-netlint: .*\.kube-netlint\.yaml:1: maxFileSize: /);
    expectCleanStderr(r, 1);
  });
  it("multi-megabyte lines: a Corefile token, a ConfigMap value, a JSON string, a comment", () => {
    const mb = "a".repeat(5_000_000);
    const dir = repo({
      "Corefile": `.:53 {\n  forward . ${"1".repeat(5_000_000)}\n}\n`,
      "coredns.yaml": CM_HEAD + `  Corefile: "${mb}"\n`,
      "nodes/n1/etc/cni/net.d/10-long.conflist": `{"cniVersion":"1.0.0","name":"${mb}","plugins":[{"type":"bridge"}]}`,
      "kube-proxy.yaml": `# ${"kube-netlint-disable-line x ".repeat(100_000)}\napiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\n`,
    });
    const r = lint(dir);
    expect(r.stdout).toMatch(/coredns\.yaml:7:\d+: error coredns\/corefile-syntax /);
  });
});

describe("bytes that are not text", () => {
  const binary = Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 7919 + 13) % 256));
  it("a binary file named on the command line: skipped with one line", () => {
    const r = lint(repo({ "blob.yaml": binary }), ["--no-config", "blob.yaml"]);
    expect(r.stderr).toMatch(/^kube-netlint: blob\.yaml: skipped, a binary file$/m);
    expectCleanStderr(r);
  });
  it("a binary file as a CNI config: the runtime cannot parse it, so cni/invalid-json", () => {
    const r = lint(repo({ "nodes/n1/etc/cni/net.d/10-blob.conflist": binary }));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/10-blob\.conflist:\d+:\d+: error cni\/(invalid-json|no-network) /);
  });
  it("invalid UTF-8 inside a ConfigMap's Corefile and inside a CNI config", () => {
    const bad = Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80, 0xf4, 0x90, 0x80]);
    const r = lint(repo({
      "coredns.yaml": Buffer.concat([Buffer.from(CM_HEAD + "  Corefile: |\n    .:53 {\n      forward . "), bad, Buffer.from("\n    }\n")]),
      "nodes/n1/etc/cni/net.d/10-x.conflist": Buffer.concat([Buffer.from('{"cniVersion":"1.0.0","name":"'), bad, Buffer.from('","plugins":[{"type":"bridge"}]}')]),
    }));
    expect([0, 1]).toContain(r.code);
  });
  it("NUL bytes in a Corefile, a YAML file and a CNI config", () => {
    const r = lint(repo({
      "Corefile": ".:53 {\n  forward . 1.1.1.1\0\n}\n",
      "coredns.yaml": CM_HEAD + '  Corefile: ".:53 {\\n forward . \\0 \\n}"\n  x: "\0"\n',
      "nodes/n1/etc/cni/net.d/10-nul.conflist": '{"cniVersion":"1.0.0","name":"a\0","plugins":[{"type":"bridge"}]}',
    }));
    expect(r.stdout).toMatch(/10-nul\.conflist:1:\d+: error cni\/invalid-json /);
  });
  it("a UTF-16 file with a BOM", () => {
    const r = lint(repo({ "coredns.yaml": Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(corefileConfigMap(".:53 {\n  forward . 127.0.0.1\n}"), "utf16le")]) }));
    expect([0, 1]).toContain(r.code);
  });
});

describe("links, FIFOs and unreadable files", () => {
  it("a symlink loop in a node's CNI conf dir is a finding naming the loop", () => {
    const dir = repo({ "nodes/n1/etc/cni/net.d/.keep": "" });
    const confDir = path.join(dir, "nodes/n1/etc/cni/net.d");
    symlinkSync("a.conf", path.join(confDir, "b.conf"));
    symlinkSync("b.conf", path.join(confDir, "a.conf"));
    symlinkSync(".", path.join(confDir, "self"));
    symlinkSync("..", path.join(confDir, "up.conflist"));
    const r = lint(dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/too many levels of symbolic links/);
  });
  it("a dangling link in a CNI conf dir is a finding; named on the command line, one line and exit 2", () => {
    const dir = repo({ "nodes/n1/etc/cni/net.d/.keep": "" });
    symlinkSync("/nonexistent/10-gone.conflist", path.join(dir, "nodes/n1/etc/cni/net.d/10-gone.conflist"));
    symlinkSync("/nonexistent/coredns.yaml", path.join(dir, "gone.yaml"));
    const r = lint(dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/10-gone\.conflist.*no such file or directory/);
    const named = lint(dir, ["--no-config", "gone.yaml"]);
    expect(named.code).toBe(2);
    expect(named.stderr).toMatch(/^kube-netlint: gone\.yaml: cannot read: no such file or directory$/m);
    expectCleanStderr(named, 1);
  });
  it("a directory symlink loop outside conf dirs does not make the walk loop", () => {
    const dir = repo({ "a/coredns.yaml": corefileConfigMap(".:53 {\n  forward . 1.1.1.1\n}") });
    symlinkSync("..", path.join(dir, "a/loop"));
    const r = lint(dir);
    // The file is linted once, and nothing is reached through the loop.
    expect(r.stdout).toMatch(/^a\/coredns\.yaml:\d+:\d+: warning coredns\/loop-plugin-missing /m);
    expect(r.stdout).not.toMatch(/a\/loop\//);
  });
  const fifoOk = spawnSync("mkfifo", ["--help"]).status === 0;
  it.skipIf(!fifoOk)("a FIFO in a CNI conf dir is a finding (the runtime cannot load it), not a hang", () => {
    const dir = repo({ "nodes/n1/etc/cni/net.d/.keep": "" });
    spawnSync("mkfifo", [path.join(dir, "nodes/n1/etc/cni/net.d/10-fifo.conflist")]);
    const r = lint(dir);
    expect(r.stdout).toMatch(/10-fifo\.conflist.*not a regular file/);
  });
  it.skipIf(!fifoOk)("a FIFO named like a manifest is skipped or unreadable, not a hang", () => {
    const dir = repo({ "ok.yaml": "kind: x\n" });
    spawnSync("mkfifo", [path.join(dir, "coredns.yaml")]);
    // Opening a FIFO for reading blocks until a writer comes: only the hang guard would end that.
    const r = lint(dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^kube-netlint: coredns\.yaml: skipped, not a regular file$/m);
    expect(r.stdout).not.toMatch(/coredns\.yaml/);
  });
  it("an unreadable file (mode 000) when not root; as root a directory named like a file", () => {
    const dir = repo({ "coredns.yaml": corefileConfigMap(".:53 {\n  forward . 1.1.1.1\n}") });
    chmodSync(path.join(dir, "coredns.yaml"), 0o000);
    mkdirSync(path.join(dir, "dir.yaml"));
    const r = lint(dir, ["--no-config", "coredns.yaml", "dir.yaml"]);
    if (process.getuid?.() !== 0) {
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/coredns\.yaml: cannot read: permission denied/);
    }
    chmodSync(path.join(dir, "coredns.yaml"), 0o644);
  });
});

describe("Corefile expansion", () => {
  const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: coredns
  namespace: kube-system
spec:
  selector:
    matchLabels: {k8s-app: kube-dns}
  template:
    metadata:
      labels: {k8s-app: kube-dns}
    spec:
      containers:
      - name: coredns
        image: registry.k8s.io/coredns/coredns:v1.11.3
        args: ["-conf", "/etc/coredns/Corefile"]
        volumeMounts:
        - {name: config-volume, mountPath: /etc/coredns, readOnly: true}
        - {name: custom-config-volume, mountPath: /etc/coredns/custom, readOnly: true}
      volumes:
      - name: config-volume
        configMap: {name: coredns, items: [{key: Corefile, path: Corefile}]}
      - name: custom-config-volume
        configMap: {name: coredns-custom, optional: true}
`;
  const mainCorefile = corefileConfigMap(".:53 {\n    errors\n    forward . 8.8.8.8\n    import custom/*.override\n}\nimport custom/*.server");

  it("an import cycle through coredns-custom is a coredns/corefile-syntax finding", () => {
    const custom = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: coredns-custom, namespace: kube-system}\ndata:\n  a.server: |\n    import /etc/coredns/custom/b.server\n  b.server: |\n    import /etc/coredns/custom/a.server\n`;
    const r = lint(repo({ "coredns.yaml": deployment + "---\n" + mainCorefile + "---\n" + custom }));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/coredns\.yaml:\d+:\d+: error coredns\/corefile-syntax .*(import|cycle)/i);
  });
  it("a huge self-including import glob (5,000 coredns-custom keys) stays within budget", () => {
    let custom = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: coredns-custom, namespace: kube-system}\ndata:\n`;
    for (let i = 0; i < 5000; i++) custom += `  k${i}.server: |\n    import /etc/coredns/custom/*.server\n    z${i}.example:53 {\n      forward . 1.1.1.1\n    }\n  k${i}.override: |\n    import /etc/coredns/custom/*.override\n`;
    const r = lint(repo({ "coredns.yaml": deployment + "---\n" + mainCorefile + "---\n" + custom }));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/error coredns\/corefile-syntax .*import/);
  });
  it("a standalone Corefile that imports itself", () => {
    const r = lint(repo({ "Corefile": "import Corefile\n.:53 {\n  forward . 1.1.1.1\n}\n" }));
    expect([0, 1]).toContain(r.code);
  });
  it("100,000 server blocks", () => {
    let text = "";
    for (let i = 0; i < 100_000; i++) text += `z${i}.example:53 {\n  forward . 1.1.1.1\n  loop\n}\n`;
    const r = lint(repo({ "Corefile": text }));
    expect([0, 1]).toContain(r.code);
  });
  it("100,000 server blocks that each get a finding", () => {
    let text = "";
    for (let i = 0; i < 100_000; i++) text += `z${i}.example:53 {\n  forward . 1.1.1.1\n}\n`;
    const r = lint(repo({ "Corefile": text }));
    // Every block gets its own finding, at its own forward line (block i starts at line 3i+1).
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n").filter((l) => l.startsWith("Corefile:"));
    expect(lines).toHaveLength(100_000);
    expect(lines.every((l) => / warning coredns\/loop-plugin-missing server block z\d+\.example:53 forwards/.test(l))).toBe(true);
    expect(lines[0]).toMatch(/^Corefile:2:3: .* z0\.example:53 /);
    expect(lines[99_999]).toMatch(/^Corefile:299999:3: .* z99999\.example:53 /);
  });
  it("a Corefile of ten million tokens (19 MB) stays under 1 GiB", () => {
    const r = lint(repo({ "Corefile": ".:53 {\n" + "a\n".repeat(9_500_000) + "}\n" }));
    expect(r.stdout).toMatch(/^Corefile:1:1: error coredns\/corefile-syntax .*configuration too large/m);
  });
  it("a directive with 1,900,000 arguments is linted", () => {
    const r = lint(repo({ "Corefile": ".:53 {\n  forward . " + "1.1.1.1 ".repeat(1_900_000) + "\n}\n" }));
    expect(r.stderr).not.toMatch(/internal error/);
  });
  it("snippet expansion bomb (each snippet imports the previous one twice)", () => {
    let text = "(s0) {\n  log\n}\n";
    for (let i = 1; i < 40; i++) text += `(s${i}) {\n  import s${i - 1}\n  import s${i - 1}\n}\n`;
    text += ".:53 {\n  import s39\n}\n";
    const r = lint(repo({ "Corefile": text }));
    expect(r.stdout).toMatch(/Corefile:\d+:\d+: error coredns\/corefile-syntax .*snippet/);
  });
  it("environment substitution that grows ({$X} inside itself) on a long line", () => {
    const r = lint(repo({ "Corefile": `.:53 {\n  forward . ${"{$HOME}".repeat(200_000)}\n}\n` }));
    expect([0, 1]).toContain(r.code);
  });
});

describe("flags and resolv.conf", () => {
  it("a kubeadm-flags.env with 4,800,000 flags is linted", () => {
    const r = lint(repo({ "nodes/n1/var/lib/kubelet/kubeadm-flags.env": `KUBELET_KUBEADM_ARGS="${"--a ".repeat(4_800_000)}"\n` }));
    expect(r.stderr).not.toMatch(/internal error/);
  });
  it("a resolv.conf with 850,000 nameservers and an options line of a million words", () => {
    const r = lint(repo({ "nodes/n1/etc/resolv.conf": "nameserver 127.0.0.53\n".repeat(850_000) + "options" + " ndots:5".repeat(1_000_000) + "\n" }));
    expect(r.stderr).not.toMatch(/internal error/);
  });
});

describe("stdin", () => {
  it("a 10 MB stream of random bytes on stdin", () => {
    const bytes = Buffer.from(Array.from({ length: 10_000_000 }, (_, i) => (i * 2654435761) >>> 24));
    const r = runCli(["--no-config", "--stdin-filename", "x.yaml", "-"], { cwd: tmp, input: bytes.toString("latin1") });
    expectWellBehaved(r);
  });
});
