// Source positions (offset/endOffset/column/line) of tokens, keys, comments and errors, and
// robustness against hostile input.

import { describe, expect, it } from "vitest";
import { lexCorefile, parseCorefile, type CorefileParseResult, type CorefileToken } from "../src/parsers/corefile/index.js";

function allTokens(r: CorefileParseResult): CorefileToken[] {
  const out: CorefileToken[] = [];
  for (const b of r.serverBlocks) {
    out.push(...b.keyTokens);
    for (const d of b.directives) out.push(...d.tokens);
  }
  return out;
}

/** Independent column computation: UTF-16 units since the last "\n". */
function colOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf("\n", offset - 1) + 1) + 1;
}
function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split("\n").length;
}

function checkSpans(text: string, r: CorefileParseResult): void {
  for (const t of allTokens(r)) {
    if (t.file !== undefined) continue;
    expect(t.line).toBe(lineOf(text, t.offset));
    expect(t.column).toBe(colOf(text, t.offset));
    expect(t.endOffset).toBeGreaterThan(t.offset);
  }
}

describe("corefile token positions", () => {
  it("plain tokens: slice(offset, endOffset) is the token text", () => {
    const text = ".:53 {\n    errors\n    forward . 8.8.8.8 1.1.1.1\n    cache 30 {\n        success 9984\n    }\n}\n";
    const r = parseCorefile(text);
    expect(r.error).toBeNull();
    checkSpans(text, r);
    for (const t of allTokens(r)) expect(text.slice(t.offset, t.endOffset)).toBe(t.text);
    const fwd = r.serverBlocks[0]!.directives.find((d) => d.name === "forward")!;
    expect(fwd.tokens.map((t) => [t.text, t.line, t.column])).toEqual([
      ["forward", 3, 5],
      [".", 3, 13],
      ["8.8.8.8", 3, 15],
      ["1.1.1.1", 3, 23],
    ]);
    expect(r.serverBlocks[0]!.keyTokens[0]).toMatchObject({ text: ".:53", offset: 0, endOffset: 4, line: 1, column: 1 });
  });

  it("quoted and escaped tokens span their quotes", () => {
    const text = '. {\n  nsid "a b" "x\\"y" "C:\\php" ""\n}\n';
    const r = parseCorefile(text);
    expect(r.error).toBeNull();
    const toks = r.serverBlocks[0]!.directives[0]!.tokens;
    expect(toks.map((t) => t.text)).toEqual(["nsid", "a b", 'x"y', "C:\\php", ""]);
    expect(toks.map((t) => text.slice(t.offset, t.endOffset))).toEqual(["nsid", '"a b"', '"x\\"y"', '"C:\\php"', '""']);
    expect(toks.slice(1).every((t) => t.quoted)).toBe(true);
    expect(toks[0]!.quoted).toBeUndefined();
    checkSpans(text, r);
  });

  it("CRLF, lone CR inside a word, and glued # comments", () => {
    const text = ". {\r\n  forward . 8.8.8.8#primary 8.8.4.4 # rest of line\r\n  who\rami\r\n}\r\n";
    const r = parseCorefile(text);
    expect(r.error).toBeNull();
    const [fwd, who] = r.serverBlocks[0]!.directives;
    expect(fwd!.tokens.map((t) => t.text)).toEqual(["forward", ".", "8.8.8.8", "8.8.4.4"]);
    expect(fwd!.tokens.map((t) => text.slice(t.offset, t.endOffset))).toEqual(["forward", ".", "8.8.8.8", "8.8.4.4"]);
    expect(who!.name).toBe("whoami");
    expect(text.slice(who!.tokens[0]!.offset, who!.tokens[0]!.endOffset)).toBe("who\rami");
    expect(r.comments.map((c) => [c.text, c.line, c.column, text.slice(c.offset, c.endOffset)])).toEqual([
      ["#primary", 2, 20, "#primary"],
      ["# rest of line", 2, 37, "# rest of line"],
    ]);
    checkSpans(text, r);
  });

  it("Unicode white space, BOM and astral characters", () => {
    const text = "\ufeff.\u00a0{\n\u3000nsid\u2003\u{1F600}x \"q\u{1F600}\nz\" after\n}";
    const r = parseCorefile(text);
    expect(r.error).toBeNull();
    const kt = r.serverBlocks[0]!.keyTokens[0]!;
    expect(kt).toMatchObject({ text: ".", offset: 1, endOffset: 2, line: 1, column: 2 });
    const toks = r.serverBlocks[0]!.directives[0]!.tokens;
    expect(toks.map((t) => t.text)).toEqual(["nsid", "\u{1F600}x", "q\u{1F600}\nz", "after"]);
    expect(toks.map((t) => text.slice(t.offset, t.endOffset))).toEqual(["nsid", "\u{1F600}x", "\"q\u{1F600}\nz\"", "after"]);
    // "after" is on line 3 but still belongs to nsid (the quoted token spans the line break)
    expect(toks[3]!.line).toBe(3);
    expect(toks[3]!.column).toBe(4);
    checkSpans(text, r);
  });

  it("env substitution keeps source positions and marks the tokens", () => {
    const text = "{$ZONE}:53 {\n  {$DIRECTIVE} . {$UP}\n}\n";
    const r = parseCorefile(text, { env: { ZONE: "example.org", DIRECTIVE: "forward", UP: "8.8.8.8" } });
    expect(r.error).toBeNull();
    const b = r.serverBlocks[0]!;
    expect(b.keys).toEqual(["example.org:53"]);
    expect(b.keyTokens[0]).toMatchObject({ text: "example.org:53", fromEnv: true, raw: "{$ZONE}:53", offset: 0, endOffset: 10 });
    const d = b.directives[0]!;
    expect(d.name).toBe("forward");
    expect(d.tokens.map((t) => [t.text, t.fromEnv ?? false, text.slice(t.offset, t.endOffset)])).toEqual([
      ["forward", true, "{$DIRECTIVE}"],
      [".", false, "."],
      ["8.8.8.8", true, "{$UP}"],
    ]);
    expect(b.zones).toEqual([{ zone: "example.org.", port: 53, portText: "53", transport: "dns", canonical: "dns://example.org.:53" }]);
  });

  it("imported tokens carry their file and positions in that file", () => {
    const inc = "# included\nlog\nerrors stdout\n";
    const text = ". {\n  import custom/*.override\n  whoami\n}\n";
    const r = parseCorefile(text, { filename: "/etc/coredns/Corefile", files: { "custom/a.override": inc } });
    expect(r.error).toBeNull();
    const ds = r.serverBlocks[0]!.directives;
    expect(ds.map((d) => [d.name, d.line, d.file])).toEqual([
      ["log", 2, "/etc/coredns/custom/a.override"],
      ["errors", 3, "/etc/coredns/custom/a.override"],
      ["whoami", 3, undefined],
    ]);
    const e = ds[1]!.tokens[1]!;
    expect(inc.slice(e.offset, e.endOffset)).toBe("stdout");
    expect(r.comments).toContainEqual({ text: "# included", line: 1, column: 1, offset: 0, endOffset: 10, file: "/etc/coredns/custom/a.override" });
    expect(r.imports).toEqual([
      { path: "custom/*.override", line: 2, glob: true, matched: ["/etc/coredns/custom/a.override"], resolved: "/etc/coredns/custom/*.override" },
    ]);
  });

  it("errors carry the position of the offending token", () => {
    const text = ". {\n    proxy . 8.8.8.8\n}\n";
    const r = parseCorefile(text);
    expect(r.error).toMatchObject({ message: "Corefile:2 - Error during parsing: Unknown directive 'proxy'", line: 2, column: 5, kind: "parse" });
    expect(text.slice(r.error!.offset!, r.error!.endOffset!)).toBe("proxy");
  });

  it("key errors point at the key", () => {
    const text = "example.org {\n  whoami\n}\nexample..org {\n  whoami\n}\n";
    const r = parseCorefile(text);
    expect(r.error).toMatchObject({ kind: "keys", line: 4, column: 1, message: "error inspecting server blocks: zone is not a valid domain name: example..org" });
    const dup = parseCorefile(". {\n whoami\n}\n.:53 {\n log\n}\n");
    expect(dup.error).toMatchObject({ kind: "keys", line: 4, message: "cannot serve dns://.:53 - it is already defined" });
  });

  it("onUnknownDirective: record keeps going", () => {
    const r = parseCorefile(". {\n  proxy . 8.8.8.8 {\n    policy least_conn\n  }\n  cache 30\n}\n", { onUnknownDirective: "record" });
    expect(r.error).toBeNull();
    expect(r.serverBlocks[0]!.directives.map((d) => [d.name, d.unknown ?? false, d.tokens.length])).toEqual([
      ["proxy", true, 7],
      ["cache", false, 2],
    ]);
  });

  it("lexer positions agree with a brute-force check over many inputs", () => {
    const pieces = [" ", "\t", "\n", "\r\n", "\r", "a", "bc", "#", '"', "\\", "{", "}", "\u00a0", "\u0085", "\u2028", "é", "\u{1F600}", ",", "$"];
    let seed = 7;
    const rnd = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    for (let n = 0; n < 400; n++) {
      let s = "";
      const len = rnd() % 30;
      for (let i = 0; i < len; i++) s += pieces[rnd() % pieces.length];
      const { tokens, comments } = lexCorefile(s);
      for (const t of tokens) {
        const src = s.slice(t.offset, t.endOffset);
        if (t.quoted) {
          expect(src.startsWith('"')).toBe(true);
        } else {
          expect(src.replace(/\r/g, "")).toBe(t.text);
        }
        expect(t.line).toBe(lineOf(s, t.offset));
        expect(t.column).toBe(colOf(s, t.offset));
      }
      for (const c of comments) {
        expect(s.slice(c.offset, c.endOffset)).toBe(c.text);
        expect(c.text.startsWith("#")).toBe(true);
      }
    }
  });
});

