/**
 * Property and fuzz tests (issue 7): random input and mutations of the corpus files never make a
 * parser throw or hang, and every position a parser or a finding reports lies inside its file.
 * Fixed seeds and bounded runs keep the suite reproducible and fast.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { parse as yamlParse, stringify as yamlStringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runLint } from "../src/engine/lint.js";
import { decodeCorefileBytes, lexCorefile, parseCorefile, type CorefileParseResult } from "../src/parsers/corefile/index.js";
import { parseEnvFile, parseFlags, parseSystemdUnit, splitWords } from "../src/parsers/flags.js";
import { parseJson, toPlain, type JsonNode } from "../src/parsers/json.js";
import { eachLine, LineIndex } from "../src/parsers/lines.js";
import { looksLikeResolvConf, parseResolvConf } from "../src/parsers/resolv-conf.js";
import { mapStringToSource } from "../src/parsers/string-map.js";
import { parseYamlDocument, splitYamlDocuments, yamlRange, yamlScalarAt, type PathSegment } from "../src/parsers/yaml.js";
import {
  corpusTexts, expectFindingsInsideFiles, expectRangeInside, expectWellBehaved, fcOptions, HAS_CORPUS, mutate, mutationArb, NASTY, runCli, waitForCli,
} from "./helpers-fuzz.js";

// No test here races the clock: the parsers run in this process, where a hang cannot be interrupted
// anyway (it stalls the file until vitest's hang guard, minutes); how fast they go on these shapes
// is bench/'s business. Through the CLI, helpers-fuzz.ts's runCli has a hang guard.

// The corpus texts are read on first use, inside a test body: never at collection (a clone has no ../shared).
let corpusCache: ReturnType<typeof corpusTexts> | undefined;
const corpus = () => (corpusCache ??= corpusTexts());
const realCorpus = () => corpus().filter((c) => c.name.startsWith("real/"));
if (!HAS_CORPUS) console.warn("note: ../shared/corpus is missing (a clone has no ../shared): the fuzz tests that mutate corpus files are skipped");
const byExt = (re: RegExp) => corpus().filter((c) => re.test(c.name));
const corpusArb = (list: { name: string; text: string }[]) => fc.constantFrom(...list);

/** Text built from a format's own structure characters, so random input reaches deep parser states. */
const tokenSoup = (alphabet: readonly string[], maxLength = 60) => fc.array(fc.constantFrom(...alphabet), { maxLength }).map((a) => a.join(""));

// ---------------------------------------------------------------------------------------------
// JSON

function checkJsonNode(root: JsonNode, n: number): void {
  const work: JsonNode[] = [root];
  for (let node = work.pop(); node; node = work.pop()) {
    expectRangeInside(node.start, node.end, n, `json ${node.type}`);
    if (node.type === "object") {
      for (const p of node.properties) {
        expectRangeInside(p.keyStart, p.keyEnd, n, "json key");
        expect(p.keyEnd).toBeLessThanOrEqual(p.value.start);
        work.push(p.value);
      }
    } else if (node.type === "array") work.push(...node.items);
  }
}

function checkJson(text: string): void {
  const r = parseJson(text);
  if (r.error) {
    expect(r.value).toBeNull();
    expect(r.error.offset).toBeGreaterThanOrEqual(0);
    expect(r.error.offset).toBeLessThanOrEqual(text.length);
    expect(new LineIndex(text).position(r.error.offset)).toEqual({ line: r.error.line, column: r.error.column });
  } else {
    checkJsonNode(r.value!, text.length);
    toPlain(r.value!);
  }
}

