import { describe, expect, it } from "vitest";
import {
  LineIndex,
  MAX_NESTING_DEPTH,
  isValidJson,
  lineColumnAt,
  parseJson,
  toPlain,
  type JsonNode,
} from "../src/parsers/json.js";

function err(text: string) {
  const r = parseJson(text);
  expect(r.value, `expected an error for ${JSON.stringify(text)}`).toBeNull();
  return r.error!;
}

function ok(text: string): JsonNode {
  const r = parseJson(text);
  expect(r.error, `unexpected error for ${JSON.stringify(text)}`).toBeNull();
  return r.value!;
}

function allNodes(root: JsonNode): JsonNode[] {
  const out: JsonNode[] = [];
  const work = [root];
  for (let n = work.pop(); n; n = work.pop()) {
    out.push(n);
    if (n.type === "array") work.push(...n.items);
    else if (n.type === "object") work.push(...n.properties.map((p) => p.value));
  }
  return out;
}

describe("rejects what Go's encoding/json rejects", () => {
  const cases: [string, string, number][] = [
    // [input, message, offset]
    ["", "unexpected end of JSON input", 0],
    [" \n\t\r ", "unexpected end of JSON input", 5],
    ["\ufeff{}", "invalid character 'ï' looking for beginning of value", 0],
    ['{"a": 1} // c', "invalid character '/' after top-level value", 9],
    ['// c\n{"a": 1}', "invalid character '/' looking for beginning of value", 0],
    ['{/* c */"a": 1}', "invalid character '/' looking for beginning of object key string", 1],
    ['{"a": 1,}', "invalid character '}' looking for beginning of object key string", 8],
    ["[1, 2,]", "invalid character ']' looking for beginning of value", 6],
    ["[1 2]", "invalid character '2' after array element", 3],
    ["{'a': 1}", "invalid character '\\'' looking for beginning of object key string", 1],
    ['{"a": \'b\'}', "invalid character '\\'' looking for beginning of value", 6],
    ["{a: 1}", "invalid character 'a' looking for beginning of object key string", 1],
    ['{"a" 1}', "invalid character '1' after object key", 5],
    ['{"a": 1 "b": 2}', "invalid character '\"' after object key:value pair", 8],
    ["{} {}", "invalid character '{' after top-level value", 3],
    ["1 2", "invalid character '2' after top-level value", 2],
    ["NaN", "invalid character 'N' looking for beginning of value", 0],
    ["Infinity", "invalid character 'I' looking for beginning of value", 0],
    ["-Infinity", "invalid character 'I' in numeric literal", 1],
    ["+1", "invalid character '+' looking for beginning of value", 0],
    ["01", "invalid character '1' after top-level value", 1],
    ["[-01]", "invalid character '1' after array element", 3],
    [".5", "invalid character '.' looking for beginning of value", 0],
    ["1.", "unexpected end of JSON input", 2],
    ["[1.]", "invalid character ']' after decimal point in numeric literal", 3],
    ["[1e]", "invalid character ']' in exponent of numeric literal", 3],
    ["[1e+]", "invalid character ']' in exponent of numeric literal", 4],
    ["0x10", "invalid character 'x' after top-level value", 1],
    ["tru", "unexpected end of JSON input", 3],
    ["trUe", "invalid character 'U' in literal true (expecting 'u')", 2],
    ["nulL", "invalid character 'L' in literal null (expecting 'l')", 3],
    ["True", "invalid character 'T' looking for beginning of value", 0],
    ['"a\nb"', "invalid character '\\n' in string literal", 2],
    ['"a\tb"', "invalid character '\\t' in string literal", 2],
    ['"\u0000"', "invalid character '\\x00' in string literal", 1],
    ['"\\x41"', "invalid character 'x' in string escape code", 2],
    ['"\\\'"', "invalid character '\\'' in string escape code", 2],
    ['"\\u00g0"', "invalid character 'g' in \\u hexadecimal character escape", 5],
    ['"abc', "unexpected end of JSON input", 4],
    ['{"a":', "unexpected end of JSON input", 5],
    ["[", "unexpected end of JSON input", 1],
    ["\u00a0{}", "invalid character 'Â' looking for beginning of value", 0], // first UTF-8 byte C2, as Go reports it
    ["\u2028{}", "invalid character 'â' looking for beginning of value", 0],
    ["\ufffd", "invalid character 'ï' looking for beginning of value", 0],
    ["{\f}", "invalid character '\\f' looking for beginning of object key string", 1],
    ["\u000b1", "invalid character '\\v' looking for beginning of value", 0],
    ["name: x\n", "invalid character 'a' in literal null (expecting 'u')", 1],
  ];
  it.each(cases)("%j", (text, message, offset) => {
    const e = err(text);
    expect(e.message).toBe(message);
    expect(e.offset).toBe(offset);
    expect(isValidJson(text)).toBe(false);
  });
});

