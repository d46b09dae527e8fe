/**
 * The fast YAML path against the yaml library: wherever the fast path gives a value, the library
 * must accept the document without an error and give the same value. Real files, the project's
 * fixtures, hand-picked edge cases and generated (and then damaged) documents.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import fc from "fast-check";
import { Composer, isScalar, Parser, Schema } from "yaml";
import { describe, expect, it } from "vitest";
import { fastYaml } from "../src/parsers/yaml-fast.js";
import { resolveYaml11Plain, UNSURE } from "../src/parsers/yaml11-scalars.js";

const fastYamlValue = (source: string) => fastYaml(source);
import { parseYamlDocument, splitYamlDocuments, yamlRange, yamlScalarAt, type PathSegment } from "../src/parsers/yaml.js";
import { fcOptions } from "./helpers-fuzz.js";
import { ROOT, SHARED } from "./helpers/lint-fixture.js";

/** The library as parseYamlDocument runs it. */
function library(source: string): { errors: number; value?: unknown } {
  const composer = new Composer({ version: "1.1", keepSourceTokens: false, prettyErrors: false, uniqueKeys: false, strict: true });
  const docs = [...composer.compose(new Parser().parse(source), true, source.length)];
  const errors = docs.reduce((n, d) => n + d.errors.length, 0);
  const doc = docs.find((d) => d.contents !== null) ?? docs[0];
  if (errors || !doc) return { errors: errors || 1 };
  return { errors: 0, value: doc.toJS({ maxAliasCount: 1000 }) };
}

/** Every path into a value, and a few that lead nowhere. */
function paths(value: unknown, prefix: PathSegment[] = [], out: PathSegment[][] = []): PathSegment[][] {
  out.push(prefix);
  if (Array.isArray(value)) {
    value.forEach((v, i) => paths(v, [...prefix, i], out));
    out.push([...prefix, value.length], [...prefix, "x"]);
  } else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
    out.push([...prefix, "no such key"], [...prefix, 0]);
  } else out.push([...prefix, "below a scalar"]);
  return out;
}

/**
 * Every document of a text where the fast path gives a value: the library must agree on the value,
 * and on every position parseYamlDocument answers from the fast path's tree. Returns [documents, accepted].
 */
function agree(text: string, where: string): [number, number] {
  let accepted = 0;
  const slices = splitYamlDocuments(text);
  for (const slice of slices) {
    const source = text.slice(slice.start, slice.end);
    const fast = fastYamlValue(source);
    if (!fast) continue;
    accepted++;
    const at = `${where} document ${slice.index}`;
    const lib = library(source);
    expect(lib.errors, `${at}: the library reports an error the fast path missed`).toBe(0);
    expect(isDeepStrictEqual(fast.value, lib.value), `${at}: ${JSON.stringify(fast.value)?.slice(0, 200)} vs ${JSON.stringify(lib.value)?.slice(0, 200)}`).toBe(true);
    const viaFast = parseYamlDocument(text, slice);
    const viaLibrary = parseYamlDocument(text, slice, { fastPath: false });
    expect(viaFast.fast, at).toBeDefined();
    for (const p of paths(lib.value)) {
      for (const part of ["value", "key"] as const) expect(yamlRange(viaFast, p, part), `${at}: ${part} range at ${JSON.stringify(p)}`).toEqual(yamlRange(viaLibrary, p, part));
      expect(yamlScalarAt(viaFast, p), `${at}: scalar at ${JSON.stringify(p)}`).toEqual(yamlScalarAt(viaLibrary, p));
    }
  }
  return [slices.length, accepted];
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(name)) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