describe("parseJson", () => {
  it("agrees with JSON.parse on valid JSON and keeps every node inside the text", () => {
    fc.assert(
      fc.property(fc.json({ depthSize: "medium" }), fc.constantFrom("", " ", "\n", "\t\r\n"), (json, ws) => {
        const text = ws + json + ws;
        const r = parseJson(text);
        expect(r.error).toBeNull();
        checkJsonNode(r.value!, text.length);
        expect(toPlain(r.value!)).toEqual(JSON.parse(text));
      }),
      fcOptions(300),
    );
  });
  it("never throws on random text, and reports errors inside the text", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 200 }), checkJson), fcOptions(500));
    fc.assert(fc.property(tokenSoup(['{', '}', '[', ']', '"a"', '"', ':', ',', '1', '-', '.', 'e', 'true', 'nul', ' ', '\n', '\\', '\\u', 'd83d', '\ud800', '\ufeff']), checkJson), fcOptions(500));
  });
  it.skipIf(!HAS_CORPUS)("never throws on mutations of the corpus JSON files", () => {
    fc.assert(fc.property(corpusArb(byExt(/\.(json|conf|conflist)$|cni-loading\//)), mutationArb, (c, m) => checkJson(mutate(c.text, m))), fcOptions(300));
  });
  it("stops at the value budget with a position inside the text", () => {
    const r = parseJson("[" + "1,".repeat(99) + "1]", { maxValues: 50 });
    expect(r.error?.message).toMatch(/too large to check: more than 50 JSON values/);
    expect(r.error?.offset).toBe(1 + 49 * 2);
    expect(parseJson("[" + "1,".repeat(99) + "1]").error).toBeNull();
  });
  it("handles nesting far past Go's limit without recursion", () => {
    const deep = "[".repeat(200_000) + "]".repeat(200_000);
    const r = parseJson(deep);
    expect(r.error?.message).toMatch(/exceeded max depth/);
    expect(r.error?.offset).toBe(10_000);
  });
});

// ---------------------------------------------------------------------------------------------
// YAML

/** Paths to every node of a plain value (bounded), for yamlRange. */
function valuePaths(value: unknown, limit = 60): PathSegment[][] {
  const out: PathSegment[][] = [];
  const work: [unknown, PathSegment[]][] = [[value, []]];
  while (work.length && out.length < limit) {
    const [v, p] = work.pop()!;
    out.push(p);
    if (Array.isArray(v)) v.forEach((x, i) => work.push([x, [...p, i]]));
    else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) work.push([x, [...p, k]]);
  }
  return out;
}

function checkYaml(text: string): void {
  const slices = splitYamlDocuments(text);
  let prevEnd = 0;
  for (const s of slices) {
    expectRangeInside(s.start, s.end, text.length, "yaml slice");
    expect(s.start).toBeGreaterThanOrEqual(prevEnd);
    expect(s.start).toBeLessThan(s.end);
    prevEnd = s.end;
    const parsed = parseYamlDocument(text, s);
    for (const e of parsed.errors) {
      expectRangeInside(e.offset, e.endOffset, text.length, `yaml error "${e.message}"`);
      expect(e.message).not.toMatch(/call stack/i);
    }
    if (parsed.errors.length) continue;
    for (const p of valuePaths(parsed.value)) {
      for (const part of ["value", "key"] as const) {
        const r = yamlRange(parsed, p, part);
        if (r) expectRangeInside(r[0], r[1], text.length, `yamlRange ${JSON.stringify(p)}`);
      }
      const sc = yamlScalarAt(parsed, p);
      if (sc) {
        expectRangeInside(sc.start, sc.end, text.length, "yamlScalarAt");
        checkStringMap(text, sc.start, sc.end, sc.type, sc.value);
      }
    }
  }
}

describe("YAML: splitYamlDocuments and parseYamlDocument", () => {
  it("never throw on random text; slices, errors and node ranges lie inside the text", () => {
    fc.assert(
      fc.property(
        tokenSoup(["a", "b: ", "- ", "  ", "\n", "---", "...", "\r\n", "{", "}", "[", "]", ",", ": ", "&x ", "*x", "!!str ", "!t ", "<<: ", "|", ">-", "'", '"', "\\", "#", "%YAML 1.2", "\t", "\ufeff", "?", "\0"], 80),
        checkYaml,
      ),
      fcOptions(500),
    );
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 200 }), checkYaml), fcOptions(300));
  });
  it.skipIf(!HAS_CORPUS)("never throw on mutations of the corpus YAML files", () => {
    fc.assert(fc.property(corpusArb(byExt(/\.(ya?ml)$/)), mutationArb, (c, m) => checkYaml(mutate(c.text, m))), fcOptions(100));
  });
  it("round-trip: what the yaml library writes comes back as the same value", () => {
    fc.assert(
      fc.property(fc.jsonValue({ depthSize: "small" }), (v) => {
        const value = JSON.parse(JSON.stringify(v)) as unknown;
        const text = yamlStringify(value, { version: "1.1" });
        const [slice] = splitYamlDocuments(text);
        if (!slice) return;
        const parsed = parseYamlDocument(text, slice);
        expect(parsed.errors).toEqual([]);
        expect(parsed.value).toEqual(yamlParse(text, { version: "1.1" }));
      }),
      fcOptions(200),
    );
  });
  it("deep nesting is an error with a position, not a stack overflow", () => {
    for (const text of ["a: " + "[".repeat(100_000) + "]".repeat(100_000), "a: " + "{b: ".repeat(50_000) + "1" + "}".repeat(50_000), "- ".repeat(100_000) + "x"]) {
      const [slice] = splitYamlDocuments(text);
      const parsed = parseYamlDocument(text, slice!);
      expect(parsed.errors[0]?.message).toMatch(/nesting too deep/);
      expectRangeInside(parsed.errors[0]!.offset, parsed.errors[0]!.endOffset, text.length);
    }
  });
  it("the node budget counts the documents of one file together, and starts again for the next parse", () => {
    const doc = (n: number) => "---\n" + Array.from({ length: n }, (_, i) => `k${i}: v${i}`).join("\n") + "\n";
    const text = doc(30) + doc(30) + doc(30);
    // One budget per file, as the loader makes it; a new parse of the file starts a new budget.
    const parse = () => {
      const fileBudget = { nodes: 0 };
      return splitYamlDocuments(text).map((s) => parseYamlDocument(text, s, { maxNodesPerFile: 130, fileBudget }).errors[0]?.message ?? "ok");
    };
    expect(parse()).toEqual(["ok", "ok", expect.stringMatching(/too large to check: more than 130 YAML nodes/)]);
    expect(parse()).toEqual(["ok", "ok", expect.stringMatching(/too large/)]);
  });
  it("splits a stream of 500,000 empty documents in linear time (each line is checked once)", () => {
    for (const unit of ["---\n", "# c\n---\n", "%YAML 1.1\n---\n", "...\n"]) {
      const text = unit.repeat(500_000) + "a: 1\n";
      const slices = splitYamlDocuments(text);
      expect(slices).toHaveLength(1);
      // The slice holds the document and at most the empty document right before it.
      const doc = text.slice(slices[0]!.start, slices[0]!.end);
      expect(doc).toMatch(/a: 1\n$/);
      expect(doc.length).toBeLessThan(2 * unit.length + 6);
    }
  });
  it("alias bombs stop at the alias budget", () => {
    let text = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n";
    for (let i = 1; i < 12; i++) text += `a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(", ")}]\n`;
    const parsed = parseYamlDocument(text, splitYamlDocuments(text)[0]!);
    expect(parsed.errors[0]?.message).toMatch(/alias/i);
  });
});

