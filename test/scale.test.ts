/**
 * Many findings in one file (issue 13): what makes each finding cheap must not change what is
 * reported. Output in pieces is byte for byte the whole text, a key found through an index is the
 * first pair with that key, "did you mean" is the closest name as before and stops (documented)
 * after MAX_SUGGESTIONS unknown fields of a configuration, a repeat is still dropped once.
 * How fast and how small is bench/'s business (BENCHMARKS.md), not a clock here.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { runLint, type JsonReport } from "../src/engine/lint.js";
import { SeenFindings } from "../src/engine/seen-findings.js";
import { Fingerprints } from "../src/engine/fingerprint.js";
import { FindingList, makeFinding } from "../src/engine/finding-list.js";
import { ownString } from "../src/engine/own-string.js";
import { formatCompact } from "../src/formatters/compact.js";
import { piecesOf, RESULTS_PER_PIECE } from "../src/formatters/index.js";
import { formatJson } from "../src/formatters/json.js";
import { firstKeyIndex, firstPairWithKey } from "../src/parsers/key-index.js";
import { parseYamlDocument, splitYamlDocuments, yamlRange } from "../src/parsers/yaml.js";
import { closest } from "../src/rules/lib/closest.js";
import { MAX_SUGGESTIONS, schemaProblems, validatedConfig, type CompiledValidator, type JsonSchema } from "../src/rules/lib/config-problem.js";
import { validateKubeletConfig, validateKubeProxyConfig } from "../src/generated/validators.js";
import { kubeProxyConfigSchema } from "../src/rules/kube-proxy/lib/schema.js";
import { kubeletConfigSchema } from "../src/rules/kubelet/lib/schema.js";
import { checkKubeProxyConfig } from "../src/rules/kube-proxy/lib/validate.js";
import { checkKubeletConfig } from "../src/rules/kubelet/lib/validate.js";
import { fcOptions } from "./helpers-fuzz.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "knl-scale-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const KP_HEAD = "apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nclusterCIDR: 10.244.0.0/16\nmode: iptables\n";

/** A KubeProxyConfiguration file with n unknown keys (line 5 onwards), linted as a user would. */
function lintUnknownKeys(n: number, extra = ""): JsonReport {
  let text = KP_HEAD + extra;
  for (let i = 0; i < n; i++) text += `unknownKey${i}: ${i}\n`;
  const dir = mkdtempSync(path.join(tmp, "kp-"));
  writeFileSync(path.join(dir, "kube-proxy.yaml"), text);
  return runLint(["."], { cwd: dir, config: null }).report;
}