describe("fast YAML path on files", () => {
  it("agrees with the library on every document of the fixtures and examples, and takes nearly all of them", () => {
    let docs = 0;
    let accepted = 0;
    for (const f of [...yamlFiles(path.join(ROOT, "fixtures")), ...yamlFiles(path.join(ROOT, "examples"))]) {
      const [d, a] = agree(readFileSync(f, "utf8"), path.relative(ROOT, f));
      docs += d;
      accepted += a;
    }
    expect(docs).toBeGreaterThan(300);
    // Flow collections, block literals, comments and quotes are in the subset; what is left is
    // multi-line scalars, escapes and deliberate syntax errors.
    expect(accepted / docs).toBeGreaterThan(0.9);
  });

  it("takes every document of examples/", () => {
    for (const f of yamlFiles(path.join(ROOT, "examples"))) {
      // A GitHub workflow's `on:` key is a YAML 1.1 boolean: the fast path rightly leaves it to the library.
      if (f.endsWith(path.join("fleet", "github-actions.yml"))) continue;
      const text = readFileSync(f, "utf8");
      for (const s of splitYamlDocuments(text)) expect(fastYamlValue(text.slice(s.start, s.end)), `${path.relative(ROOT, f)} document ${s.index}`).toBeDefined();
    }
  });

  const real = path.join(SHARED, "corpus/real");
  it.skipIf(!existsSync(real))("agrees with the library on every document of corpus/real", () => {
    let docs = 0;
    let accepted = 0;
    for (const f of yamlFiles(real)) {
      const [d, a] = agree(readFileSync(f, "utf8"), path.relative(SHARED, f));
      docs += d;
      accepted += a;
    }
    expect(docs).toBeGreaterThan(200);
    // Left to the library: CRLF files, multi-line descriptions, escapes, deliberate errors.
    expect(accepted / docs).toBeGreaterThan(0.75);
  });
});