describe("accepts what Go accepts", () => {
  it("scalars at the top level and all four whitespace characters", () => {
    expect(toPlain(ok(" \t\r\n1\n"))).toBe(1);
    expect(toPlain(ok('"x"'))).toBe("x");
    expect(toPlain(ok("null"))).toBeNull();
    expect(toPlain(ok("true"))).toBe(true);
    expect(toPlain(ok("-0"))).toBe(-0);
    expect(toPlain(ok("-0.0e-0"))).toBe(-0);
    expect(toPlain(ok("1E+2"))).toBe(100);
  });

  it("keeps numbers' raw text and accepts literals beyond float64 range (Go's syntax does)", () => {
    const n = ok("[1.50, 1e400, 12345678901234567890]");
    expect(n.type === "array" && n.items.map((i) => (i.type === "number" ? [i.raw, i.value] : null))).toEqual([
      ["1.50", 1.5],
      ["1e400", Infinity],
      ["12345678901234567890", 12345678901234567000],
    ]);
  });

  it("decodes escapes, DEL, U+2028 and invalid surrogates like Go", () => {
    expect(toPlain(ok('"\\"\\\\\\/\\b\\f\\n\\r\\t\\u0041\\u00e9"'))).toBe('"\\/\b\f\n\r\tAé');
    expect(toPlain(ok('"\u007f\u2028\ufeff"'))).toBe("\u007f\u2028\ufeff");
    expect(toPlain(ok('"\\ud83d\\ude00"'))).toBe("\u{1F600}");
    expect(toPlain(ok('"\\ud800"'))).toBe("\ufffd");
    expect(toPlain(ok('"\\udc00\\ud800x"'))).toBe("\ufffd\ufffdx");
    expect(toPlain(ok('"\\ud800\\u0041"'))).toBe("\ufffdA");
    expect(toPlain(ok('"\\ud800\\n"'))).toBe("\ufffd\n");
    // raw surrogates in the JS string: a pair is one character, a lone one cannot come from UTF-8
    expect(toPlain(ok('"\u{1F600}"'))).toBe("\u{1F600}");
    expect(toPlain(ok('"a\ud800b"'))).toBe("a\ufffdb");
  });

  it("agrees with JSON.parse on validity for random mutations of JSON", () => {
    const seeds = [
      '{"a": [1, -2.5e3, true, false, null, "x\\n\\u00e9"], "b": {"c": {}}, "d": []}',
      '[{"name": "cbr0", "plugins": [{"type": "flannel", "delegate": {"isDefaultGateway": true}}]}]',
      '"\\ud83d\\ude00 \\t"',
      "  -0.5E+10  ",
    ];
    const alphabet = ['"', "\\", "{", "}", "[", "]", ",", ":", " ", "\n", "1", "0", "-", "+", ".", "e", "E", "t", "n", "u", "/", "'", "\u0001", "\ufeff", "a"];
    let state = 12345;
    const rand = (n: number) => {
      state = (state * 1103515245 + 12345) & 0x7fffffff;
      return state % n;
    };
    let checked = 0;
    for (const seed of seeds) {
      for (let k = 0; k < 2500; k++) {
        let s = seed;
        const edits = 1 + rand(3);
        for (let e = 0; e < edits; e++) {
          const pos = rand(s.length + 1);
          const op = rand(3);
          const ch = alphabet[rand(alphabet.length)]!;
          if (op === 0) s = s.slice(0, pos) + ch + s.slice(pos);
          else if (op === 1) s = s.slice(0, pos) + s.slice(pos + 1);
          else s = s.slice(0, pos) + ch + s.slice(pos + 1);
        }
        let jsOk = true;
        let jsValue: unknown;
        try {
          jsValue = JSON.parse(s);
        } catch {
          jsOk = false;
        }
        const r = parseJson(s);
        expect(r.error === null, `validity of ${JSON.stringify(s)}`).toBe(jsOk);
        if (jsOk && !/\\u[dD][89a-fA-F]/.test(s)) expect(toPlain(r.value!)).toEqual(jsValue);
        if (!jsOk) expect(r.error!.offset).toBeLessThanOrEqual(s.length);
        checked++;
      }
    }
    expect(checked).toBe(10000);
  });
});