// ---------------------------------------------------------------------------------------------
// String maps (a ConfigMap value's characters back to the file)

function checkStringMap(text: string, start: number, end: number, type: string, value: string): void {
  const m = mapStringToSource(text, start, end, type, value);
  expect(m.offsets.length).toBe(value.length + 1);
  let prev = start;
  for (let i = 0; i <= value.length; i++) {
    const o = m.offsets[i]!;
    if (o < start || o > end) throw new Error(`offset ${o} of character ${i} is outside the scalar [${start}, ${end})`);
    if (m.exact) {
      expect(o).toBeGreaterThanOrEqual(prev);
      prev = o;
      // A character maps onto itself, an escape's backslash, or (for breaks and folds) white space.
      if (i < value.length && !/\s/.test(value[i]!) && text[o] !== value[i] && text[o] !== "\\" && !(type === "QUOTE_SINGLE" && value[i] === "'")) {
        // Astral characters: both halves map to the first unit.
        if (!(value.charCodeAt(i) >= 0xdc00 && value.charCodeAt(i) <= 0xdfff)) throw new Error(`character ${i} (${JSON.stringify(value[i])}) maps to ${JSON.stringify(text[o])}`);
      }
    }
  }
}

describe("mapStringToSource", () => {
  const styles = ["BLOCK_LITERAL", "BLOCK_FOLDED", "QUOTE_DOUBLE", "QUOTE_SINGLE", "PLAIN"] as const;
  const valueArb = fc.oneof(
    fc.string({ maxLength: 80 }),
    fc.string({ unit: "binary", maxLength: 40 }),
    tokenSoup([".:53 {", "\n", "  ", "forward . 1.1.1.1", "}", "#", " ", "\t", "'", '"', "\\", "é", "😀", "\r"], 30),
  );
  it("maps every character of every scalar style inside the scalar, exactly where the decoder agrees", () => {
    fc.assert(
      fc.property(valueArb, fc.constantFrom(...styles), fc.nat({ max: 6 }), (value, style, indent) => {
        const key = " ".repeat(indent) + "k: ";
        const text = "data:\n" + key + yamlStringify(value, { defaultStringType: style, lineWidth: 20, minContentWidth: 0 }).replace(/\n(?=.)/g, "\n" + " ".repeat(indent + 2)) + "x: 1\n";
        const slice = splitYamlDocuments(text)[0];
        if (!slice) return;
        const parsed = parseYamlDocument(text, slice);
        if (parsed.errors.length) return;
        const sc = yamlScalarAt(parsed, ["data", "k"]);
        if (!sc) return;
        checkStringMap(text, sc.start, sc.end, sc.type, sc.value);
      }),
      fcOptions(400),
    );
  });
  it("maps JSON strings exactly", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 60 }), (value) => {
        const text = `{"k": ${JSON.stringify(value)}}`;
        const r = parseJson(text);
        const node = r.value?.type === "object" ? r.value.properties[0]!.value : null;
        if (node?.type !== "string") throw new Error("no string node");
        const m = mapStringToSource(text, node.start, node.end, "JSON", node.value);
        expect(m.exact).toBe(true);
        checkStringMap(text, node.start, node.end, "JSON", node.value);
      }),
      fcOptions(300),
    );
  });
  it("never throws on wrong types, truncated escapes or ranges past the scalar", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 60 }), fc.nat({ max: 70 }), fc.nat({ max: 70 }), fc.constantFrom(...styles, "JSON", "??"), fc.string({ maxLength: 20 }), (text, a, b, type, value) => {
        const start = Math.min(a, b, text.length);
        const end = Math.min(Math.max(a, b), text.length);
        const m = mapStringToSource(text, start, end, type, value);
        expect(m.offsets.length).toBe(value.length + 1);
        for (const o of m.offsets) expectRangeInside(o, o, text.length);
      }),
      fcOptions(500),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Corefile