describe("fast YAML path on edge cases", () => {
  // [source, does the fast path take it]
  const cases: [string, boolean][] = [
    ["a: 1\n", true],
    ["---\na: 1\n", true],
    ["# c\n--- # c\na: 1\n", true],
    ["--- a: 1\n", false],
    ["%YAML 1.1\n---\na: 1\n", false],
    ["a: 1\n---\nb: 2\n", false],
    ["a: 1\n...\n", false],
    ["a: 1", false],
    ["a: 1\r\n", false],
    ["a:\tb\n", false],
    ["\ufeffa: 1\n", false],
    ["- a\n", false],
    ["  a: 1\n", false],
    ["a: b\n  c\n", false],
    ["a: b\n  # c\n", true],
    ["a: b\n  # c\n  d\n", false],
    ["a: 'x''y' # c\n", true],
    ["a: 'x'#c\n", false],
    ["a: 'x\n  y'\n", false],
    ['a: "x y" # c\n', true],
    ['a: "x\\ty"\n', false],
    ['a: "x\n  y"\n', false],
    ["a: b: c\n", false],
    ["a: b:\n", false],
    ["a: b:c\n", true],
    ["a: http://x:80/y#z\n", true],
    ["a: x #c\n", true],
    ["a: x#c\n", true],
    ["a:b\n", false],
    ["a : 1\n", true],
    ["a  :   1   \n", true],
    ["a b: c d\n", true],
    ["a: -1\n", true],
    ["a: --x=y\n", true],
    ["a: - x\n", false],
    ["a: -\n", false],
    ["a: ?x\n", false],
    ["a: :x\n", false],
    ["a: &x 1\n", false],
    ["a: *x\n", false],
    ["a: !!str 1\n", false],
    ["a: @x\n", false],
    ["a: `x\n", false],
    ["a: %x\n", false],
    ["a: ,x\n", false],
    ["a: >\n  x\n", false],
    ["a: |2\n  x\n", false],
    ["? a\n: b\n", false],
    ["<<: {a: 1}\n", false],
    ["__proto__: 1\n", false],
    ["1: a\n", false],
    ["true: a\n", false],
    ["on: a\n", false],
    ["y: a\n", false],
    ["null: a\n", false],
    ["~: a\n", false],
    ["'a': b\n", false],
    ['"a": b\n', false],
    ["a: 1\na: 2\n", true],
    ["a:\n  b: 1\na: 2\n", true],
    ["a:\n- x\n- y\nb: 1\n", true],
    ["a:\n  - x\n  -   y # c\n", true],
    ["a:\n  - b: 1\n    c: 2\n  - d\n", true],
    ["a:\n  - b:\n    - x\n", true],
    ["a:\n  - b:\n      c: 1\n", true],
    ["a:\n  - - x\n", false],
    ["a:\n  -\n    b: 1\n  -\n", true],
    ["a:\n  - b: 1\n   c: 2\n", false],
    ["a:\n  - b: 1\n     c: 2\n", false],
    ["a:\n    b: 1\n  c: 2\n", false],
    ["a:\n  b: 1\n - c\n", false],
    ["a:\n  b: 1\n  - c\n", false],
    ["a: x\n- c\n", false],
    ["a:\n", true],
    ["a:\nb:\n", true],
    ["a: ~\nb: null\nc: Null\nd: NULL\n", true],
    ["a: yes\nb: No\nc: on\nd: OFF\ne: y\nf: n\ng: True\n", true],
    ["a: 0x1F\nb: 0o17\nc: 017\nd: 0b101\ne: 1_000\nf: 190:20:30\ng: 1.5e3\nh: .inf\ni: -.INF\nj: .NaN\nk: 1.\nl: +12\n", true],
    ["a: 2001-12-14\n", false],
    ["a: 123456789012345678901234567890\n", true],
    ["a: |\n  x\n  y\n", true],
    ["a: |-\n  x\n\n  y\n\n\n", true],
    ["a: |+\n  x\n\n\nb: 1\n", true],
    ["a: |\n\n  x\n", true],
    ["a: |\n    \n  x\n", false],
    ["a: |\n  x\n     \n", false],
    ["a: |\n  x\n    y\n  # not a comment\n# a comment\nb: 1\n", true],
    ["a: |\n  x\n y\n", false],
    ["a: |\nb: 1\n", false],
    ["a: | # c\n  x\n", true],
    ["a: |x\n  y\n", false],
    ["a:\n  - |\n    x\n  - y\n", true],
    ["a:\n  - b: |\n      x\n    c: 1\n", true],
    ["a: []\nb: {}\nc: [ ]\nd: { }\n", true],
    ['a: [x, "y", \'z\', 1, [2, {b: c}], {}]\n', true],
    ["a: {b: c, d: [e, f], g: 1} # c\n", true],
    ["a: [x, ]\n", false],
    ["a: [, x]\n", false],
    ["a: [x,,y]\n", false],
    ["a: [x: y]\n", false],
    ['a: ["x": y]\n', false],
    ["a: {b}\n", false],
    ["a: {b: }\n", false],
    ["a: {b:c}\n", false],
    ['a: {"b": c}\n', false],
    ["a: [x\n  , y]\n", false],
    ["a: [x # c\n  ]\n", false],
    ["a: [x] y\n", false],
    ["a: [a b, c:d, -e, http://x]\n", true],
    ["a: [-]\n", false],
    ["a: [- x]\n", false],
    ["a: [&x y]\n", false],
    ["a: [x]: y\n", false],
    ["a: {b: 1, b: 2}\n", true],
    ["a: {on: 1}\n", false],
    ["a: é ü 漢\n", true],
    ["a: \u0085\n", false],
    ["a: x\u2028y\n", false],
    ["k" + "x".repeat(1100) + ": 1\n", false],
    ["a:\n" + "  ".repeat(1) + "b:\n".padStart(1) + "    c: 1\n", true],
  ];
  for (const [source, taken] of cases) {
    it(`${taken ? "takes" : "leaves to the library"}: ${JSON.stringify(source).slice(0, 70)}`, () => {
      const fast = fastYamlValue(source);
      expect(fast !== undefined).toBe(taken);
      if (fast) {
        const lib = library(source);
        expect(lib.errors).toBe(0);
        expect(fast.value).toStrictEqual(lib.value);
        agree(source, "the case");
      }
    });
  }

  it("gives up on nesting deeper than its limit (the library has its own)", () => {
    let t = "";
    for (let i = 0; i < 150; i++) t += `${"  ".repeat(i)}k:\n`;
    expect(fastYamlValue(t + `${"  ".repeat(150)}v: 1\n`)).toBeUndefined();
    expect(fastYamlValue("a: " + "[".repeat(150) + "]".repeat(150) + "\n")).toBeUndefined();
  });
});