describe("positions", () => {
  it("reports 1-based line and UTF-16 column of errors", () => {
    const text = '{\n  "a": 1,\n  "b": [1, 2,],\n}';
    const e = err(text);
    expect(e).toMatchObject({ line: 3, column: 14, message: "invalid character ']' looking for beginning of value" });
    expect(text[e.offset]).toBe("]");
  });

  it("counts columns in UTF-16 code units (astral characters are 2)", () => {
    const e = err('{"\u{1F600}": x}');
    expect(e).toMatchObject({ offset: 7, line: 1, column: 8 });
  });

  it("handles CRLF and lone CR line breaks", () => {
    expect(err('{\r\n"a": 1,\r\n}')).toMatchObject({ line: 3, column: 1 });
    expect(err("[\r1,\r]")).toMatchObject({ line: 3, column: 1 });
    expect(err("[1,\n")).toMatchObject({ message: "unexpected end of JSON input", line: 2, column: 1, offset: 4 });
  });

  it("gives exact offsets for every node and key", () => {
    const text = '  {"a" : [1, {"b\\n": "x\\u0041"}, -2.5e3 ], "c":true,"d" :null , "e":{}}  ';
    const root = ok(text);
    expect(text.slice(root.start, root.end)).toBe(text.trim());
    for (const n of allNodes(root)) {
      const slice = text.slice(n.start, n.end);
      expect(toPlain(n), slice).toEqual(JSON.parse(slice));
      if (n.type === "number") expect(n.raw).toBe(slice);
      if (n.type === "object") {
        for (const p of n.properties) expect(JSON.parse(text.slice(p.keyStart, p.keyEnd))).toBe(p.key);
      }
    }
  });

  it("LineIndex and lineColumnAt agree everywhere, including past the end", () => {
    const text = "ab\ncd\r\nef\rgh\n\n\u{1F600}x";
    const idx = new LineIndex(text);
    for (let o = 0; o <= text.length + 2; o++) expect(idx.position(o), `offset ${o}`).toEqual(lineColumnAt(text, o));
    expect(idx.lineCount).toBe(6);
    expect(idx.position(text.length)).toEqual({ line: 6, column: 4 });
    expect(idx.offsetAt(4, 2)).toBe(11);
  });
});