describe("output in pieces", () => {
  const report = lintUnknownKeys(RESULTS_PER_PIECE * 2 + 7);

  it("is one finding per unknown key, at its key", () => {
    expect(report.results).toHaveLength(RESULTS_PER_PIECE * 2 + 7);
    expect(report.results.every((r) => r.ruleId === "kube-proxy/unknown-field")).toBe(true);
    expect(report.results.map((r) => r.line)).toEqual(Array.from({ length: report.results.length }, (_, i) => i + 5));
    expect(report.results[0]).toMatchObject({ file: "kube-proxy.yaml", line: 5, column: 1, endColumn: 12, field: "unknownKey0" });
  });

  it("JSON: the pieces are exactly JSON.stringify(report, null, 2) and a newline", () => {
    const out = formatJson(report);
    expect(typeof out).toBe("object");
    const pieces = [...piecesOf(out)];
    // The head and the tail, and for each chunk of results its separator and its text; no piece
    // near V8's large-object size (128 KiB).
    expect(pieces.length).toBeGreaterThan(2 + 2 * 3);
    expect(pieces.length % 2).toBe(0);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(64 * 1024);
    expect(pieces.join("")).toBe(JSON.stringify(report, null, 2) + "\n");
  });

  it("JSON: pieces follow the findings' length (short ones: more per piece; long ones: fewer), the same text", () => {
    // 3,000 short findings, 1,000 of 2,000 characters, 7 short again: the results per piece grow, shrink and grow.
    const results = report.results.map((r, i) => ({ ...r, message: i >= 3000 && i < 4000 ? `${"long ".repeat(400)}${i}` : `m${i}` }));
    const varied = { ...report, results };
    const pieces = [...piecesOf(formatJson(varied))];
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(64 * 1024);
    expect(pieces.join("")).toBe(JSON.stringify(varied, null, 2) + "\n");
  });

  it("JSON: a small report is one string, the same text", () => {
    const small = { ...report, results: report.results.slice(0, 3) };
    expect(formatJson(small)).toBe(JSON.stringify(small, null, 2) + "\n");
    const none = { ...report, results: [] };
    expect(formatJson(none)).toBe(JSON.stringify(none, null, 2) + "\n");
  });

  it("compact: the pieces are the lines of every finding, in order", () => {
    const compactPieces = [...piecesOf(formatCompact(report))];
    expect(Math.max(...compactPieces.map((p) => p.length))).toBeLessThan(64 * 1024);
    const text = compactPieces.join("");
    const lines = text.split("\n");
    expect(lines.pop()).toBe("");
    // The findings, then the summary line.
    expect(lines.pop()).toBe(`${report.results.length} problems (0 errors, ${report.results.length} warnings, 0 infos) in 1 file read`);
    expect(lines).toHaveLength(report.results.length);
    expect(lines[0]).toBe(`kube-proxy.yaml:5:1: warning kube-proxy/unknown-field ${report.results[0]!.message}`);
    expect(lines.at(-1)).toMatch(/^kube-proxy\.yaml:4011:1: warning kube-proxy\/unknown-field unknown field "unknownKey4006"/);
  });
});