function checkCorefile(text: string, files?: Record<string, string>): CorefileParseResult {
  const r = parseCorefile(text, { filename: "/etc/coredns/Corefile", files: files ?? {}, onUnknownDirective: "record", onMissingImport: "record" });
  const lines = new LineIndex(text);
  const textOf = (file: string | undefined) => (file === undefined ? text : files?.[file]);
  const checkTok = (t: { offset: number; endOffset: number; line: number; column: number; file?: string }, what: string) => {
    const src = textOf(t.file);
    if (src === undefined) return;
    expectRangeInside(t.offset, t.endOffset, src.length, what);
    if (t.file === undefined) {
      // CoreDNS counts only LF; the column is from the last LF.
      const lf = text.lastIndexOf("\n", t.offset - 1);
      expect(t.column).toBe(t.offset - lf);
      expect(t.line).toBe(text.slice(0, t.offset).split("\n").length);
      expect(lines.position(t.offset).line).toBeGreaterThanOrEqual(1);
    }
  };
  for (const b of r.serverBlocks) {
    for (const t of b.keyTokens) checkTok(t, "key token");
    for (const d of b.directives) for (const t of d.tokens) checkTok(t, `token of ${d.name}`);
  }
  for (const c of r.comments) checkTok(c, "comment");
  if (r.error?.offset !== undefined && r.error.file === "/etc/coredns/Corefile") expectRangeInside(r.error.offset, r.error.endOffset ?? r.error.offset, text.length, "error");
  return r;
}

