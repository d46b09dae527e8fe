#!/usr/bin/env node
// kube-netlint's benchmark (`npm run bench`). See bench/README.md.
//
//   node bench/run.mjs [--apps N] [--runs K] [--json] [--scale] [--rss time|node]
//   node bench/run.mjs --fleet N[,M...] [--runs K] [--json]
//
// --fleet: N copies of fixtures/snapshots/collected, each its own cluster (under the temporary
// directory), linted in one run; then 4N (or the sizes given); time per cluster, peak memory, growth.
//
// Generates bench/out/repo-N if it is absent, then times, each as the median of K runs in fresh
// child processes:
//   (a) read   node bench/read-baseline.mjs REPO        find + read every file (the floor)
//   (b) lint   node dist/cli.cjs REPO --format json -o TMPFILE   the full lint (exit 1 expected)
//   (c) noop   node -e 0                                 Node.js start-up
//   (d) single node dist/cli.cjs REPO/clusters/prod/kube-system/coredns.yaml   pre-commit on one file
// and the peak memory (max RSS) of (b). With --scale, (a) and (b) again at 10 N apps. The two sides
// of each ratio, (a) and (b), (c) and (d), are run in alternation.
import { spawnSync, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generate, generateManyFindings } from "./generate.mjs";
import { ensureFleet, parseFleetSizes } from "./fleet.mjs";

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(BENCH_DIR);
const CLI = path.join(ROOT, "dist", "cli.cjs");
const NODE = process.execPath;
const SINGLE_FILE = "clusters/prod/kube-system/coredns.yaml";
/** Written last by the generator: its presence means the repository is complete. */
const COMPLETE_MARKER = "clusters/prod/nodes/node-1/var/lib/kubelet/config.yaml";

function usage() {
  return `usage: node bench/run.mjs [--apps N] [--runs K] [--json] [--scale] [--rss time|node] [--findings-only | --no-findings]

  --apps N        apps in the synthetic repository (default 2000); bench/out/repo-N is generated if absent
  --runs K        runs per measurement, the median is reported (default 5)
  --json          print the results as JSON on stdout (progress still goes to stderr)
  --scale         also measure the read baseline and the full lint at 10 N apps and print the growth
  --fleet N[,M]   fleet mode: lint N and M (default 4 N) clusters, each a copy of fixtures/snapshots/collected
                  under the temporary directory; reports time per cluster, peak memory and their growth
                  (default 1 run per size unless --runs is given)
  --rss METHOD    how the lint's peak memory is measured: "time" (/usr/bin/time -f %M) or "node"
                  (bench/measure-child.mjs, process.resourceUsage().maxRSS); default: time when
                  /usr/bin/time exists, else node
  --findings-only the many-findings cases only (one file with 100,000s of findings each)
  --no-findings   the repository only
`;
}

function die(msg, code = 2) {
  process.stderr.write(`bench: ${msg}\n`);
  process.exit(code);
}

function parseArgs(argv) {
  const o = { apps: 2000, runs: 5, json: false, scale: false, rss: null, fleet: null, runsGiven: false, findings: true, repo: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => (argv[i + 1] === undefined ? die(`${a} needs a value\n${usage()}`) : argv[++i]);
    if (a === "--apps") o.apps = Number(value());
    else if (a === "--runs") {
      o.runs = Number(value());
      o.runsGiven = true;
    } else if (a === "--fleet") {
      o.fleet = parseFleetSizes(value());
      if (!o.fleet) die("--fleet needs cluster counts: N or N,M,... (positive integers)");
    }
    else if (a === "--json") o.json = true;
    else if (a === "--scale") o.scale = true;
    else if (a === "--rss") o.rss = value();
    else if (a === "--findings-only") o.repo = false;
    else if (a === "--no-findings") o.findings = false;
    else if (a === "-h" || a === "--help") {
      process.stdout.write(usage());
      process.exit(0);
    } else die(`unknown argument ${a}\n${usage()}`);
  }
  if (!Number.isInteger(o.apps) || o.apps < 1) die("--apps must be a positive integer");
  if (!Number.isInteger(o.runs) || o.runs < 1) die("--runs must be a positive integer");
  if (o.rss !== null && o.rss !== "time" && o.rss !== "node") die('--rss must be "time" or "node"');
  return o;
}