describe("did you mean, at scale", () => {
  it(`suggests for the first ${MAX_SUGGESTIONS} unknown fields of a configuration, and reports every one`, () => {
    const config: Record<string, unknown> = {};
    for (let i = 0; i < MAX_SUGGESTIONS; i++) config[`filler${i}`] = i;
    // Past the cap: still reported, without a suggestion (docs/rules/kube-proxy/unknown-field.md).
    config.clusterCidr = "10.244.0.0/16";
    const unknown = checkKubeProxyConfig(config).filter((p) => p.kind === "unknown-field");
    expect(unknown).toHaveLength(MAX_SUGGESTIONS + 1);
    expect(unknown.at(-1)).toMatchObject({ field: "clusterCidr" });
    expect(unknown.at(-1)!.suggestion).toBeUndefined();
    expect(unknown.at(-1)!.message).not.toMatch(/did you mean/);
    // Within the cap the same typo gets its suggestion.
    expect(checkKubeProxyConfig({ clusterCidr: "10.244.0.0/16" }).filter((p) => p.kind === "unknown-field")).toEqual([expect.objectContaining({ field: "clusterCidr", suggestion: "clusterCIDR" })]);
  });

  it("unknown keys named like Object.prototype members are unknown fields like any other (constructor crashed the run)", () => {
    const report = lintUnknownKeys(0, "constructor: 1\ntoString: x\n__defineGetter__: y\n");
    expect(report.results.map((r) => [r.ruleId, r.line, r.field])).toEqual([
      ["kube-proxy/unknown-field", 5, "constructor"],
      ["kube-proxy/unknown-field", 6, "toString"],
      ["kube-proxy/unknown-field", 7, "__defineGetter__"],
    ]);
    expect(report.results[0]!.message).toMatch(/^unknown field "constructor"; strict decoding fails/);
    const kubelet = checkKubeletConfig({ constructor: 1, hasOwnProperty: 2 });
    expect(kubelet.map((p) => [p.kind, p.field])).toEqual([["unknown-field", "constructor"], ["unknown-field", "hasOwnProperty"]]);
  });

  it("validatedConfig gives what schemaProblems gives over the validator's own errors: same problems, same order", () => {
    const cases: [JsonSchema, CompiledValidator, string[]][] = [
      [kubeProxyConfigSchema(), validateKubeProxyConfig as CompiledValidator, ["clusterCIDR", "mode", "iptables", "conntrack", "bindAddress", "metricsBindAddress"]],
      [kubeletConfigSchema(), validateKubeletConfig as CompiledValidator, ["clusterDNS", "clusterDomain", "authentication", "evictionHard", "maxPods", "cgroupDriver"]],
    ];
    const value = fc.oneof(fc.constant("10.96.0.10"), fc.integer({ min: -2, max: 70000 }), fc.boolean(), fc.constant(null), fc.array(fc.constantFrom("10.96.0.10", 3)), fc.dictionary(fc.constantFrom("syncPeriod", "minSyncPeriod", "webhook", "x509", "bogus", "memory.available", "0"), fc.oneof(fc.constant("30s"), fc.integer(), fc.constant({ enabled: "yes", other: 1 }))));
    const suggest = (name: string, candidates: string[]) => closest(name, candidates);
    const note = (path: string) => (path === "clusterCidr" ? "a note" : undefined);
    for (const [schema, validate, known] of cases) {
      const key = fc.oneof(fc.constantFrom(...known), fc.constantFrom("clusterCidr", "unknownKey", "a.b", "12", "0", "toString", "constructor", "x y"), fc.string({ maxLength: 6 }));
      fc.assert(
        fc.property(fc.dictionary(key, value, { maxKeys: 12 }), (config) => {
          validate(config);
          const errors = validate.errors ?? [];
          validate.errors = null;
          const old = schemaProblems(schema, config, errors, suggest, note);
          const now = validatedConfig(schema, validate, config, suggest, note);
          expect(now.problems).toEqual(old.problems);
          expect([...now.badPaths]).toEqual([...old.badPaths]);
          expect(Object.keys(now.known)).toEqual(Object.keys(config).filter((k) => Object.hasOwn(schema.properties as object, k)));
        }),
        fcOptions(300),
      );
    }
  });

  it("the kubelet's unknown fields the same way", () => {
    const config: Record<string, unknown> = {};
    for (let i = 0; i <= MAX_SUGGESTIONS; i++) config[`filler${i}`] = i;
    config.clusterDns = ["10.96.0.10"];
    const unknown = checkKubeletConfig(config).filter((p) => p.kind === "unknown-field");
    expect(unknown).toHaveLength(MAX_SUGGESTIONS + 2);
    expect(unknown.at(-1)).toMatchObject({ field: "clusterDns" });
    expect(unknown.at(-1)!.suggestion).toBeUndefined();
    expect(checkKubeletConfig({ clusterDns: ["10.96.0.10"] })).toEqual([expect.objectContaining({ field: "clusterDns", suggestion: "clusterDNS" })]);
  });

  /** closest() as it was: the full distance table for every candidate, no early stop. */
  function referenceClosest(input: string, candidates: string[], max = Math.max(2, Math.floor(input.length / 3))): string | undefined {
    const osa = (a: string, b: string) => {
      const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
      for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
          d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
          if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
        }
      }
      return d[a.length]![b.length]!;
    };
    let best: string | undefined;
    let bestDist = Infinity;
    let bestPrefix = -1;
    for (const c of candidates) {
      if (c === input) continue;
      const [l, cl] = [input.toLowerCase(), c.toLowerCase()];
      const dist = osa(l, cl);
      if (dist > max) continue;
      let prefix = 0;
      while (prefix < cl.length && prefix < l.length && cl[prefix] === l[prefix]) prefix++;
      if (dist < bestDist || (dist === bestDist && prefix > bestPrefix)) [best, bestDist, bestPrefix] = [c, dist, prefix];
    }
    return best;
  }

  it("closest() gives what the full distance table gives, on any names", () => {
    const name = fc.string({ unit: fc.constantFrom("a", "b", "c", "A", "B", "d", "İ", "-"), maxLength: 12 });
    fc.assert(
      fc.property(name, fc.array(name, { maxLength: 12 }), fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }), (input, candidates, max) => {
        expect(closest(input, candidates, max === undefined ? {} : { maxDistance: max })).toBe(referenceClosest(input, candidates, max));
      }),
      fcOptions(2000),
    );
  });
});

