/** Shared by the fuzz, hostile-input and security suites: corpus files, mutations, position checks, a bounded CLI run. */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { expect } from "vitest";
import { LineIndex } from "../src/parsers/lines.js";
import { ROOT } from "./helpers/lint-fixture.js";

export { ROOT };
export const CORPUS = path.resolve(ROOT, "../shared/corpus");
export const HAS_CORPUS = existsSync(path.join(CORPUS, "real"));

/** The built CLI (npm test builds it first); KUBE_NETLINT_CLI points at another build. */
export const CLI = process.env.KUBE_NETLINT_CLI ? path.resolve(process.env.KUBE_NETLINT_CLI) : path.join(ROOT, "dist/cli.cjs");

/**
 * The hostile-input contract: exit code 0, 1 or 2, no stack trace, within 1 GiB. Tests never race
 * the clock (speed lives in bench/): a CLI run is killed only by a hang guard far beyond any normal
 * run on a loaded machine, and memory is bounded by the child's own heap limit (a run that needs
 * more dies with V8's out-of-memory abort, which fails the exit-code check) and, where GNU time is
 * there, by its peak resident memory.
 */
export const HANG_GUARD_MS = 300_000;
export const MEMORY_BUDGET_KB = 1024 * 1024;
export const HEAP_LIMIT_MB = 1024;

/** Every regular file under a directory (sorted, relative paths), skipping files over maxBytes. */
export function listFiles(dir: string, maxBytes = 1 << 20): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && statSync(p).size <= maxBytes) out.push(path.relative(dir, p));
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

/** Corpus texts (real files, and the inputs of the oracle cases), for mutation. */
export function corpusTexts(): { name: string; text: string }[] {
  if (!HAS_CORPUS) return [];
  const out: { name: string; text: string }[] = [];
  for (const rel of listFiles(path.join(CORPUS, "real"))) {
    if (rel.endsWith(".md")) continue;
    out.push({ name: `real/${rel}`, text: readFileSync(path.join(CORPUS, "real", rel), "utf8") });
  }
  // The oracle corpora: Corefile inputs (and their imported files), CNI conf dir files, kube-proxy configs.
  const cases = (dir: string): Record<string, unknown>[] => {
    try {
      const c = JSON.parse(readFileSync(path.join(CORPUS, dir, "cases.json"), "utf8")) as { cases?: unknown };
      return Array.isArray(c.cases) ? (c.cases as Record<string, unknown>[]) : [];
    } catch {
      return [];
    }
  };
  for (const dir of ["corefile-oracle", "corefile-parser"]) {
    for (const c of cases(dir)) {
      if (typeof c.input === "string") out.push({ name: `${dir}/${String(c.name)}/Corefile`, text: c.input });
      const files = c.files && typeof c.files === "object" ? (c.files as Record<string, unknown>) : {};
      for (const [f, t] of Object.entries(files)) if (typeof t === "string") out.push({ name: `${dir}/${String(c.name)}/${path.basename(f)}.Corefile`, text: t });
    }
  }
  for (const c of cases("cni-loading")) {
    const files = c.files && typeof c.files === "object" ? (c.files as Record<string, unknown>) : {};
    for (const [f, t] of Object.entries(files)) if (typeof t === "string") out.push({ name: `cni-loading/${String(c.name)}/${f}`, text: t });
  }
  for (const c of cases("kube-proxy-validation")) {
    if (c.config && typeof c.config === "object") out.push({ name: `kube-proxy-validation/${String(c.name)}.json`, text: JSON.stringify(c.config, null, 2) });
  }
  return out;
}

/** Strings that break parsers: structure characters, quotes, line breaks, BOM, NUL, lone surrogates, YAML indicators. */
export const NASTY = [
  "{", "}", "[", "]", '"', "'", "\\", "\n", "\r", "\r\n", "\t", "\0", "\ufeff", "\ud800", "\udc00", "#", ":", ",", "-",
  "---\n", "...\n", "&a ", "*a", "!!js/function ", "<<: ", "|", ">", "%YAML 1.1\n", "{$X}", "{%X%}", "import ", "\u2028", "\u0085",
  "\\u12", "\\x", "1e999", "-0", "0x1F", "--flag=", "'\"", "nameserver ", "# kube-netlint-disable-line ",
];

export interface Mutation {
  kind: "insert" | "delete" | "duplicate" | "truncate";
  at: number;
  len: number;
  what: string;
}

/** A random edit of a text: insert a nasty or random string, delete or duplicate a range, or cut the text. */
export const mutationArb: fc.Arbitrary<Mutation[]> = fc.array(
  fc.record({
    kind: fc.constantFrom<Mutation["kind"]>("insert", "insert", "delete", "duplicate", "truncate"),
    at: fc.nat(),
    len: fc.nat({ max: 64 }),
    what: fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 8, unit: "binary" })),
  }),
  { minLength: 1, maxLength: 4 },
);

export function mutate(text: string, muts: readonly Mutation[]): string {
  let t = text;
  for (const m of muts) {
    const at = t.length ? m.at % (t.length + 1) : 0;
    if (m.kind === "insert") t = t.slice(0, at) + m.what + t.slice(at);
    else if (m.kind === "delete") t = t.slice(0, at) + t.slice(at + m.len);
    else if (m.kind === "duplicate") t = t.slice(0, at + m.len) + t.slice(at, at + m.len) + t.slice(at + m.len);
    else t = t.slice(0, at);
  }
  return t;
}

