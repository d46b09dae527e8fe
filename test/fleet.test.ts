/**
 * Fleet runs: one cluster at a time, `--shard K/N` and `merge` (docs/fleet.md). The parts of a split
 * are disjoint and complete, and merging their JSON reports gives the full run's report.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Ajv } from "ajv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run, type Io } from "../src/cli/run.js";
import { memoryIo } from "./helpers/memory-io.js";
import { shardOf } from "../src/engine/drive.js";
import { runInspect } from "../src/engine/inspect.js";
import { compareFindings, type JsonReport } from "../src/engine/lint.js";
import { FIXTURES, ROOT } from "./helpers/lint-fixture.js";

const SNAPSHOTS = path.join(FIXTURES, "snapshots");
let tmp: string;
let fleet: string;

async function cli(args: string[], opts: { cwd?: string; env?: Record<string, string>; tty?: boolean } = {}) {
  const { io, out } = memoryIo({ cwd: opts.cwd ?? fleet, env: { NO_COLOR: "1", ...opts.env }, stderrIsTTY: opts.tty ?? false });
  const code = await run(["--no-config", ...args], io);
  return { code, stdout: out.stdout, stderr: out.stderr };
}

/** Lint every part of an N-way split as JSON; the parts' reports and where they are written. */
async function lintParts(paths: string[], n: number, cwd = fleet) {
  const parts: { report: JsonReport; file: string; stderr: string; code: number }[] = [];
  for (let k = 1; k <= n; k++) {
    const file = path.join(tmp, `part-${path.basename(cwd)}-${paths.join("_")}-${k}-of-${n}.json`);
    const r = await cli([...paths, "-f", "json", "--shard", `${k}/${n}`, "-o", file], { cwd });
    parts.push({ report: JSON.parse(readFileSync(file, "utf8")), file, stderr: r.stderr, code: r.code });
  }
  return parts;
}

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "knl-fleet-"));
  fleet = path.join(tmp, "fleet");
  // 40 snapshots of the three layouts: collect's, kubectl cluster-info dump's, a Troubleshoot bundle's.
  for (let i = 1; i <= 14; i++) cpSync(path.join(SNAPSHOTS, "collected"), path.join(fleet, `collected-${String(i).padStart(2, "0")}`), { recursive: true });
  for (let i = 1; i <= 13; i++) cpSync(path.join(SNAPSHOTS, "cluster-info-dump"), path.join(fleet, `dump-${String(i).padStart(2, "0")}`), { recursive: true });
  for (let i = 1; i <= 13; i++) cpSync(path.join(SNAPSHOTS, "support-bundle"), path.join(fleet, `bundle-${String(i).padStart(2, "0")}`), { recursive: true });
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("--shard K/N over 40 snapshots", () => {
  it("splits the clusters into disjoint, complete parts whose findings are the full run's, finding for finding", async () => {
    const full = await cli([".", "-f", "json"]);
    const whole = JSON.parse(full.stdout) as JsonReport;
    expect(whole.shard).toBeUndefined();
    expect(new Set(whole.results.map((f) => f.cluster)).size).toBeGreaterThanOrEqual(14);
    const parts = await lintParts(["."], 4);
    const names = parts.flatMap((p) => p.report.shard!.clusters);
    expect(new Set(names).size).toBe(names.length);
    // A bundle's files outside cluster-resources/ (version.yaml, cluster-info/) fall to the default bucket, as they always did.
    expect(names.filter((n) => n !== "default").sort()).toHaveLength(40);
    expect(names.filter((n) => n.startsWith("collected-"))).toHaveLength(14);
    expect(names.filter((n) => n.startsWith("dump-"))).toHaveLength(13);
    expect(names.filter((n) => n.startsWith("bundle-"))).toHaveLength(13);
    for (const p of parts) for (const c of p.report.shard!.clusters) expect(shardOf(c, 4)).toBe(p.report.shard!.index - 1);
    // A part's report, with its shard, files and rules sections, is still a report the shipped schema describes.
    const validate = new Ajv({ strict: false }).compile(JSON.parse(readFileSync(path.join(ROOT, "schemas/report.schema.json"), "utf8")));
    for (const p of parts) expect(validate(p.report), JSON.stringify(validate.errors)).toBe(true);
    expect(parts[0]!.report.rules!.map((r) => r.id)).toContain("coredns/forward-loop");
    expect(parts.flatMap((p) => p.report.files!).some((f) => f.startsWith("dump-01/"))).toBe(true);
    expect(parts.filter((p) => p.report.results.length > 0).length).toBeGreaterThanOrEqual(2);
    // Each part reports only its own clusters' findings.
    for (const p of parts) for (const f of p.report.results) expect(p.report.shard!.clusters).toContain(f.cluster);
    const union = parts.flatMap((p) => p.report.results).sort(compareFindings);
    expect(union).toEqual(whole.results);
    expect(parts.reduce((n, p) => n + p.report.summary.files, 0)).toBe(whole.summary.files);
    expect(parts.map((p) => p.code)).toEqual(parts.map((p) => (p.report.summary.errors > 0 ? 1 : 0)));
  }, 300_000);

  it("merge of the four JSON reports is the full run's report, as JSON and as SARIF (same exit code)", async () => {
    const parts = await lintParts(["."], 4);
    const files = parts.map((p) => p.file);
    for (const format of ["json", "sarif"]) {
      const full = await cli([".", "-f", format]);
      const merged = await cli(["merge", ...[...files].reverse(), "-f", format]);
      expect(merged.stderr).toBe("");
      expect(merged.code).toBe(full.code);
      expect(merged.stdout).toBe(full.stdout);
    }
    const junitFull = await cli([".", "-f", "junit"]);
    expect((await cli(["merge", ...files, "-f", "junit"])).stdout).toBe(junitFull.stdout);
  }, 300_000);

  it("with one cluster, one part lints it all and the others report nothing and say so", async () => {
    const parts = await lintParts(["collected-01"], 4);
    const busy = parts.filter((p) => p.report.shard!.clusters.length > 0);
    expect(busy).toHaveLength(1);
    expect(busy[0]!.report.shard!.clusters).toEqual(["collected-01"]);
    for (const p of parts.filter((x) => x !== busy[0])) {
      expect(p.report.results).toEqual([]);
      expect(p.report.summary.files).toBe(0);
      expect(p.stderr).toMatch(new RegExp(`part ${p.report.shard!.index} of 4: no cluster of the 1 in the input falls to this part`));
      expect(p.code).toBe(0);
    }
    // One cluster in the whole run: findings do not name it, in the merge as in the full run.
    const full = await cli(["collected-01", "-f", "json"]);
    const merged = await cli(["merge", ...parts.map((p) => p.file), "-f", "json"]);
    expect(JSON.parse(full.stdout).results.length).toBeGreaterThan(0);
    expect(merged.stdout).toBe(full.stdout);
  }, 120_000);

  it("a configured cluster's identity is its name", async () => {
    const dir = path.join(tmp, "named");
    cpSync(path.join(FIXTURES, "../examples/clusters"), path.join(dir, "clusters"), { recursive: true });
    cpSync(path.join(SNAPSHOTS, "collected"), path.join(dir, "snap"), { recursive: true });
    writeFileSync(path.join(dir, ".kube-netlint.yaml"), 'clusters:\n  - name: production\n    paths: ["clusters/**"]\n');
    const parts: JsonReport[] = [];
    for (let k = 1; k <= 3; k++) {
      const file = path.join(tmp, `named-${k}.json`);
      const io: Io = { stdout: () => {}, stderr: () => {}, readStdin: async () => "", isTTY: false, cwd: dir, env: {} };
      expect(await run(["--shard", `${k}/3`, "-f", "json", "-o", file], io)).toBeLessThan(2);
      parts.push(JSON.parse(readFileSync(file, "utf8")));
    }
    const names = parts.flatMap((p) => p.shard!.clusters).sort();
    expect(names).toEqual(["production", "snap"]);
    for (const p of parts) for (const n of p.shard!.clusters) expect(shardOf(n, 3)).toBe(p.shard!.index - 1);
    // examples/clusters: the seven findings the README documents.
    expect(parts.flatMap((p) => p.results).filter((f) => f.cluster === "production")).toHaveLength(7);
  }, 120_000);

  it("auto/N takes the part from Kubernetes' 0-based JOB_COMPLETION_INDEX", async () => {
    const file = path.join(tmp, "auto.json");
    const r = await cli(["collected-01", "-f", "json", "--shard", "auto/4", "-o", file], { env: { JOB_COMPLETION_INDEX: "2" } });
    expect(r.code).toBeLessThan(2);
    expect(JSON.parse(readFileSync(file, "utf8")).shard).toMatchObject({ index: 3, total: 4 });
  }, 60_000);

  it("a candidate root that is none after all (broken marker, dump without nodes) falls back in every part as in the full run", async () => {
    const dir = path.join(tmp, "edge");
    for (const n of ["a", "b", "c", "d", "e", "f"]) cpSync(path.join(SNAPSHOTS, "collected"), path.join(dir, n), { recursive: true });
    cpSync(path.join(SNAPSHOTS, "cluster-info-dump"), path.join(dir, "dump-empty"), { recursive: true });
    cpSync(path.join(SNAPSHOTS, "cluster-info-dump"), path.join(dir, "dump"), { recursive: true });
    writeFileSync(path.join(dir, "b/kube-netlint-snapshot.json"), "{ truncated");
    writeFileSync(path.join(dir, "dump-empty/nodes.json"), '{"kind": "NodeList", "apiVersion": "v1", "items": []}');
    expect(runInspect(["."], { cwd: dir, config: null }).clusters.map((c) => [c.name, c.snapshot])).toEqual([
      ["default", false], ["a", true], ["c", true], ["d", true], ["dump", true], ["e", true], ["f", true],
    ]);
    const whole = JSON.parse((await cli([".", "-f", "json"], { cwd: dir })).stdout) as JsonReport;
    expect(whole.results.some((f) => f.cluster === "default" && f.file.startsWith("b/"))).toBe(true);
    for (const n of [2, 3, 5]) {
      const parts = await lintParts(["."], n, dir);
      expect(parts.flatMap((p) => p.report.results).sort(compareFindings)).toEqual(whole.results);
    }
  }, 300_000);
});