describe("keys found through an index", () => {
  it("firstKeyIndex is indexOf: the first of repeated keys, -1 for none, in lists short and long", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t"), { maxLength: 60 }), fc.constantFrom("a", "k", "t", "zz"), (keys, key) => {
        expect(firstKeyIndex(keys, key)).toBe(keys.indexOf(key));
      }),
      fcOptions(500),
    );
  });

  it("firstKeyIndex with the mapping's value is indexOf too, for any order of lookups, keys repeated or not", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 17, max: 80 }),
        fc.boolean(),
        fc.array(fc.integer({ min: 0, max: 90 }), { maxLength: 60 }),
        (n, repeat, lookups) => {
          const keys = Array.from({ length: n }, (_, i) => `k${repeat && i % 5 === 4 ? i - 2 : i}`);
          const value = Object.fromEntries(keys.map((k) => [k, 1]));
          for (const j of lookups) expect(firstKeyIndex(keys, `k${j}`, value)).toBe(keys.indexOf(`k${j}`));
        },
      ),
      fcOptions(500),
    );
  });

  it("firstPairWithKey is find(): the first pair with the key, skipping items without a scalar key", () => {
    const items = Array.from({ length: 40 }, (_, i) => ({ k: i % 7 === 3 ? undefined : `k${i % 25}`, i }));
    for (const key of ["k0", "k3", "k24", "k10", "nope"]) {
      expect(firstPairWithKey(items, items, key, (p) => p.k)).toBe(items.find((p) => p.k === key));
    }
  });

  it("a YAML document with a repeated key: both paths locate the first pair, as before", () => {
    let text = "a: 1\n";
    for (let i = 0; i < 40; i++) text += `k${i}: ${i}\n`;
    text += "a: 2\n";
    const slice = splitYamlDocuments(text)[0]!;
    const fast = parseYamlDocument(text, slice);
    const library = parseYamlDocument(text, slice, { fastPath: false });
    for (const parsed of [fast, library]) {
      expect(yamlRange(parsed, ["a"], "key")).toEqual([0, 1]);
      expect(yamlRange(parsed, ["k39"])).toEqual([text.indexOf("k39: ") + 5, text.indexOf("k39: ") + 7]);
    }
  });

  it("a file longer than the node budget takes the fast path within it, and past it the library reports the limit", () => {
    let text = "";
    for (let i = 0; i < 3000; i++) text += `k${i}: ${i}\n`;
    const slice = splitYamlDocuments(text)[0]!;
    // 6,000 nodes (keys and values): within a budget of 7,000, too many for 5,000.
    const within = parseYamlDocument(text, slice, { maxNodesPerFile: 7000, fileBudget: { nodes: 0 } });
    expect(within.fast).toBeDefined();
    expect(within.errors).toEqual([]);
    const over = parseYamlDocument(text, slice, { maxNodesPerFile: 5000, fileBudget: { nodes: 0 } });
    expect(over.fast).toBeUndefined();
    expect(over.errors.map((e) => e.message)).toEqual(["too large to check: more than 5000 YAML nodes in this file (kube-netlint's memory limit)"]);
  });
});