const COREFILE_SOUP = [
  ".", ":53", ".:53", "example.org", "{", "}", " ", "\n", "\r\n", "\t", "forward", ". 1.1.1.1", "cache 30", "kubernetes", "cluster.local",
  "import", "custom/*.server", "(snip)", "import snip", "{$VAR}", "{%X%}", '"', '"quoted {"', "\\", "#", "# comment", ",", "dns://", "tls://",
  "10.0.0.0/8", "in-addr.arpa", "bind", "view", "\ufeff", "\u00a0", "\0", "unknownplugin", "proxy",
];

describe("parseCorefile and the lexer", () => {
  it("never throw on Corefile-shaped random text; every token, comment and error lies inside its file", () => {
    fc.assert(fc.property(tokenSoup(COREFILE_SOUP, 80), (t) => void checkCorefile(t)), fcOptions(600));
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 200 }), (t) => void checkCorefile(t)), fcOptions(300));
  });
  it("imports over a random virtual file system: cycles, globs, snippets stay bounded", () => {
    const fileArb = fc.dictionary(fc.constantFrom("/etc/coredns/a.server", "/etc/coredns/b.server", "/etc/coredns/custom/c.override", "/etc/coredns/custom/d.server"), tokenSoup([...COREFILE_SOUP, "import /etc/coredns/*.server", "import custom/*", "import a.server", "import /etc/coredns/Corefile"], 20), { maxKeys: 4 });
    fc.assert(fc.property(tokenSoup([...COREFILE_SOUP, "import *.server", "import custom/*.override", "import /etc/coredns/Corefile"], 40), fileArb, (t, files) => void checkCorefile(t, files)), fcOptions(200));
  });
  it.skipIf(!HAS_CORPUS)("never throw on mutations of the corpus Corefiles", () => {
    fc.assert(fc.property(corpusArb(byExt(/Corefile$/)), mutationArb, (c, m) => void checkCorefile(mutate(c.text, m))), fcOptions(300));
  });
  it("lexes random text into tokens inside it, in order", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 200 }), (t) => {
        let prev = 0;
        for (const tok of lexCorefile(t).tokens) {
          expectRangeInside(tok.offset, tok.endOffset, t.length, "lexer token");
          expect(tok.offset).toBeGreaterThanOrEqual(prev);
          prev = tok.endOffset;
        }
      }),
      fcOptions(400),
    );
  });
  it("decodes any bytes; valid UTF-8 exactly as TextDecoder", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.string({ unit: "binary", maxLength: 40 }), (bytes, s) => {
        decodeCorefileBytes(bytes);
        const valid = new TextEncoder().encode(s.replace(/[\ud800-\udfff]/g, "x"));
        expect(decodeCorefileBytes(valid)).toBe(new TextDecoder().decode(valid));
      }),
      fcOptions(400),
    );
  });
  it("substitutes ten thousand distinct {$VAR} in a megabyte token within a work budget", () => {
    let tok = "";
    for (let i = 0; i < 20_000; i++) tok += `{$V${i}}` + "x".repeat(40);
    const r = parseCorefile(`.:53 {\n  forward . ${tok}\n}\n`, { env: { V0: "zero" } });
    expect(r.serverBlocks[0]!.directives[0]!.tokens[2]!.text.startsWith("zero")).toBe(true);
  });
  it("stays bounded on hostile shapes: 100,000 server blocks, a self-importing glob, a multi-megabyte token", () => {
    const blocks = "z.example:53 {\n  forward . 1.1.1.1\n}\n".replace("z", "a") + Array.from({ length: 100_000 }, (_, i) => `z${i}.example:53 {\n  log\n}\n`).join("");
    expect(parseCorefile(blocks).serverBlocks.length).toBe(100_001);
    const files: Record<string, string> = {};
    for (let i = 0; i < 2000; i++) files[`/etc/coredns/custom/k${i}.server`] = `import /etc/coredns/custom/*.server\nz${i}.example {\n  log\n}\n`;
    const r = parseCorefile("import custom/*.server\n", { filename: "/etc/coredns/Corefile", files });
    expect(r.error?.message).toMatch(/import/);
    const long = parseCorefile(`. {\n  forward . ${"1".repeat(3_000_000)}\n}\n`);
    expect(long.serverBlocks[0]!.directives[0]!.tokens[2]!.endOffset).toBe(16 + 3_000_000);
  });
});