describe("progress", () => {
  it("counts clusters linted on a terminal, never under CI=true, without a terminal or with --no-progress", async () => {
    const shown = await cli([".", "-f", "json"], { tty: true });
    expect(shown.stderr).toMatch(/\rkube-netlint: \d+\/41 clusters linted, reading \d+\/\d+ files/);
    expect(shown.stderr.endsWith("\r\x1b[K")).toBe(true);
    expect(JSON.parse(shown.stdout).results.length).toBeGreaterThan(0);
    expect((await cli([".", "-f", "json"], { tty: true, env: { CI: "true" } })).stderr).toBe("");
    expect((await cli([".", "-f", "json"], { tty: false })).stderr).toBe("");
    expect((await cli([".", "-f", "json", "--no-progress"], { tty: true })).stderr).toBe("");
  }, 300_000);
});

describe("bad input: exit 2 with a message naming the problem", () => {
  it.each([
    ["0/4", {}, /--shard 0\/4: part 0 does not exist: parts are counted from 1 to 4/],
    ["5/4", {}, /--shard 5\/4: part 5 does not exist/],
    ["x/y", {}, /--shard x\/y: expected K\/N/],
    ["3", {}, /--shard 3: expected K\/N/],
    ["1/0", {}, /--shard 1\/0: the number of parts must be 1 or more/],
    ["auto/4", {}, /--shard auto\/4: JOB_COMPLETION_INDEX is not set/],
    ["auto/4", { JOB_COMPLETION_INDEX: "4" }, /JOB_COMPLETION_INDEX=4 is not a part of 4/],
  ] as const)("--shard %s", async (value, env, message) => {
    const r = await cli(["collected-01", "--shard", value], { env: env as Record<string, string> });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe("");
  });

  it("merge refuses what is not a whole set of parts of one run", async () => {
    const parts = await lintParts(["."], 4);
    const files = parts.map((p) => p.file);
    const write = (name: string, text: string) => {
      const f = path.join(tmp, name);
      writeFileSync(f, text);
      return f;
    };
    const text = readFileSync(files[0]!, "utf8");
    const part1 = JSON.parse(text) as JsonReport;
    const plain = write("plain.json", (await cli(["collected-01", "-f", "json"])).stdout);
    const cases: [string[], RegExp][] = [
      [[write("other.json", '{"name": "my-app", "version": "1.0.0"}'), ...files.slice(1)], /other\.json: not a kube-netlint JSON report/],
      [[write("truncated.json", text.slice(0, text.length >> 1)), ...files.slice(1)], /truncated\.json: not a complete JSON report .*truncated/],
      [[plain, ...files.slice(1)], /plain\.json: not a part of a sharded run/],
      [[files[0]!, ...files], /both part 1 of 4: a part given twice/],
      [[files[0]!, write("overlap.json", JSON.stringify({ ...part1, shard: { ...part1.shard, index: 2 } })), files[2]!, files[3]!], /overlap: both linted cluster /],
      [[write("old.json", JSON.stringify({ ...part1, tool: { name: "kube-netlint", version: "0.0.9" } })), ...files.slice(1)], /written by kube-netlint 0\.0\.9, and this is /],
      [files.slice(0, 3), /part 4 of 4 missing/],
      [[write("of5.json", JSON.stringify({ ...part1, shard: { ...part1.shard, total: 5 } })), ...files.slice(1)], /parts of different splits/],
      [[write("input.json", JSON.stringify({ ...part1, shard: { ...part1.shard, input: "0".repeat(32) } })), ...files.slice(1)], /runs over different inputs/],
      [[path.join(tmp, "no-such.json"), ...files.slice(1)], /no-such\.json: cannot read: no such file or directory/],
      [[], /merge needs the JSON reports of the parts/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(["merge", ...args, "-f", "sarif"]);
      expect({ args: args.map((a) => path.basename(a)), code: r.code }).toEqual({ args: args.map((a) => path.basename(a)), code: 2 });
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
      expect(r.stdout).toBe("");
    }
  }, 300_000);
});
