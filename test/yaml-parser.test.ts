import { describe, expect, it } from "vitest";
import { parseYamlDocument, splitYamlDocuments, yamlRange } from "../src/parsers/yaml.js";
import { mapStringToSource } from "../src/parsers/string-map.js";
import { yamlScalarAt } from "../src/parsers/yaml.js";

const slices = (t: string) => splitYamlDocuments(t).map((s) => t.slice(s.start, s.end));

describe("splitYamlDocuments", () => {
  it("splits at --- and drops empty documents", () => {
    const t = "a: 1\nb: 2\n---\nc: 3\n---\n# only a comment\n---\nd: 4\n";
    expect(slices(t)).toEqual(["a: 1\nb: 2\n", "---\nc: 3\n", "---\n# only a comment\n---\nd: 4\n"]);
  });
  it("keeps a leading --- and directives with their document", () => {
    const t = "%YAML 1.1\n---\nkind: A\n...\n---\nkind: B\n";
    expect(slices(t)).toEqual(["%YAML 1.1\n---\nkind: A\n...\n", "---\nkind: B\n"]);
  });
  it("does not split at --- inside an indented block scalar", () => {
    const t = "data:\n  x: |\n    ---\n    y\nkind: A\n";
    expect(slices(t)).toEqual([t]);
  });
  it("treats `--- value` as a document with content", () => {
    expect(slices("--- a\n--- b\n")).toEqual(["--- a\n", "--- b\n"]);
  });
});

describe("parseYamlDocument", () => {
  it("reports errors at file offsets and keeps other documents usable", () => {
    const t = "kind: A\n---\nkind: B\nspec: {x: 1\n---\nkind: C\n";
    const docs = splitYamlDocuments(t).map((s) => parseYamlDocument(t, s));
    expect(docs.map((d) => d.errors.length > 0)).toEqual([false, true, false]);
    expect(docs[2]!.value).toEqual({ kind: "C" });
    expect(docs[1]!.errors[0]!.offset).toBeGreaterThanOrEqual(t.indexOf("spec"));
  });
  it("accepts duplicate keys (Kubernetes decoders take the last)", () => {
    const t = "a: 1\na: 2\n";
    const [d] = splitYamlDocuments(t).map((s) => parseYamlDocument(t, s));
    expect(d!.errors).toEqual([]);
    expect(d!.value).toEqual({ a: 2 });
  });
  it("bounds alias expansion", () => {
    const lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 12; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [*${String.fromCharCode(96 + i)}, *${String.fromCharCode(96 + i)}, *${String.fromCharCode(96 + i)}, *${String.fromCharCode(96 + i)}, *${String.fromCharCode(96 + i)}]`);
    const t = lines.join("\n") + "\n";
    const [d] = splitYamlDocuments(t).map((s) => parseYamlDocument(t, s));
    expect(d!.errors.length).toBeGreaterThan(0);
    expect(d!.value).toBeNull();
  });
  it("locates values and keys by path", () => {
    const t = "---\nmetadata:\n  name: coredns\nspec:\n  ports:\n  - port: 53\n";
    const [d] = splitYamlDocuments(t).map((s) => parseYamlDocument(t, s));
    const r = yamlRange(d!, ["spec", "ports", 0, "port"])!;
    expect(t.slice(r[0], r[1])).toBe("53");
    const k = yamlRange(d!, ["metadata", "name"], "key")!;
    expect(t.slice(k[0], k[1])).toBe("name");
  });
});

describe("mapStringToSource", () => {
  const check = (t: string, path: string[]) => {
    const [d] = splitYamlDocuments(t).map((s) => parseYamlDocument(t, s));
    const s = yamlScalarAt(d!, path)!;
    const m = mapStringToSource(t, s.start, s.end, s.type, s.value);
    return { ...m, value: s.value };
  };
  it("maps every character of a literal block scalar to its place in the file", () => {
    const t = "data:\n  Corefile: |\n    .:53 {\n        forward . 8.8.8.8\n    }\n";
    const m = check(t, ["data", "Corefile"]);
    expect(m.exact).toBe(true);
    const at = m.value.indexOf("forward");
    expect(t.slice(m.offsets[at]!, m.offsets[at]! + 7)).toBe("forward");
    for (let i = 0; i < m.value.length; i++) if (m.value[i] !== "\n") expect(t[m.offsets[i]!]).toBe(m.value[i]);
  });
  it("handles blank lines, keep/strip chomping and CRLF", () => {
    for (const t of ["k: |-\n  a\n\n  b\n", "k: |+\n  a\n\n", "k: |\r\n  a\r\n  b\r\n"]) {
      const m = check(t, ["k"]);
      expect(m.exact).toBe(true);
      for (let i = 0; i < m.value.length; i++) if (m.value[i] !== "\n") expect(t[m.offsets[i]!]).toBe(m.value[i]);
    }
  });
  it("maps double-quoted strings with escapes", () => {
    const t = 'k: "a\\nforward . 1.1.1.1\\t}"\n';
    const m = check(t, ["k"]);
    expect(m.exact).toBe(true);
    const at = m.value.indexOf("forward");
    expect(t.slice(m.offsets[at]!, m.offsets[at]! + 7)).toBe("forward");
  });
  it("falls back to the scalar start when it cannot decode exactly", () => {
    const m = mapStringToSource("k: x\n", 3, 4, "PLAIN", "something else");
    expect(m.exact).toBe(false);
    expect([...m.offsets].every((o) => o === 3)).toBe(true);
  });
});