describe("corefile hostile input", () => {
  it("deep nesting does not recurse", () => {
    const depth = 200_000;
    const text = ". {\n  template " + "{\n".repeat(depth) + "}\n".repeat(depth) + "}\n";
    const r = parseCorefile(text, { validDirectives: null });
    expect(r.error).toBeNull();
    expect(r.serverBlocks[0]!.directives[0]!.tokens.length).toBe(2 * depth + 1);
  });

  it("unclosed deep nesting is an EOF error", () => {
    const r = parseCorefile(". {\n  template " + "{\n".repeat(50_000));
    expect(r.error?.message).toMatch(/Error during parsing: Unexpected EOF$/);
  });

  it("file import cycles stop at the cap", () => {
    const r = parseCorefile("import a.conf\n", {
      filename: "/etc/coredns/Corefile",
      files: { "a.conf": "import b.conf\n", "b.conf": "import a.conf\n" },
      maxFileExpansions: 50,
      maxSnippetExpansions: 50,
    });
    expect(r.error?.message).toBe("/etc/coredns/b.conf:1 - Error during parsing: maximum file import depth (50) exceeded");
    expect(r.error?.kind).toBe("import");
  });

  it("snippet cycles stop at the cap", () => {
    const r = parseCorefile("(a) {\n import b\n}\n(b) {\n import a\n}\n. {\n import a\n}\n");
    expect(r.error?.message).toMatch(/maximum snippet import depth \(10000\) exceeded$/);
  });

  it("exponential snippet fan-out is bounded", () => {
    let text = "(s0) {\n  log\n}\n";
    for (let i = 1; i <= 40; i++) text += `(s${i}) {\n  import s${i - 1}\n  import s${i - 1}\n}\n`;
    text += ". {\n  import s40\n}\n";
    const r = parseCorefile(text);
    // CoreDNS's own cap ends it at the 10,000th nested import (line 9, the first `import s0`), not 2^40 expansions.
    expect(r.error?.message).toBe("Corefile:9 - Error during parsing: maximum snippet import depth (10000) exceeded");
    expect(r.serverBlocks).toEqual([]);
  });

  it("huge globs count once and a self-referencing env value does not hang", () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 2000; i++) files[`d/f${i}`] = "log\n";
    const r = parseCorefile(". {\n  import d/*\n}\n", { filename: "/x/Corefile", files });
    expect(r.error).toBeNull();
    expect(r.serverBlocks[0]!.directives.length).toBe(2000);
    const e = parseCorefile(". {\n  nsid {$A}\n}\n", { env: { A: "x{$A}" } });
    expect(e.error).toBeNull();
  });

  it("large snippet expansion is bounded (a cap on expanded tokens, reported at the import that passes it)", () => {
    const body = Array.from({ length: 1000 }, (_, i) => `  nsid a${i}`).join("\n");
    const uses = Array.from({ length: 10_000 }, () => "  import big").join("\n");
    const r = parseCorefile(`(big) {\n${body}\n}\n. {\n${uses}\n}\n`);
    expect(r.error?.kind).toBe("import");
    // Each import expands to 2,000 tokens: the 501st (line 1,504) passes a million.
    expect(r.error?.message).toBe("Corefile:1504 - Error during parsing: imports expand to more than 1000000 tokens");
    expect(r.serverBlocks).toEqual([]);
  });

  it("past the retained-token budget the parse still finds CoreDNS's own error", () => {
    const text = ". {\n    whoami\n    log\n    errors\n}\nimport Corefile\n";
    const r = parseCorefile(text, { filename: "/etc/coredns/Corefile", maxRetainedTokens: 1000 });
    expect(r.error?.message).toBe("/etc/coredns/Corefile:6 - Error during parsing: maximum file import depth (10000) exceeded");
    expect(r.serverBlocks.length).toBeLessThan(1000);
    const big = parseCorefile(". {\n" + "  log\n".repeat(3000) + "}\n", { maxRetainedTokens: 1000 });
    expect(big.error?.message).toMatch(/configuration too large/);
  });

  it("never throws on garbage", () => {
    const junk = ["", "{", "}", "{{}}", "import", "import \"\"", "(", "()", "() {", "(a) {\n import a\n}", "\u0000", "\"", "\\", "import [", "import a\\"];
    for (const j of junk) {
      expect(() => parseCorefile(j)).not.toThrow();
      expect(() => parseCorefile(j + "\n" + j, { files: { a: null } })).not.toThrow();
    }
  });
});