// ---------------------------------------------------------------------------------------------
// Flags, env files, systemd units, resolv.conf, line index

describe("flags, env files, systemd drop-ins", () => {
  const soup = tokenSoup(["--", "-", "cluster-dns", "=", "10.96.0.10", " ", "\t", "\n", '"', "'", "\\", "KUBELET_KUBEADM_ARGS=", "export ", "Environment=", "ExecStart=", "#", "\r\n", "--network-plugin=cni", "a"], 60);
  it("splitWords and parseFlags keep every word and value inside the text", () => {
    fc.assert(
      fc.property(fc.oneof(soup, fc.string({ unit: "binary", maxLength: 100 })), fc.nat({ max: 1000 }), (text, base) => {
        const words = splitWords(text, base);
        for (const w of words) {
          expectRangeInside(w.start - base, w.end - base, text.length, "word");
          expect(w.start).toBeLessThan(w.end);
        }
        for (const f of parseFlags(words, new Set(["cluster-dns"]))) {
          expectRangeInside(f.start - base, f.end - base, text.length, "flag");
          expectRangeInside(f.valueStart - base, f.valueEnd - base, text.length, "flag value");
        }
      }),
      fcOptions(500),
    );
  });
  it("joins 200,000 continuation lines of a systemd unit in linear time", () => {
    const unit = "[Service]\nEnvironment=" + "a\\\n".repeat(200_000) + "b\n";
    const [l] = parseSystemdUnit(unit);
    expect(l!.value).toBe("a ".repeat(200_000) + "b");
  });
  it("parseEnvFile and parseSystemdUnit keep values inside the text", () => {
    fc.assert(
      fc.property(fc.oneof(soup, fc.string({ unit: "binary", maxLength: 100 })), (text) => {
        for (const a of parseEnvFile(text)) expectRangeInside(a.valueStart, a.valueEnd, text.length, `env ${a.name}`);
        for (const l of parseSystemdUnit(text)) expectRangeInside(l.valueStart, l.valueStart, text.length, `unit ${l.key}`);
      }),
      fcOptions(500),
    );
  });
});

