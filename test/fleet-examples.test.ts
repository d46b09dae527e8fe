/** examples/fleet/ cannot rot: every kube-netlint command in it is checked against the CLI's own option tables. */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { COMMANDS, OPTIONS, parseShard } from "../src/cli/run.js";
import { OPTIONS as COLLECT_OPTIONS } from "../src/cli/collect.js";
import { FORMAT_NAMES } from "../src/formatters/index.js";
import { ROOT } from "./helpers/lint-fixture.js";

const DIR = path.join(ROOT, "examples/fleet");

type Table = Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }>;

/** The words of every `kube-netlint ...` command in a shell string, up to the next `||`, `;`, `&&`, `|` or line end. */
function commands(shell: string): string[][] {
  const out: string[][] = [];
  for (const line of shell.split("\n")) {
    const words = line.trim().split(/\s+/);
    for (let i = 0; i < words.length; i++) {
      if (!/^kube-netlint(@[\d.]+)?$/.test(words[i]!)) continue;
      const cmd: string[] = [];
      for (let j = i + 1; j < words.length && !["||", ";", "&&", "|"].includes(words[j]!); j++) {
        cmd.push(words[j]!.replace(/;$/, ""));
        if (words[j]!.endsWith(";")) break;
      }
      out.push(cmd);
    }
  }
  return out;
}

/** Check one command's options against the table; returns its options as name -> values. */
function check(cmd: string[], where: string): { command: string; options: Map<string, string[]>; positionals: string[] } {
  const command = cmd[0] === "collect" || COMMANDS.has(cmd[0]!) ? cmd[0]! : "lint";
  const table = (command === "collect" ? COLLECT_OPTIONS : OPTIONS) as Table;
  const options = new Map<string, string[]>();
  const positionals: string[] = [];
  for (let i = command === "lint" ? 0 : 1; i < cmd.length; i++) {
    const w = cmd[i]!;
    if (!w.startsWith("-") || w === "-") {
      positionals.push(w);
      continue;
    }
    const long = w.startsWith("--");
    const [flag, inline] = long ? w.slice(2).split(/=(.*)/s) : [w.slice(1), undefined];
    const name = long ? flag! : Object.keys(table).find((k) => table[k]!.short === flag);
    expect(name && table[name], `${where}: ${command} has no option ${w}`).toBeTruthy();
    const spec = table[name!]!;
    let value = "true";
    if (spec.type === "string") {
      value = inline ?? cmd[++i]!;
      expect(value, `${where}: ${w} needs a value`).toBeDefined();
    }
    options.set(name!, [...(options.get(name!) ?? []), value]);
  }
  return { command, options, positionals };
}

const strings = (v: unknown): string[] => (typeof v === "string" ? [v] : Array.isArray(v) ? v.flatMap(strings) : v && typeof v === "object" ? Object.values(v).flatMap(strings) : []);

