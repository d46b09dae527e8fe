// Differential test against shared/corpus/corefile-oracle: every case's expected values come
// from CoreDNS's real parser (coredns/caddy caddyfile + CoreDNS key normalisation).

import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { decodeCorefileBytes, parseCorefile, type CorefileParseResult } from "../src/parsers/corefile/index.js";
import { eachCase, haveShared, sharedPath } from "./helpers/shared.js";

const CASES = "corpus/corefile-oracle/cases.json";
const exists = haveShared(CASES, "the corefile oracle suite is");

interface OracleToken {
  text: string;
  line: number;
  file?: string;
}
interface OracleCase {
  name: string;
  category: string;
  input?: string;
  inputBase64?: string;
  env: Record<string, string>;
  files?: Record<string, string | null>;
  oracle: {
    error?: string;
    warnings: string[];
    serverBlocks: { keys: string[]; tokens: Record<string, OracleToken[]> }[];
    defaultInput: boolean;
    inspect?: {
      error?: string;
      blocks?: { keys: string[]; zones: { zone: string; port: string; transport: string }[] }[];
      overlapChecked: boolean;
      overlapError?: string;
      overlapNote?: string;
    };
  };
}

function inputOf(c: OracleCase): string {
  if (c.inputBase64 !== undefined) return decodeCorefileBytes(Buffer.from(c.inputBase64, "base64"));
  return c.input ?? "";
}

/** Group directive occurrences by name, concatenated, the way CoreDNS's ServerBlock.Tokens does. */
function groupTokens(r: CorefileParseResult, bi: number): Record<string, OracleToken[]> {
  const out: Record<string, OracleToken[]> = {};
  for (const d of r.serverBlocks[bi]!.directives) {
    const list = (out[d.name] ??= []);
    d.tokens.forEach((t, i) => {
      // CoreDNS keeps the raw (unsubstituted) text for the directive's name token only.
      const text = i === 0 ? (t.raw ?? t.text) : t.text;
      const o: OracleToken = { text, line: t.line };
      if (t.file !== undefined) o.file = t.file;
      list.push(o);
    });
  }
  return out;
}

describe.skipIf(!exists)("corefile oracle corpus (CoreDNS's own parser)", () => {
  // Read in beforeAll (never at collection: a clone has no ../shared).
  let corpus: { corefilePath: string; cases: OracleCase[] };
  beforeAll(() => {
    corpus = JSON.parse(readFileSync(sharedPath(CASES), "utf8")) as typeof corpus;
  });

  it("has cases", () => {
    expect(corpus.cases.length).toBeGreaterThan(500);
  });

  it("every case gives CoreDNS's tokens, server blocks, warnings and errors", () => {
    eachCase(corpus.cases, (c) => `${c.category}: ${c.name}`, (c) => {
      const r = parseCorefile(inputOf(c), {
        filename: corpus.corefilePath,
        env: c.env,
        files: c.files ?? {},
      });
      const o = c.oracle;
      expect(r.warnings.map((w) => w.message)).toEqual(o.warnings);

      if (o.error !== undefined) {
        expect(r.error, "expected a parse error").not.toBeNull();
        expect(r.error!.kind).not.toBe("keys");
        expect(r.error!.message).toBe(o.error);
        expect(r.defaultInput).toBe(false);
        return;
      }
      if (r.error !== null) expect(r.error.kind, r.error.message).toBe("keys");
      expect(r.defaultInput).toBe(o.defaultInput);
      expect(r.serverBlocks.map((b) => b.keys)).toEqual(o.serverBlocks.map((b) => b.keys));
      o.serverBlocks.forEach((b, bi) => {
        expect(groupTokens(r, bi)).toEqual(b.tokens);
      });

      const ins = o.inspect!;
      if (ins.error !== undefined) {
        expect(r.error?.kind).toBe("keys");
        expect(r.error?.message).toBe(ins.error);
        return;
      }
      const blocks = r.defaultInput
        ? [{ keys: ["dns://.:53"], zones: [{ zone: ".", port: "53", transport: "dns" }] }]
        : r.serverBlocks.map((b) => ({
            keys: b.zones.map((z) => z.canonical),
            zones: b.zones.map((z) => ({ zone: z.zone, port: z.portText, transport: z.transport })),
          }));
      expect(blocks).toEqual(ins.blocks);
      if (ins.overlapError !== undefined) {
        expect(r.error?.kind).toBe("keys");
        expect(r.error?.message).toBe(ins.overlapError);
      } else {
        expect(r.error).toBeNull();
      }
      expect(r.overlapChecked).toBe(ins.overlapNote === undefined);
    });
  });
});