describe("duplicate keys", () => {
  it("are kept in order in the AST; toPlain keeps the last (Go map semantics)", () => {
    const root = ok('{"a": 1, "b": 2, "a": 3}');
    expect(root.type === "object" && root.properties.map((p) => p.key)).toEqual(["a", "b", "a"]);
    expect(toPlain(root)).toEqual({ a: 3, b: 2 });
  });

  it("treats __proto__ as an ordinary key", () => {
    const plain = toPlain(ok('{"__proto__": {"polluted": true}, "x": 1}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(plain)).toBe(Object.prototype);
    expect(Object.keys(plain)).toEqual(["__proto__", "x"]);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });
});

describe("deep nesting", () => {
  it("returns an error, never a RangeError, for 100,000 open brackets", () => {
    const e = err("[".repeat(100_000));
    expect(e.message).toMatch(/exceeded max depth.*nesting too deep/);
    expect(e.offset).toBe(MAX_NESTING_DEPTH);
  });

  it("rejects 100,000 nested objects and complete but too-deep input", () => {
    expect(err('{"a":'.repeat(100_000)).message).toMatch(/nesting too deep/);
    expect(err("[".repeat(MAX_NESTING_DEPTH + 1) + "]".repeat(MAX_NESTING_DEPTH + 1)).message).toMatch(/nesting too deep/);
    expect(err("[".repeat(MAX_NESTING_DEPTH) + "{}" + "]".repeat(MAX_NESTING_DEPTH)).message).toMatch(/nesting too deep/);
  });

  it("accepts exactly Go's limit of 10000 levels, and toPlain handles it without recursion", () => {
    const text = "[".repeat(MAX_NESTING_DEPTH) + "]".repeat(MAX_NESTING_DEPTH);
    const v = toPlain(ok(text));
    let depth = 0;
    for (let cur: unknown = v; Array.isArray(cur); cur = cur[0]) depth++;
    expect(depth).toBe(MAX_NESTING_DEPTH);
    const objs = '{"a":'.repeat(MAX_NESTING_DEPTH - 1) + "1" + "}".repeat(MAX_NESTING_DEPTH - 1);
    expect(parseJson(objs).error).toBeNull();
  });
});

describe("big input", () => {
  function kubectlDump(items: number): string {
    const list = {
      apiVersion: "v1",
      kind: "List",
      items: Array.from({ length: items }, (_, i) => ({
        apiVersion: "v1",
        kind: "Pod",
        metadata: {
          name: `pod-${i}`,
          namespace: "kube-system",
          labels: { app: "x", "pod-template-hash": "5d8f7c9b4\u00e9" },
          annotations: { "kubectl.kubernetes.io/last-applied-configuration": JSON.stringify({ spec: { i } }) + "\n" },
          uid: `0000-${i}`,
        },
        spec: {
          containers: [{ name: "c", image: "registry/x:1.0", ports: [{ containerPort: 8080, protocol: "TCP" }], resources: { limits: { cpu: 0.5 } } }],
          hostNetwork: i % 2 === 0,
          dnsPolicy: "ClusterFirst",
          nodeName: null,
        },
        status: { podIP: `10.0.${i >> 8}.${i & 255}`, conditions: [{ type: "Ready", status: "True" }] },
      })),
    };
    return JSON.stringify(list, null, 4);
  }

  it("parses a multi-MB kubectl dump exactly (how fast is bench/'s business)", () => {
    const text = kubectlDump(8000);
    expect(text.length).toBeGreaterThan(5_000_000);
    const r = parseJson(text);
    expect(r.error).toBeNull();
    expect(toPlain(r.value!)).toEqual(JSON.parse(text));
    // an error at the very end of a big file still gets the right line/column
    const broken = text.slice(0, -1) + ",}";
    const e = err(broken);
    const lines = broken.split("\n");
    expect(e.line).toBe(lines.length);
    expect(e.column).toBe(lines[lines.length - 1]!.length);
  });

  it("builds a LineIndex for a big file and answers lookups by binary search", () => {
    const text = kubectlDump(2000);
    const idx = new LineIndex(text);
    for (const o of [0, 1, 1000, 123_456, text.length - 1, text.length]) expect(idx.position(o)).toEqual(lineColumnAt(text, o));
  });
});