describe("YAML 1.1 plain scalars", () => {
  // The library's resolution: the first default tag whose test matches, as its composer does.
  const tags = (new Schema({ schema: "yaml-1.1" }).tags as { default?: unknown; test?: RegExp; resolve: (s: string, e: () => void, o: object) => unknown }[]).filter((t) => t.default === true && t.test);
  const reference = (s: string): unknown => {
    const tag = tags.find((t) => t.test!.test(s));
    if (!tag) return s;
    const r = tag.resolve(s, () => {}, { intAsBigInt: false });
    const v = isScalar(r) ? r.value : r;
    return v instanceof Date ? UNSURE : v;
  };
  const check = (s: string) => expect(Object.is(resolveYaml11Plain(s), reference(s)) || isDeepStrictEqual(resolveYaml11Plain(s), reference(s)), JSON.stringify(s)).toBe(true);

  it("resolves like the library's yaml-1.1 tags", () => {
    for (const s of ["", "~", "null", "Null", "NULL", "nULL", "y", "Y", "yes", "Yes", "YES", "yEs", "n", "no", "on", "On", "ON", "oN", "off", "true", "True", "TRUE", "tRUE", "false", "0", "-0", "+0", "00", "08", "0_", "0b", "0b1_0", "-0b11", "0x", "0x1F", "-0x_f", "017", "+017", "1_000", "1__", "190:20:30", "-1:30", "1:60", "1:30.5", "1.5e3", "1e3", "e3", "E3", ".e3", "1.", ".", ".5", "-.5", "+.inf", "-.Inf", ".INF", ".nan", ".NaN", "-.nan", "1.0", "123456789012345678901234567890", "2001-12-14", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10", "0.1.2", "1-2", "--1", "+-1", "v1.2", "10.244.0.0/16", "1.1.1.1", "53", "9153", "30s", "true1", "é"]) check(s);
  });

  it("resolves any string of number-like characters like the library", () => {
    const text = fc.string({ unit: fc.constantFrom("0", "1", "7", "8", "9", "a", "b", "x", "o", "e", "E", "f", ".", "_", ":", "-", "+", "~", "n", "N", "u", "l", "y", "T", "t", "r", " ", "Z", "I", "i"), maxLength: 12 });
    fc.assert(
      fc.property(text, (s) => {
        check(s);
      }),
      fcOptions(20_000),
    );
  });
});

describe("fast YAML path on generated documents", () => {
  // Scalars from characters that mean something to YAML somewhere.
  const scalarText = fc.string({ unit: fc.constantFrom("a", "b", "y", "n", "e", "x", "0", "1", "7", ".", "_", "+", "-", ":", "#", " ", "'", '"', "\\", "~", "[", "]", "{", "}", ",", "&", "*", "!", "|", ">", "%", "@", "`", "?", "T", "Z", "é"), minLength: 0, maxLength: 8 });
  const scalar = fc.oneof(
    scalarText,
    fc.constantFrom("yes", "No", "null", "~", "0x1f", "012", "1_0", "1:30", ".5", "1e3", ".inf", "2020-01-02", "-1", "--a=b", "a b", "x: y", "x #y", "http://h:1/p"),
  );
  type Tree = string | Tree[] | { [k: string]: Tree };
  const { tree } = fc.letrec<{ tree: Tree; map: Tree; seq: Tree }>((tie) => ({
    tree: fc.oneof({ depthSize: "small", withCrossShrink: true }, scalar, tie("map"), tie("seq")),
    map: fc.dictionary(fc.oneof(scalarText, fc.constantFrom("a", "b", "name", "k8s-app", "a b")), tie("tree"), { maxKeys: 4 }),
    seq: fc.array(tie("tree"), { maxLength: 4 }),
  }));
  const styles = fc.record({
    indent: fc.constantFrom(1, 2, 4),
    compactSeq: fc.boolean(),
    scalarStyle: fc.array(fc.constantFrom("plain", "single", "double", "literal", "literal-", "literal+", "flow"), { minLength: 1, maxLength: 6 }),
    comments: fc.boolean(),
    blankLines: fc.boolean(),
  });

  function render(value: Tree, st: { indent: number; compactSeq: boolean; scalarStyle: string[]; comments: boolean; blankLines: boolean }): string {
    let n = 0;
    const style = () => st.scalarStyle[n++ % st.scalarStyle.length]!;
    const comment = () => (st.comments && n % 3 === 0 ? " # c" : "");
    const scalarInline = (s: string, col: number): string => {
      switch (style()) {
        case "single":
          return `'${s.replaceAll("'", "''")}'`;
        case "double":
          return `"${s}"`;
        case "literal":
        case "literal-":
        case "literal+": {
          const chomp = ["", "-", "+"][n % 3]!;
          const pad = " ".repeat(col + st.indent);
          return `|${chomp}\n${pad}${s}\n${st.blankLines ? "\n" : ""}${pad}${s}`;
        }
        case "flow":
          return `[${s}, ${s}]`;
        default:
          return s;
      }
    };
    const lines: string[] = [];
    const block = (v: Tree, col: number) => {
      const pad = " ".repeat(col);
      if (Array.isArray(v)) {
        for (const item of v) {
          if (typeof item === "string") lines.push(`${pad}- ${scalarInline(item, col)}${comment()}`);
          else {
            lines.push(`${pad}-${comment()}`);
            block(item, col + st.indent);
          }
        }
      } else if (typeof v === "object") {
        for (const [k, item] of Object.entries(v)) {
          if (st.blankLines && n % 4 === 0) lines.push("");
          if (typeof item === "string") lines.push(`${pad}${k}: ${scalarInline(item, col)}${comment()}`);
          else {
            lines.push(`${pad}${k}:${comment()}`);
            block(item, Array.isArray(item) && st.compactSeq ? col : col + st.indent);
          }
        }
      }
    };
    block(typeof value === "object" && !Array.isArray(value) ? value : { root: value }, 0);
    return lines.join("\n") + "\n";
  }

  it("agrees with the library on generated documents", () => {
    let accepted = 0;
    fc.assert(
      fc.property(tree, styles, (value, st) => {
        const text = render(value, st);
        if (fastYamlValue(text)) accepted++;
        agree(text, JSON.stringify(text));
      }),
      fcOptions(3000),
    );
    // The generator must exercise the fast path, not only its refusals.
    expect(accepted).toBeGreaterThan(300);
  });

  it("agrees with the library on damaged documents: a character inserted, removed or replaced", () => {
    const damage = fc.record({ at: fc.nat(), op: fc.constantFrom("insert", "delete", "replace"), c: fc.constantFrom(" ", "\n", ":", "-", "#", "'", '"', "[", "]", "{", "}", ",", "|", "a", "\t") });
    fc.assert(
      fc.property(tree, styles, fc.array(damage, { minLength: 1, maxLength: 3 }), (value, st, edits) => {
        let text = render(value, st);
        for (const e of edits) {
          const at = e.at % (text.length + 1);
          text = e.op === "insert" ? text.slice(0, at) + e.c + text.slice(at) : e.op === "delete" ? text.slice(0, at) + text.slice(at + 1) : text.slice(0, at) + e.c + text.slice(at + 1);
        }
        agree(text, JSON.stringify(text));
      }),
      fcOptions(4000),
    );
  });
});

describe("parseYamlDocument with the fast path", () => {
  it("gives the library's positions on demand", () => {
    const t = "# head\n---\nmetadata:\n  name: coredns # c\nspec:\n  ports: [{port: 53}]\n  x: |\n    a\n";
    const [slice] = splitYamlDocuments(t);
    const d = parseYamlDocument(t, slice!);
    expect(d.value).toEqual({ metadata: { name: "coredns" }, spec: { ports: [{ port: 53 }], x: "a\n" } });
    expect(d.errors).toEqual([]);
    const r = yamlRange(d, ["spec", "ports", 0, "port"])!;
    expect(t.slice(r[0], r[1])).toBe("53");
    expect(t.slice(...yamlRange(d, ["metadata", "name"], "key")!)).toBe("name");
    expect(d.document?.contents?.range?.[0]).toBe(t.indexOf("metadata") - slice!.start);
  });
});
