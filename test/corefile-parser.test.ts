// Conformance test against shared/corpus/corefile-parser (upstream caddyfile tests restated,
// derived parser cases, CoreDNS key normalisation, and setup cases that must at least parse).

import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import {
  COREDNS_DIRECTIVES,
  lexCorefile,
  normalizeServerKey,
  parseCorefile,
  type CorefileParseResult,
} from "../src/parsers/corefile/index.js";
import { eachCase, haveShared, sharedPath } from "./helpers/shared.js";

const CASES = "corpus/corefile-parser/cases.json";
const exists = haveShared(CASES, "the corefile parser suite is");

type Json = string | Json[];
interface ParserCase {
  name: string;
  layer: "lexer" | "parser" | "coredns-keys" | "coredns-setup";
  origin: string;
  input: string;
  env?: Record<string, string>;
  files?: Record<string, string | null>;
  parserOptions?: { maxSnippetExpansions: number; maxFileExpansions: number };
  validDirectives?: string;
  expect: {
    tokens?: { line: number; text: string }[];
    serverBlocks?: { keys: string[]; directives: Record<string, string[]> }[];
    jsonBody?: { keys: string[]; body: Json[] }[];
    warnings?: string[];
    error?: boolean;
    errorContains?: string;
    message?: string;
    zoneAddrs?: { transport: string; zone: string; port: string; canonical: string }[];
    orderSignificant?: boolean;
    ok?: boolean;
  };
}

interface Corpus {
  virtualRoot: string;
  rootFileName: string;
  defaultParserOptions: { maxSnippetExpansions: number; maxFileExpansions: number };
  directiveSets: Record<string, string[]>;
  cases: ParserCase[];
}
/** Read in beforeAll of the suite (never at collection: a clone has no ../shared). */
let corpus: Corpus;

function run(c: ParserCase): CorefileParseResult {
  const opts = c.parserOptions ?? corpus.defaultParserOptions;
  return parseCorefile(c.input, {
    filename: corpus.rootFileName,
    cwd: corpus.virtualRoot,
    env: c.env ?? {},
    files: c.files ?? {},
    validDirectives: c.validDirectives ? corpus.directiveSets[c.validDirectives]! : null,
    maxSnippetExpansions: opts.maxSnippetExpansions,
    maxFileExpansions: opts.maxFileExpansions,
  });
}

/** caddyfile json_test.go's nested body: lines of args, a nested block is an array of lines. */
function jsonBody(r: CorefileParseResult, bi: number): Json[] {
  const body: Json[] = [];
  for (const d of r.serverBlocks[bi]!.directives) {
    const toks = d.tokens;
    let i = 0;
    const readLines = (): Json[] => {
      const lines: Json[] = [];
      let line: Json[] | null = null;
      let lastLine = -1;
      while (i < toks.length) {
        const t = toks[i]!;
        if (t.text === "}") {
          i++;
          break;
        }
        if (line === null || t.line !== lastLine) {
          line = [];
          lines.push(line);
        }
        lastLine = t.line;
        i++;
        if (t.text === "{") {
          line.push(readLines());
        } else {
          line.push(t.text);
        }
      }
      return lines;
    };
    const first: Json[] = [];
    let lastLine = toks[0]!.line;
    while (i < toks.length) {
      const t = toks[i]!;
      if (t.line !== lastLine && t.text !== "{") break;
      lastLine = t.line;
      i++;
      if (t.text === "{") first.push(readLines());
      else first.push(t.text);
    }
    body.push(first);
  }
  return body;
}

describe.skipIf(!exists)("corefile parser corpus", () => {
  beforeAll(() => {
    corpus = JSON.parse(readFileSync(sharedPath(CASES), "utf8")) as Corpus;
  });

  it("COREDNS_DIRECTIVES equals the corpus's coredns-v1.14.7 set, in order", () => {
    expect([...COREDNS_DIRECTIVES]).toEqual(corpus.directiveSets["coredns-v1.14.7"]);
  });

  it("every case: lexer tokens, parser blocks and errors, CoreDNS keys, setup inputs that parse", () => {
    eachCase(corpus.cases, (c) => `${c.layer}: ${c.name}`, (c) => {
      const e = c.expect;
      switch (c.layer) {
        case "lexer": {
          const toks = lexCorefile(c.input).tokens.map((t) => ({ line: t.line, text: t.text }));
          expect(toks).toEqual(e.tokens);
          return;
        }
        case "parser": {
          const r = run(c);
          if (e.error) {
            expect(r.error, "expected a parse error").not.toBeNull();
            expect(r.error!.kind).not.toBe("keys");
            expect(r.error!.message).toContain(e.errorContains);
            expect(r.error!.message).toBe(e.message);
            return;
          }
          if (r.error !== null) expect(r.error.kind, r.error.message).toBe("keys");
          expect(r.serverBlocks.map((b) => b.keys)).toEqual(e.serverBlocks!.map((b) => b.keys));
          e.serverBlocks!.forEach((b, bi) => {
            const got: Record<string, string[]> = {};
            for (const d of r.serverBlocks[bi]!.directives) {
              const list = (got[d.name] ??= []);
              d.tokens.forEach((t, i) => list.push(i === 0 ? (t.raw ?? t.text) : t.text));
            }
            expect(got).toEqual(b.directives);
          });
          expect(r.warnings.map((w) => w.message.replace(/^\[WARNING\] /, ""))).toEqual(e.warnings ?? []);
          if (e.jsonBody) {
            e.jsonBody.forEach((jb, bi) => {
              expect(r.serverBlocks[bi]!.keys).toEqual(jb.keys);
              expect(jsonBody(r, bi)).toEqual(jb.body);
            });
          }
          return;
        }
        case "coredns-keys": {
          const r = normalizeServerKey(c.input);
          if (e.error) {
            expect("error" in r, JSON.stringify(r)).toBe(true);
            if ("error" in r) expect(r.error).toContain(e.errorContains);
            return;
          }
          expect("zones" in r, JSON.stringify(r)).toBe(true);
          if (!("zones" in r)) return;
          const got = r.zones.map((z) => ({ transport: z.transport, zone: z.zone, port: z.portText, canonical: z.canonical }));
          const want = e.zoneAddrs!;
          if (e.orderSignificant === false) {
            const key = (z: { canonical: string }): string => z.canonical;
            expect([...got].sort((a, b) => key(a).localeCompare(key(b)))).toEqual([...want].sort((a, b) => key(a).localeCompare(key(b))));
          } else {
            expect(got).toEqual(want);
          }
          for (const z of r.zones) expect(z.port).toBe(Number(z.portText));
          return;
        }
        case "coredns-setup": {
          // Plugin validation belongs to a later rule pack: here the input must parse. Duplicate
          // zone/port errors are CoreDNS key checks, which this parser reports as kind "keys".
          const r = run(c);
          if (r.error !== null) {
            expect(r.error.kind, r.error.message).toBe("keys");
            expect(r.error.message).toContain(e.errorContains);
          }
          return;
        }
      }
    });
  });
});