describe("resolv.conf and line index", () => {
  it("nameserver addresses are exactly the text at their offsets", () => {
    const soup = tokenSoup(["nameserver", " ", "\t", "127.0.0.53", "::1", "\n", "\r\n", "#", ";", "search", "options ndots:5", "domain", "x"], 40);
    fc.assert(
      fc.property(fc.oneof(soup, fc.string({ unit: "binary", maxLength: 100 })), (text) => {
        const conf = parseResolvConf(text);
        looksLikeResolvConf(text);
        for (const ns of conf.nameservers) {
          expectRangeInside(ns.start, ns.end, text.length, "nameserver");
          expect(text.slice(ns.start, ns.end)).toBe(ns.address);
        }
      }),
      fcOptions(500),
    );
  });
  it("LineIndex and eachLine agree on every offset", () => {
    fc.assert(
      fc.property(tokenSoup(["a", "\n", "\r", "\r\n", "é", "😀", " "], 40), (text) => {
        const li = new LineIndex(text);
        for (let o = 0; o <= text.length; o++) {
          const p = li.position(o);
          expect(li.offsetAt(p.line, p.column)).toBe(o);
        }
        let count = 0;
        for (const l of eachLine(text)) {
          count++;
          expectRangeInside(l.start, l.start + l.text.length, text.length, "line");
        }
        expect(count).toBe(text.split("\n").length);
      }),
      fcOptions(300),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// The whole pipeline, in process

describe("the linter on mutated repositories", () => {
  let tmp: string;
  let run = 0;
  beforeAll(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), "knl-fuzz-"));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  /** Where a corpus file goes so that the linter reads it as what it is (a node's conf dir for CNI files). */
  const placeFor = (name: string) => {
    const base = path.basename(name).replace(/[^A-Za-z0-9._-]/g, "_");
    if (/\.(conf|conflist)$/.test(base) || /\/cni-confdir/.test(name)) return `nodes/n1/etc/cni/net.d/${base}`;
    if (/resolv/.test(base)) return `nodes/n1/etc/resolv.conf`;
    return base;
  };

  it.skipIf(!HAS_CORPUS)("never throws, and every finding points inside its file", () => {
    expect(realCorpus().length).toBeGreaterThan(20);
    fc.assert(
      fc.property(fc.array(fc.tuple(corpusArb(corpus()), mutationArb), { minLength: 1, maxLength: 4 }), (picked) => {
        const dir = path.join(tmp, `r${run++}`);
        for (const [c, m] of picked) {
          const file = path.join(dir, placeFor(c.name));
          mkdirSync(path.dirname(file), { recursive: true });
          writeFileSync(file, mutate(c.text, m));
        }
        const r = runLint(["."], { cwd: dir, config: null, rules: { "coredns/no-reload": "warning" } });
        expectFindingsInsideFiles(r.report.results, dir);
        rmSync(dir, { recursive: true, force: true });
      }),
      fcOptions(60),
    );
  });

  it.skipIf(!HAS_CORPUS)("through the built CLI: exit code 0, 1 or 2, no stack trace, JSON report positions inside the files", async () => {
    if (!(await waitForCli())) throw new Error("dist/cli.cjs is missing: npm test builds it first (npm run build)");
    fc.assert(
      fc.property(fc.array(fc.tuple(corpusArb(realCorpus()), mutationArb), { minLength: 2, maxLength: 6 }), (picked) => {
        const dir = path.join(tmp, `cli${run++}`);
        for (const [c, m] of picked) {
          const file = path.join(dir, placeFor(c.name));
          mkdirSync(path.dirname(file), { recursive: true });
          writeFileSync(file, mutate(c.text, m));
        }
        const r = runCli(["--no-config", "--format", "json", "."], { cwd: dir });
        expectWellBehaved(r);
        if (r.code !== 2) expectFindingsInsideFiles((JSON.parse(r.stdout) as { results: Parameters<typeof expectFindingsInsideFiles>[0] }).results, dir);
        rmSync(dir, { recursive: true, force: true });
      }),
      fcOptions(6),
    );
  });

  it("stdin: random and nasty text never throws and points inside the text", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "binary", maxLength: 300 }), tokenSoup([...NASTY, "apiVersion: v1\n", "kind: ConfigMap\n", "data:\n", "  Corefile: |\n", "    .:53 {\n", "      forward . 127.0.0.1\n", "    }\n", "metadata: {name: coredns, namespace: kube-system}\n"], 30)), fc.constantFrom("in.yaml", "Corefile", "x.conflist", "kubeadm-flags.env", "resolv.conf"), (text, name) => {
        const r = runLint(["-"], { cwd: tmp, config: null, stdin: text, stdinFilename: name });
        expectFindingsInsideFiles(r.report.results, tmp, { name, text });
      }),
      fcOptions(150),
    );
  });
});