describe("examples/fleet", () => {
  it("holds a GitHub Actions workflow, an Indexed Job and the collect script", () => {
    expect(readdirSync(DIR).sort()).toEqual(["collect.sh", "github-actions.yml", "indexed-job.yaml"]);
  });

  it("GitHub Actions: N shard jobs of --shard K/N, then one merge of N parts uploading SARIF", () => {
    const wf = parseAllDocuments(readFileSync(path.join(DIR, "github-actions.yml"), "utf8"))[0]!.toJS() as any;
    const shards: number[] = wf.jobs.lint.strategy.matrix.shard;
    // The matrix expression stands for each value the matrix gives.
    const runs = (job: string) => (wf.jobs[job].steps as any[]).map((s) => String(s.run ?? "").replaceAll("${{ matrix.shard }}", "MATRIX_SHARD")).join("\n");
    const lint = commands(runs("lint")).map((c) => check(c, "lint job"));
    expect(lint).toHaveLength(1);
    expect(lint[0]!.positionals).toEqual(["snapshots/"]);
    const m = /^MATRIX_SHARD\/(\d+)$/.exec(lint[0]!.options.get("shard")![0]!);
    expect(m, "--shard ${{ matrix.shard }}/N in the lint step").toBeTruthy();
    const total = Number(m![1]);
    expect(lint[0]!.options.get("output-file")![0]).toBe("part-MATRIX_SHARD.json");
    expect(shards).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    for (const s of shards) expect(parseShard(`${s}/${total}`, {})).toEqual({ index: s, total });
    expect(FORMAT_NAMES).toContain(lint[0]!.options.get("format")![0]);
    expect(lint[0]!.options.get("format")).toEqual(["json"]);

    const merges = commands(runs("merge")).map((c) => check(c, "merge job"));
    expect(merges.length).toBeGreaterThan(0);
    for (const mg of merges) {
      expect(mg.command).toBe("merge");
      expect(mg.positionals).toEqual(shards.map((s) => `part-${s}.json`));
      for (const f of mg.options.get("format") ?? []) expect(FORMAT_NAMES).toContain(f);
    }
    const sarif = merges.find((mg) => mg.options.get("format")?.[0] === "sarif")!;
    const upload = (wf.jobs.merge.steps as any[]).find((s) => String(s.uses).startsWith("github/codeql-action/upload-sarif"));
    expect(upload.with.sarif_file).toBe(sarif.options.get("output-file")![0]);
    expect(wf.jobs.merge.needs).toBe("lint");
    expect(wf.jobs.merge.permissions["security-events"]).toBe("write");
  });

  it("Indexed Job: completions = N of --shard auto/N, JOB_COMPLETION_INDEX names the parts the merge reads", () => {
    const docs = parseAllDocuments(readFileSync(path.join(DIR, "indexed-job.yaml"), "utf8")).map((d) => d.toJS() as any);
    const job = docs.find((d) => d.spec?.completionMode === "Indexed")!;
    expect(job.kind).toBe("Job");
    const cmds = strings(job.spec.template.spec.containers).flatMap(commands).map((c) => check(c, "indexed job"));
    expect(cmds).toHaveLength(1);
    const shard = cmds[0]!.options.get("shard")![0]!;
    expect(shard).toMatch(/^auto\/\d+$/);
    const total = job.spec.completions as number;
    expect(parseShard(shard, { JOB_COMPLETION_INDEX: "0" }).total).toBe(total);
    for (let i = 0; i < total; i++) expect(parseShard(shard, { JOB_COMPLETION_INDEX: String(i) }).index).toBe(i + 1);
    expect(() => parseShard(shard, {})).toThrow(/JOB_COMPLETION_INDEX/);
    const out = cmds[0]!.options.get("output-file")![0]!;
    expect(out).toContain("$JOB_COMPLETION_INDEX");
    // The snapshots come from a volume mounted where the command runs.
    const c = job.spec.template.spec.containers[0];
    expect(c.volumeMounts.map((v: any) => v.mountPath)).toContain(c.workingDir);

    const merge = docs.find((d) => d !== job)!;
    const merges = strings(merge.spec.template.spec.containers).flatMap(commands).map((cmd) => check(cmd, "merge job"));
    expect(merges.length).toBeGreaterThan(0);
    const parts = Array.from({ length: total }, (_, i) => path.basename(out.replace("$JOB_COMPLETION_INDEX", String(i))));
    for (const mg of merges) {
      expect(mg.command).toBe("merge");
      expect(mg.positionals).toEqual(parts);
      for (const f of mg.options.get("format") ?? []) expect(FORMAT_NAMES).toContain(f);
    }
  });

  it("collect.sh: the collect command's options exist", () => {
    const cmds = commands(readFileSync(path.join(DIR, "collect.sh"), "utf8")).map((c) => check(c, "collect.sh"));
    expect(cmds.map((c) => c.command)).toEqual(["collect"]);
    expect(cmds[0]!.options.get("output")![0]).toMatch(/^"snapshots\//);
  });
});