describe("one problem, one finding", () => {
  it("SeenFindings drops an exact repeat only", () => {
    const seen = new SeenFindings();
    expect(seen.add("r", "a.yaml", 1, 1, "m")).toBe(true);
    expect(seen.add("r", "a.yaml", 1, 1, "m")).toBe(false);
    expect(seen.add("r", "a.yaml", 1, 1, "other")).toBe(true);
    expect(seen.add("r", "a.yaml", 1, 1, "third")).toBe(true);
    expect(seen.add("r", "a.yaml", 1, 1, "other")).toBe(false);
    expect(seen.add("r", "b.yaml", 1, 1, "m")).toBe(true);
    expect(seen.add("s", "a.yaml", 1, 1, "m")).toBe(true);
    expect(seen.add("r", "a.yaml", 1, 2, "m")).toBe(true);
    expect(seen.add("r", "a.yaml", 11, 1, "m")).toBe(true);
    // Out of order, and past the number range (a string key).
    expect(seen.add("r", "a.yaml", 5, 3, "m")).toBe(true);
    expect(seen.add("r", "a.yaml", 5, 3, "m")).toBe(false);
    expect(seen.add("r", "a.yaml", 1, 2, "m")).toBe(false);
    expect(seen.add("r", "a.yaml", 1, 2 ** 21, "m")).toBe(true);
    expect(seen.add("r", "a.yaml", 1, 2 ** 21, "m")).toBe(false);
  });

  it("SeenFindings answers as a set of (rule, file, line, column, message) does, in any order", () => {
    const finding = fc.tuple(fc.constantFrom("r", "s"), fc.constantFrom("a.yaml", "b.yaml"), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 6 }), fc.constantFrom("m", "n", "o"));
    fc.assert(
      fc.property(fc.array(finding, { maxLength: 80 }), (findings) => {
        const seen = new SeenFindings();
        const model = new Set<string>();
        for (const f of findings) {
          const key = f.join("\0");
          expect(seen.add(...f)).toBe(!model.has(key));
          model.add(key);
        }
      }),
      fcOptions(300),
    );
  });

  it("a finding's keys come in the report's order: fix, field, related, cluster, fingerprint last", () => {
    const range = { file: "a.yaml", line: 2, column: 1, endLine: 2, endColumn: 4 };
    const related = [{ file: "b.yaml", line: 1, column: 1, endLine: 1, endColumn: 2, message: "there" }];
    const made = [makeFinding("r", "warning", "m", range, null, undefined, undefined), makeFinding("r", "error", "m", range, null, "x.y", undefined), makeFinding("r", "info", "m", range, null, undefined, related), makeFinding("r", "warning", "m", range, null, "x.y", related)];
    const list = new FindingList();
    const prints = new Fingerprints();
    made.forEach((f, i) => list.push(f, i % 2 ? "cluster-b" : undefined, prints.first(`key${i}`)));
    const base = ["ruleId", "severity", "message", "file", "line", "column", "endLine", "endColumn", "fix"];
    const keysOf = (named: boolean) => list.finish(() => 0, prints, named).map((f) => Object.keys(f));
    expect(keysOf(true)).toEqual([
      [...base, "fingerprint"],
      [...base, "field", "cluster", "fingerprint"],
      [...base, "related", "fingerprint"],
      [...base, "field", "related", "cluster", "fingerprint"],
    ]);
    // One cluster in the run: none is named, each keeps the object it was made as.
    const single = list.finish(() => 0, prints, false);
    expect(single.map((f) => Object.keys(f))).toEqual([[...base, "fingerprint"], [...base, "field", "fingerprint"], [...base, "related", "fingerprint"], [...base, "field", "related", "fingerprint"]]);
    expect(single.every((f, i) => f === made[i] && /^[0-9a-f]{32}$/.test(f.fingerprint!))).toBe(true);
  });

  it("ownString gives the same characters, whatever the string", () => {
    for (const s of ["", "a", "ab", "unknown field \"x\"", "\u{1f600}tail", "\u00e9t\u00e9 ".repeat(40), `pre ${"k".repeat(5000)} post`]) expect(ownString(s)).toBe(s);
    fc.assert(fc.property(fc.string({ unit: "grapheme" }), (s) => ownString(s) === s), fcOptions(200));
  });

  it("every finding of a file with thousands of unknown keys has its own fingerprint, the same on a second run", () => {
    const a = lintUnknownKeys(3000);
    const b = lintUnknownKeys(3000);
    expect(new Set(a.results.map((r) => r.fingerprint)).size).toBe(3000);
    expect(a.results.map((r) => r.fingerprint)).toEqual(b.results.map((r) => r.fingerprint));
    expect(a.results.every((r) => /^[0-9a-f]{32}$/.test(r.fingerprint!))).toBe(true);
  });
});
