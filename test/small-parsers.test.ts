import { describe, expect, it } from "vitest";
import { parseEnvFile, parseFlags, parseSystemdUnit, splitWords } from "../src/parsers/flags.js";
import { LineIndex } from "../src/parsers/lines.js";
import { looksLikeResolvConf, parseResolvConf } from "../src/parsers/resolv-conf.js";

describe("kubeadm-flags.env and flags", () => {
  const text = 'KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///run/containerd/containerd.sock --resolv-conf=/run/systemd/resolve/resolv.conf --node-ip 10.0.0.5 --v"\n';
  it("reads the assignment and each flag with exact value offsets", () => {
    const [a] = parseEnvFile(text);
    expect(a!.name).toBe("KUBELET_KUBEADM_ARGS");
    const flags = parseFlags(splitWords(text.slice(a!.valueStart, a!.valueEnd), a!.valueStart), new Set(["node-ip"]));
    expect(flags.map((f) => [f.name, f.value])).toEqual([
      ["container-runtime-endpoint", "unix:///run/containerd/containerd.sock"],
      ["resolv-conf", "/run/systemd/resolve/resolv.conf"],
      ["node-ip", "10.0.0.5"],
      ["v", null],
    ]);
    for (const f of flags.filter((x) => x.value)) expect(text.slice(f.valueStart, f.valueEnd)).toBe(f.value);
  });
  it("splits quoted words like a shell", () => {
    expect(splitWords(`--a="x y" --b='z' c\\ d`).map((w) => w.text)).toEqual(["--a=x y", "--b=z", "c d"]);
  });
  it("reads systemd drop-ins with continuation lines", () => {
    const unit = '[Service]\nEnvironment="KUBELET_DNS_ARGS=--cluster-dns=10.0.0.10 --cluster-domain=cluster.local"\nExecStart=\nExecStart=/usr/bin/kubelet $KUBELET_DNS_ARGS \\\n  --network-plugin=cni\n';
    const lines = parseSystemdUnit(unit);
    expect(lines.map((l) => [l.key, l.line])).toEqual([["Environment", 2], ["ExecStart", 3], ["ExecStart", 4]]);
    expect(lines[2]!.value).toMatch(/--network-plugin=cni$/);
  });
});

describe("resolv.conf", () => {
  const text = "# stub\nnameserver 127.0.0.53 # the stub\noptions edns0 trust-ad\nsearch a.example b.example\nnameserver ::1\n";
  it("reads nameservers with their positions, search and options", () => {
    const conf = parseResolvConf(text);
    expect(conf.nameservers.map((n) => [n.address, n.line])).toEqual([["127.0.0.53", 2], ["::1", 5]]);
    expect(text.slice(conf.nameservers[0]!.start, conf.nameservers[0]!.end)).toBe("127.0.0.53");
    expect(conf.search).toEqual(["a.example", "b.example"]);
    expect(conf.options).toEqual(["edns0", "trust-ad"]);
    expect(looksLikeResolvConf(text)).toBe(true);
    expect(looksLikeResolvConf("kind: ConfigMap\n")).toBe(false);
  });
});

describe("LineIndex", () => {
  it("maps offsets to 1-based lines and UTF-16 columns and back", () => {
    const idx = new LineIndex("ab\r\ncd\n\nü€x\n");
    expect(idx.position(0)).toEqual({ line: 1, column: 1 });
    expect(idx.position(4)).toEqual({ line: 2, column: 1 });
    expect(idx.position(10)).toEqual({ line: 4, column: 3 });
    expect(idx.lineText(1)).toBe("ab");
    expect(idx.lineStart(4)).toBe(8);
  });
});

describe("kubelet flags from a systemd drop-in, through the loader", () => {
  it("values inside a quoted Environment= word have exact offsets", async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import("node:fs");
    const os = await import("node:os");
    const path = await import("node:path");
    const { buildModel } = await import("../src/engine/lint.js");
    const dir = mkdtempSync(path.join(os.tmpdir(), "knl-dropin-"));
    const text = '[Service]\nEnvironment="KUBELET_DNS_ARGS=--cluster-dns=10.0.0.10 --cluster-domain=cluster.local"\nEnvironment=KUBELET_NET=--network-plugin=cni\nExecStart=/usr/bin/kubelet $KUBELET_DNS_ARGS\n';
    writeFileSync(path.join(dir, "10-kubeadm.conf"), text);
    const { clusters } = buildModel(["."], { cwd: dir, config: null });
    const flags = clusters[0]!.flagSources.flatMap((s) => s.flags);
    rmSync(dir, { recursive: true, force: true });
    expect(flags.map((f) => [f.name, text.slice(f.valueStart, f.valueEnd)])).toEqual([
      ["cluster-dns", "10.0.0.10"],
      ["cluster-domain", "cluster.local"],
      ["network-plugin", "cni"],
    ]);
  });
});