/** Offsets [start, end) lie inside a text of length n. */
export function expectRangeInside(start: number, end: number, n: number, what = "range"): void {
  if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= n)) {
    throw new Error(`${what} [${start}, ${end}) is not inside a text of length ${n}`);
  }
}

/** A 1-based line/column that exists in the text (column may be one past the line's end). */
export function expectPositionInside(lines: LineIndex, line: number, column: number, what: string): void {
  const ok = Number.isInteger(line) && Number.isInteger(column) && line >= 1 && line <= lines.lineCount && column >= 1 && column <= lines.lineEnd(line) - lines.lineStart(line) + 1;
  if (!ok) throw new Error(`${what}: ${line}:${column} is not inside the file (${lines.lineCount} lines)`);
}

interface Positioned { file: string; line: number; column: number; endLine?: number; endColumn?: number }

/** Every finding and related location of a report points into its file as it is on disk. */
export function expectFindingsInsideFiles(results: readonly (Positioned & { ruleId?: string; related?: Positioned[] })[], cwd: string, stdin?: { name: string; text: string }): void {
  const cache = new Map<string, LineIndex>();
  const indexOf = (file: string) => {
    let li = cache.get(file);
    if (!li) {
      const abs = path.resolve(cwd, file);
      // A finding on a directory (a CNI conf dir) sits at 1:1 of an empty text.
      const text = stdin && file === stdin.name ? stdin.text : statSync(abs).isDirectory() ? "" : readFileSync(abs, "utf8");
      cache.set(file, (li = new LineIndex(text)));
    }
    return li;
  };
  const check = (p: Positioned, what: string) => {
    const li = indexOf(p.file);
    expectPositionInside(li, p.line, p.column, `${what} start`);
    if (p.endLine !== undefined && p.endColumn !== undefined) {
      expectPositionInside(li, p.endLine, p.endColumn, `${what} end`);
      if (p.endLine < p.line || (p.endLine === p.line && p.endColumn < p.column)) throw new Error(`${what}: end ${p.endLine}:${p.endColumn} before start ${p.line}:${p.column}`);
    }
  };
  for (const r of results) {
    check(r, `${r.ruleId ?? "finding"} in ${r.file}`);
    for (const rel of r.related ?? []) check(rel, `related of ${r.ruleId ?? "finding"} in ${rel.file}`);
  }
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** Peak resident memory in KiB (null when /usr/bin/time is not there to measure it). */
  maxRssKb: number | null;
}

const GNU_TIME = "/usr/bin/time";

/** Run the CLI with a heap limit and a hang guard; measure, where GNU time exists, peak memory. */
export function runCli(args: readonly string[], opts: { cwd: string; input?: string; env?: Record<string, string>; nodeArgs?: string[] }): CliRun {
  const timeout = HANG_GUARD_MS;
  const nodeArgv = [`--max-old-space-size=${HEAP_LIMIT_MB}`, ...(opts.nodeArgs ?? []), CLI, ...args];
  const measure = existsSync(GNU_TIME);
  const tmp = measure ? mkdtempSync(path.join(os.tmpdir(), "knl-time-")) : "";
  const rssFile = path.join(tmp, "rss");
  const [cmd, argv] = measure ? [GNU_TIME, ["-q", "-o", rssFile, "-f", "%M", process.execPath, ...nodeArgv]] : [process.execPath, nodeArgv];
  const started = Date.now();
  const r = spawnSync(cmd, argv, {
    cwd: opts.cwd,
    input: opts.input ?? "",
    encoding: "utf8",
    timeout,
    killSignal: "SIGKILL",
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: "1", KUBE_NETLINT_DEBUG: "", ...opts.env },
  });
  const ms = Date.now() - started;
  let maxRssKb: number | null = null;
  if (measure) {
    try {
      const n = Number(readFileSync(rssFile, "utf8").trim().split("\n").pop());
      if (Number.isFinite(n) && n > 0) maxRssKb = n;
    } catch {
      /* killed before GNU time wrote it */
    }
    rmSync(tmp, { recursive: true, force: true });
  }
  return { code: r.status, signal: r.signal, stdout: r.stdout ?? "", stderr: r.stderr ?? "", ms, maxRssKb };
}

/** The hidden checks' contract: exit code 0, 1 or 2, no stack trace, within memory; no time budget. */
export function expectWellBehaved(r: CliRun): void {
  expect(r.signal, `killed (${r.signal}) after ${r.ms} ms: a hang guard of ${HANG_GUARD_MS} ms or a crash (stderr: ${r.stderr.slice(0, 300)})`).toBeNull();
  expect([0, 1, 2], `exit code ${r.code}; stderr: ${r.stderr.slice(0, 500)}`).toContain(r.code);
  expect(r.stderr, "a stack trace on stderr").not.toMatch(/^\s+at .+/m);
  if (r.maxRssKb !== null) expect(r.maxRssKb, "peak memory (KiB)").toBeLessThan(MEMORY_BUDGET_KB);
}

/** Wait for dist/cli.cjs when another session is rebuilding it. */
export async function waitForCli(maxMs = 60_000): Promise<boolean> {
  const until = Date.now() + maxMs;
  while (!existsSync(CLI)) {
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return true;
}

/** A fast-check run that is the same on every machine: fixed seed, bounded runs. */
export function fcOptions(numRuns: number, seed = 20240607): fc.Parameters<unknown> {
  return { numRuns, seed, endOnFailure: true };
}