const log = (s) => process.stderr.write(`${s}\n`);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const round1 = (x) => Math.round(x * 10) / 10;

function hasGnuTime() {
  try {
    execFileSync("sh", ["-c", "command -v /usr/bin/time"], { stdio: "ignore" });
    // BSD/macOS time has no -f; make sure this one understands -f %M.
    const r = spawnSync("/usr/bin/time", ["-f", "%M", NODE, "-e", "0"], { encoding: "utf8" });
    return r.status === 0 && /^\d+\s*$/m.test(r.stderr);
  } catch {
    return false;
  }
}

/** Another build may be replacing dist/ (scripts/build.mjs removes it first): wait up to 60 s. */
function waitForCli() {
  const until = Date.now() + 60_000;
  while (!existsSync(CLI)) {
    if (Date.now() > until) die(`${path.relative(ROOT, CLI)} disappeared during the benchmark; run npm run build first`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
  }
}

/**
 * Run a command once; returns { ms, status, stdout, rssKB }. `ok` decides which exit codes are a
 * success. With `rss`, the peak RSS of the command is measured too (the small cost of the wrapper is
 * included in ms).
 */
function runOnce(label, argv, { ok = [0], rss = null, usesCli = false } = {}) {
  let tmp = null;
  let cmd = argv;
  if (rss) {
    tmp = mkdtempSync(path.join(os.tmpdir(), "knl-bench-rss-"));
    const rssFile = path.join(tmp, "rss");
    // GNU time: user and system CPU seconds, then the max RSS (the last number, as before).
    cmd = rss === "time" ? ["/usr/bin/time", "-f", "%U %S %M", "-o", rssFile, ...argv] : [NODE, path.join(BENCH_DIR, "measure-child.mjs"), rssFile, ...argv.slice(1)];
  }
  for (let attempt = 1; ; attempt++) {
    if (usesCli) waitForCli();
    const t0 = performance.now();
    const r = spawnSync(cmd[0], cmd.slice(1), { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 1 << 28 });
    const ms = performance.now() - t0;
    if (r.error) die(`${label}: ${r.error.message}`);
    if (!ok.includes(r.status)) {
      // A concurrent rebuild of dist/ can make one run fail: retry once when the CLI was missing.
      if (usesCli && attempt === 1 && !existsSync(CLI)) continue;
      die(`${label} failed with exit code ${r.status ?? r.signal}: ${argv.map((a) => path.relative(ROOT, a) || a).join(" ")}\n${r.stderr.trim()}`);
    }
    let rssKB = null;
    let cpuMs = null;
    if (tmp) {
      const text = readFileSync(path.join(tmp, "rss"), "utf8");
      // GNU time writes "Command exited with non-zero status 1" before the value when the exit code is not 0.
      const m = /(\d+)\s*$/.exec(text);
      rssKB = m ? Number(m[1]) : null;
      const cpu = /([\d.]+) ([\d.]+) \d+\s*$/.exec(text);
      if (cpu) cpuMs = (Number(cpu[1]) + Number(cpu[2])) * 1000;
      rmSync(tmp, { recursive: true, force: true });
    }
    return { ms, status: r.status, stdout: r.stdout, rssKB, cpuMs };
  }
}

/**
 * Measure commands that are compared with each other (a ratio) in alternation: run 1 of each, then
 * run 2 of each... A slow spell of the machine (these are shared VMs) then falls on both sides of
 * the ratio instead of on one of them. Each entry: { label, argv, opts }.
 */
function measureTogether(entries, runs) {
  const all = entries.map(() => []);
  const tty = process.stderr.isTTY;
  for (let i = 0; i < runs; i++) {
    entries.forEach((e, k) => {
      if (tty) process.stderr.write(`\r  ${e.label}: run ${i + 1}/${runs}   `);
      all[k].push(runOnce(e.label, e.argv, e.opts));
    });
  }
  return entries.map((e, k) => summarize(e.label, all[k], e.opts, tty));
}

function summarize(label, all, opts, tty) {
  const runsMs = all.map((r) => Math.round(r.ms)).join(", ");
  process.stderr.write(`${tty ? "\r" : ""}  ${label}: median ${Math.round(median(all.map((r) => r.ms)))} ms (runs: ${runsMs})        \n`);
  const ms = all.map((r) => round1(r.ms));
  const out = { medianMs: round1(median(all.map((r) => r.ms))), minMs: Math.min(...ms), maxMs: Math.max(...ms), runsMs: ms, last: all[all.length - 1] };
  if (opts?.rss) {
    const kb = all.map((r) => r.rssKB).filter((x) => x !== null);
    out.rssKB = kb;
    out.peakRssKB = kb.length ? Math.max(...kb) : null;
    const cpu = all.map((r) => r.cpuMs).filter((x) => x !== null && x !== undefined);
    // User + system CPU time: what the run costs when the machine is shared (wall time waits for it).
    if (cpu.length) out.medianCpuMs = round1(median(cpu));
  }
  return out;
}

function ensureRepo(apps) {
  const dir = path.join(BENCH_DIR, "out", `repo-${apps}`);
  if (existsSync(path.join(dir, COMPLETE_MARKER))) return { dir, generated: false };
  log(`generating ${path.relative(ROOT, dir)} (${apps} apps)...`);
  const t0 = performance.now();
  const s = generate({ apps, out: dir });
  log(`  ${s.files} files, ${s.documents} documents, ${s.bytes} bytes in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { dir, generated: true };
}

function lintArgv(dir, outFile) {
  return [NODE, CLI, path.relative(ROOT, dir), "--format", "json", "-o", outFile];
}

function measureRepo(apps, runs, rssMethod, { full }) {
  const { dir, generated } = ensureRepo(apps);
  const rel = path.relative(ROOT, dir);
  log(`${rel}: ${runs} runs each`);
  const tmp = mkdtempSync(path.join(os.tmpdir(), "knl-bench-"));
  const report = path.join(tmp, "report.json");
  try {
    const [read, lint] = measureTogether(
      [
        { label: "(a) read baseline", argv: [NODE, path.join(BENCH_DIR, "read-baseline.mjs"), rel] },
        { label: "(b) full lint", argv: lintArgv(dir, report), opts: { ok: [0, 1], rss: rssMethod, usesCli: true } },
      ],
      runs,
    );
    const repo = JSON.parse(read.last.stdout);
    let summary = null;
    try {
      summary = JSON.parse(readFileSync(report, "utf8")).summary ?? null;
    } catch {
      /* the report is informative only */
    }
    const result = {
      apps,
      dir: rel,
      generated,
      files: repo.files,
      bytes: repo.bytes,
      lintSummary: summary,
      read: strip(read),
      lint: strip(lint),
    };
    if (full) {
      const single = path.join(rel, SINGLE_FILE);
      if (!statSync(path.join(ROOT, single), { throwIfNoEntry: false })) die(`${single} is missing: delete ${rel} and run again`);
      const [noop, one] = measureTogether(
        [
          { label: "(c) node -e 0", argv: [NODE, "-e", "0"] },
          { label: "(d) single file", argv: [NODE, CLI, single], opts: { ok: [0, 1], usesCli: true } },
        ],
        runs,
      );
      result.nodeNoop = strip(noop);
      result.singleFile = strip(one);
      result.singleFileCommand = `node dist/cli.cjs ${single}`;
    }
    result.ratios = { lintOverRead: round2(result.lint.medianMs / result.read.medianMs) };
    if (full) result.ratios.singleOverNoop = round2(result.singleFile.medianMs / result.nodeNoop.medianMs);
    result.lintCommand = `node dist/cli.cjs ${rel} --format json -o <tmpfile>`;
    return result;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Targets of issue 13 for each many-findings case: the whole run, JSON report included. */
const FINDINGS_TARGET = { ms: 5000, rssKB: 512 * 1024 };

/**
 * The many-findings cases (bench/generate.mjs): each file linted `runs` times into a JSON report;
 * the median time and the largest peak RSS, per finding. The report must hold the expected number
 * of findings (read from its summary, which comes before the results).
 */
function measureManyFindings(runs, rssMethod) {
  const cases = generateManyFindings(path.join(BENCH_DIR, "out", "many-findings"));
  const tmp = mkdtempSync(path.join(os.tmpdir(), "knl-bench-"));
  const report = path.join(tmp, "report.json");
  try {
    return cases.map((c) => {
      const rel = path.relative(ROOT, c.dir);
      const [m] = measureTogether([{ label: `${c.name}`, argv: [NODE, CLI, "--no-config", rel, "--format", "json", "-o", report], opts: { ok: [0, 1], rss: rssMethod, usesCli: true } }], runs);
      const head = readFileSync(report, "utf8").slice(0, 4096);
      const summary = JSON.parse(/"summary": (\{[^}]*\})/.exec(head)?.[1] ?? "null");
      const found = summary ? summary.errors + summary.warnings + summary.infos : null;
      if (found !== c.findings) die(`${c.name}: ${found} findings, expected ${c.findings}`);
      const out = { name: c.name, file: path.relative(ROOT, c.file), findings: found, ...strip(m) };
      out.usPerFinding = round2((m.medianMs * 1000) / found);
      out.bytesPerFinding = m.peakRssKB ? Math.round((m.peakRssKB * 1024) / found) : null;
      out.withinTarget = m.medianMs <= FINDINGS_TARGET.ms && (m.peakRssKB ?? 0) <= FINDINGS_TARGET.rssKB;
      out.command = `node dist/cli.cjs --no-config ${rel} --format json -o <tmpfile>`;
      return out;
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const round2 = (x) => Math.round(x * 100) / 100;
function strip(m) {
  const { last, ...rest } = m;
  return rest;
}

function configWarning() {
  for (let d = ROOT; ; d = path.dirname(d)) {
    for (const n of [".kube-netlint.yaml", ".kube-netlint.yml", ".kube-netlint.json"]) {
      if (existsSync(path.join(d, n))) return `note: ${path.join(d, n)} exists and applies to the lint runs (the CLI looks upward from ${ROOT})`;
    }
    if (path.dirname(d) === d) return null;
  }
}

// ---------------------------------------------------------------- output

const fmtMs = (ms) => (ms >= 10000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);
const fmtMB = (kb) => (kb === null || kb === undefined ? "n/a" : `${(kb / 1024).toFixed(1)} MiB`);
const fmtBytes = (b) => `${(b / 1e6).toFixed(1)} MB`;

function table(rows) {
  const w = Math.max(...rows.map((r) => r[0].length));
  const v = Math.max(...rows.map((r) => r[1].length));
  return rows.map(([k, val, note = ""]) => `  ${k.padEnd(w)}  ${val.padStart(v)}${note ? `  ${note}` : ""}`).join("\n");
}

function printText(res) {
  const b = res.base;
  const out = [];
  out.push(`kube-netlint benchmark: node ${process.version}, ${os.cpus().length} CPUs, ${os.platform()}; median of ${res.runs} run${res.runs === 1 ? "" : "s"}, each in a fresh process`);
  if (b) printRepo(res, b, out);
  if (res.manyFindings) {
    out.push("");
    out.push(`many findings in one file (bench/out/many-findings), --format json -o FILE; targets: <= ${FINDINGS_TARGET.ms / 1000} s and <= ${FINDINGS_TARGET.rssKB / 1024} MiB each`);
    out.push(
      table(
        res.manyFindings.map((m) => [
          `${m.name} (${m.findings.toLocaleString("en-US")} findings)`,
          `${fmtMs(m.medianMs)}${m.medianCpuMs ? ` (CPU ${fmtMs(m.medianCpuMs)})` : ""}, ${fmtMB(m.peakRssKB)}`,
          `${m.usPerFinding.toFixed(1)} µs and ${m.bytesPerFinding ?? "n/a"} bytes per finding; ${m.withinTarget ? "within" : "NOT within"} the targets (min ${fmtMs(m.minMs)}, max ${fmtMs(m.maxMs)})`,
        ]),
      ),
    );
  }
  process.stdout.write(out.join("\n") + "\n");
}

function printRepo(res, b, out) {
  out.push(`repository ${b.dir}: ${b.apps} apps, ${b.files} files, ${fmtBytes(b.bytes)}${b.lintSummary ? `; lint findings: errors ${b.lintSummary.errors}, warnings ${b.lintSummary.warnings}` : ""}`);
  out.push("");
  const range = (m) => `(min ${fmtMs(m.minMs)}, max ${fmtMs(m.maxMs)})`;
  out.push(
    table([
      ["(a) read baseline: find + read every file", fmtMs(b.read.medianMs), range(b.read)],
      ["(b) full lint: --format json -o FILE", fmtMs(b.lint.medianMs), range(b.lint)],
      ["(c) node -e 0", fmtMs(b.nodeNoop.medianMs), range(b.nodeNoop)],
      ["(d) single file: clusters/prod/kube-system/coredns.yaml", fmtMs(b.singleFile.medianMs), range(b.singleFile)],
      ["lint / read  (b)/(a)", `${b.ratios.lintOverRead.toFixed(2)}x`],
      ["single file / node -e 0  (d)/(c)", `${b.ratios.singleOverNoop.toFixed(2)}x`],
      ["peak memory of the full lint (max RSS)", fmtMB(b.lint.peakRssKB), `largest of ${b.lint.rssKB.length} run${b.lint.rssKB.length === 1 ? "" : "s"}, by ${res.rssMethodDescription}`],
    ]),
  );
  if (res.scaled) {
    const s = res.scaled;
    out.push("");
    out.push(`scale: ${s.dir}: ${s.apps} apps, ${s.files} files, ${fmtBytes(s.bytes)} (${(s.files / b.files).toFixed(2)}x the files)`);
    out.push(
      table([
        ["(a) read baseline", fmtMs(s.read.medianMs), range(s.read)],
        ["(b) full lint", fmtMs(s.lint.medianMs), range(s.lint)],
        ["lint / read", `${s.ratios.lintOverRead.toFixed(2)}x`],
        [`growth of the lint time, ${s.apps} / ${b.apps} apps`, `${res.growth.lint.toFixed(2)}x`, "(10x = linear)"],
        [`growth of the read time, ${s.apps} / ${b.apps} apps`, `${res.growth.read.toFixed(2)}x`],
        ["peak memory of the full lint (max RSS)", fmtMB(s.lint.peakRssKB), `${res.growth.peakRss.toFixed(2)}x the ${b.apps}-app run`],
      ]),
    );
  }
}

// ---------------------------------------------------------------- main

const opts = parseArgs(process.argv.slice(2));
if (!existsSync(CLI)) die(`${path.relative(ROOT, CLI)} does not exist: run npm run build first`);
const rssMethod = opts.rss ?? (hasGnuTime() ? "time" : "node");
if (rssMethod === "time" && !hasGnuTime()) die("--rss time needs GNU time at /usr/bin/time (Debian/Ubuntu: apt-get install time)");
const warning = configWarning();
if (warning) log(warning);

if (opts.fleet) {
  runFleet(opts, rssMethod);
  process.exit(0);
}

const res = {
  node: process.version,
  platform: `${os.platform()} ${os.arch()}`,
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model ?? null,
  runs: opts.runs,
  rssMethod,
  rssMethodDescription: rssMethod === "time" ? "/usr/bin/time -f %M" : "process.resourceUsage().maxRSS via bench/measure-child.mjs",
  base: opts.repo ? measureRepo(opts.apps, opts.runs, rssMethod, { full: true }) : null,
};
if (opts.findings) res.manyFindings = measureManyFindings(opts.runs, rssMethod);
if (opts.scale && opts.repo) {
  res.scaled = measureRepo(opts.apps * 10, opts.runs, rssMethod, { full: false });
  res.growth = {
    lint: round2(res.scaled.lint.medianMs / res.base.lint.medianMs),
    read: round2(res.scaled.read.medianMs / res.base.read.medianMs),
    peakRss: res.scaled.lint.peakRssKB && res.base.lint.peakRssKB ? round2(res.scaled.lint.peakRssKB / res.base.lint.peakRssKB) : null,
  };
}
if (opts.json) process.stdout.write(JSON.stringify(res, null, 2) + "\n");
else printText(res);

// ---------------------------------------------------------------- fleet

function runFleet(opts, rssMethod) {
  const runs = opts.runsGiven ? opts.runs : 1;
  const tmp = mkdtempSync(path.join(os.tmpdir(), "knl-bench-fleet-"));
  const sizes = opts.fleet.map((n) => ({ n, ...ensureFleet(ROOT, n, log) }));
  log(`fleet: ${sizes.map((s) => s.n).join(", ")} clusters, ${runs} run${runs === 1 ? "" : "s"} each, alternating`);
  let measured;
  try {
    measured = measureTogether(
      sizes.map((s) => ({ label: `${s.n} clusters`, argv: [NODE, CLI, s.dir, "--no-config", "--format", "json", "-o", path.join(tmp, `report-${s.n}.json`)], opts: { ok: [0, 1], rss: rssMethod, usesCli: true } })),
      runs,
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const rows = sizes.map((s, i) => ({ clusters: s.n, dir: s.dir, medianMs: measured[i].medianMs, runsMs: measured[i].runsMs, msPerCluster: round2(measured[i].medianMs / s.n), peakRssKB: measured[i].peakRssKB }));
  const first = rows[0];
  const growth = rows.slice(1).map((r) => ({ clusters: `${r.clusters} / ${first.clusters}`, size: round2(r.clusters / first.clusters), time: round2(r.medianMs / first.medianMs), peakRss: r.peakRssKB && first.peakRssKB ? round2(r.peakRssKB / first.peakRssKB) : null }));
  const res = { node: process.version, cpus: os.cpus().length, runs, rssMethod, command: "node dist/cli.cjs FLEET --no-config --format json -o <tmpfile>", sizes: rows, growth };
  if (opts.json) {
    process.stdout.write(JSON.stringify(res, null, 2) + "\n");
    return;
  }
  const out = [`kube-netlint fleet benchmark: node ${process.version}, ${os.cpus().length} CPUs; ${runs} run${runs === 1 ? "" : "s"} per size (median), each cluster a copy of fixtures/snapshots/collected`];
  out.push(table(rows.map((r) => [`${r.clusters} clusters`, fmtMs(r.medianMs), `${r.msPerCluster.toFixed(1)} ms per cluster, peak memory ${fmtMB(r.peakRssKB)}`])));
  for (const g of growth) out.push(table([[`growth ${g.clusters} clusters (${g.size}x)`, `time ${g.time.toFixed(2)}x`, `peak memory ${g.peakRss === null ? "n/a" : g.peakRss.toFixed(2) + "x"}`]]));
  process.stdout.write(out.join("\n") + "\n");
}
