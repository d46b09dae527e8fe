/**
 * A JSON parser that accepts exactly what Go's `encoding/json` accepts (RFC 8259, plus Go's
 * nesting limit of 10000) and keeps exact UTF-16 offsets for every node.
 *
 * - Single pass, hand-written scanner over char codes; no regular expressions.
 * - Iterative: an explicit stack instead of recursion, so deep input never overflows the JS stack.
 * - Errors are returned, never thrown, with Go-style messages
 *   ("invalid character '/' looking for beginning of value", "unexpected end of JSON input").
 *
 * Go specifics mirrored here:
 * - whitespace is only space, tab, CR and LF (a BOM outside a string is an invalid character);
 * - no comments, trailing commas, single quotes, NaN/Infinity, leading zeros or `+` signs;
 * - control characters (< U+0020) inside strings are rejected, DEL and U+2028 are not;
 * - a lone surrogate `\uXXXX` escape (or a raw lone surrogate in the JS string) decodes to U+FFFD;
 * - more than 10000 nested arrays/objects is an error ("exceeded max depth").
 *
 * One limit is kube-netlint's own: more than MAX_JSON_VALUES values in one text is an error (memory).
 */

export interface JsonObject {
  type: "object";
  start: number;
  end: number;
  /** Every member in document order; duplicate keys are kept. */
  properties: JsonProperty[];
}
export interface JsonProperty {
  key: string;
  /** Offsets of the key token including its quotes. */
  keyStart: number;
  keyEnd: number;
  value: JsonNode;
}
export interface JsonArray {
  type: "array";
  start: number;
  end: number;
  items: JsonNode[];
}
export interface JsonString {
  type: "string";
  start: number;
  end: number;
  value: string;
}
export interface JsonNumber {
  type: "number";
  start: number;
  end: number;
  /** `Number(raw)`; may be ±Infinity for literals out of float64 range (Go's syntax accepts them). */
  value: number;
  raw: string;
}
export interface JsonBoolean {
  type: "boolean";
  start: number;
  end: number;
  value: boolean;
}
export interface JsonNull {
  type: "null";
  start: number;
  end: number;
  value: null;
}
export type JsonNode = JsonObject | JsonArray | JsonString | JsonNumber | JsonBoolean | JsonNull;

export interface JsonError {
  message: string;
  /** UTF-16 offset of the offending character (text.length for "unexpected end of JSON input"). */
  offset: number;
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units. */
  column: number;
}

export interface JsonParseResult {
  value: JsonNode | null;
  error: JsonError | null;
}

/** Go's encoding/json scanner limit (maxNestingDepth). */
export const MAX_NESTING_DEPTH = 10000;

/**
 * kube-netlint's own limit, not Go's: values in one text. A value with its position costs about
 * 130 bytes once converted, so 3,000,000 stay well under the 1 GiB the tool promises, where a 20 MiB
 * file of `0,0,0,...` would hold ten million. Real CNI configs hold hundreds.
 */
export const MAX_JSON_VALUES = 3_000_000;

// Char codes.
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const PLUS = 0x2b;
const COMMA = 0x2c;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const COLON = 0x3a;
const LBRACKET = 0x5b;
const BACKSLASH = 0x5c;
const RBRACKET = 0x5d;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LOWER_E = 0x65;
const UPPER_E = 0x45;

class SyntaxFailure {
  constructor(
    readonly message: string,
    readonly offset: number,
  ) {}
}

/** Go's `quoteChar` applied to the first UTF-8 byte of the character at `offset`. */
function describeChar(text: string, offset: number): string {
  const cp = text.codePointAt(offset) ?? 0;
  let byte: number;
  if (cp < 0x80) byte = cp;
  else if (cp < 0x800) byte = 0xc0 | (cp >> 6);
  else if (cp < 0x10000) byte = cp >= 0xd800 && cp <= 0xdfff ? 0xef /* U+FFFD */ : 0xe0 | (cp >> 12);
  else byte = 0xf0 | (cp >> 18);
  return goQuoteChar(byte);
}

function goQuoteChar(c: number): string {
  if (c === 0x27) return "'\\''";
  if (c === 0x22) return "'\"'";
  switch (c) {
    case 0x07:
      return "'\\a'";
    case 0x08:
      return "'\\b'";
    case 0x0c:
      return "'\\f'";
    case 0x0a:
      return "'\\n'";
    case 0x0d:
      return "'\\r'";
    case 0x09:
      return "'\\t'";
    case 0x0b:
      return "'\\v'";
    case 0x5c:
      return "'\\\\'";
  }
  if (c < 0x20 || c === 0x7f) return `'\\x${c.toString(16).padStart(2, "0")}'`;
  if ((c >= 0x80 && c <= 0xa0) || c === 0xad) return `'\\u00${c.toString(16).padStart(2, "0")}'`;
  return `'${String.fromCharCode(c)}'`;
}

function hexVal(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

type Frame =
  | { kind: "object"; node: JsonObject; key: string; keyStart: number; keyEnd: number }
  | { kind: "array"; node: JsonArray };

class Parser {
  private readonly n: number;
  private values = 0;
  constructor(
    private readonly text: string,
    private readonly maxValues: number,
  ) {
    this.n = text.length;
  }

  private fail(offset: number, context: string): never {
    if (offset >= this.n) throw new SyntaxFailure("unexpected end of JSON input", this.n);
    throw new SyntaxFailure(`invalid character ${describeChar(this.text, offset)} ${context}`, offset);
  }

  private ws(i: number): number {
    const t = this.text;
    const n = this.n;
    while (i < n) {
      const c = t.charCodeAt(i);
      if (c !== SPACE && c !== LF && c !== CR && c !== TAB) break;
      i++;
    }
    return i;
  }

  parse(): JsonNode {
    const t = this.text;
    const n = this.n;
    const stack: Frame[] = [];
    let i = this.ws(0);
    for (;;) {
      // ---- parse one value starting at i ----
      if (i >= n) this.fail(i, "");
      if (++this.values > this.maxValues) {
        throw new SyntaxFailure(`too large to check: more than ${this.maxValues} JSON values (kube-netlint's memory limit)`, i);
      }
      let node: JsonNode;
      const c = t.charCodeAt(i);
      if (c === LBRACE || c === LBRACKET) {
        if (stack.length + 1 > MAX_NESTING_DEPTH) {
          throw new SyntaxFailure(
            `invalid character ${describeChar(t, i)} exceeded max depth (nesting too deep: more than ${MAX_NESTING_DEPTH} levels)`,
            i,
          );
        }
        const start = i;
        i = this.ws(i + 1);
        if (c === LBRACE) {
          const obj: JsonObject = { type: "object", start, end: -1, properties: [] };
          if (i < n && t.charCodeAt(i) === RBRACE) {
            obj.end = i + 1;
            i++;
            node = obj;
          } else {
            i = this.beginMember(stack, obj, i);
            continue;
          }
        } else {
          const arr: JsonArray = { type: "array", start, end: -1, items: [] };
          if (i < n && t.charCodeAt(i) === RBRACKET) {
            arr.end = i + 1;
            i++;
            node = arr;
          } else {
            stack.push({ kind: "array", node: arr });
            continue;
          }
        }
      } else if (c === QUOTE) {
        const s = this.scanString(i);
        node = { type: "string", start: i, end: s.end, value: s.value };
        i = s.end;
      } else if (c === MINUS || (c >= ZERO && c <= NINE)) {
        const end = this.scanNumber(i);
        const raw = t.slice(i, end);
        node = { type: "number", start: i, end, value: Number(raw), raw };
        i = end;
      } else if (c === 0x74 /* t */) {
        i = this.scanLiteral(i, "true");
        node = { type: "boolean", start: i - 4, end: i, value: true };
      } else if (c === 0x66 /* f */) {
        i = this.scanLiteral(i, "false");
        node = { type: "boolean", start: i - 5, end: i, value: false };
      } else if (c === 0x6e /* n */) {
        i = this.scanLiteral(i, "null");
        node = { type: "null", start: i - 4, end: i, value: null };
      } else {
        this.fail(i, "looking for beginning of value");
      }

      // ---- attach the completed node, closing containers as far as possible ----
      for (;;) {
        const frame = stack[stack.length - 1];
        if (frame === undefined) {
          i = this.ws(i);
          if (i < n) this.fail(i, "after top-level value");
          return node;
        }
        i = this.ws(i);
        if (frame.kind === "object") {
          frame.node.properties.push({ key: frame.key, keyStart: frame.keyStart, keyEnd: frame.keyEnd, value: node });
          if (i >= n) this.fail(i, "");
          const d = t.charCodeAt(i);
          if (d === COMMA) {
            stack.pop();
            i = this.beginMember(stack, frame.node, this.ws(i + 1));
            break;
          }
          if (d === RBRACE) {
            frame.node.end = i + 1;
            i++;
            stack.pop();
            node = frame.node;
            continue;
          }
          this.fail(i, "after object key:value pair");
        } else {
          frame.node.items.push(node);
          if (i >= n) this.fail(i, "");
          const d = t.charCodeAt(i);
          if (d === COMMA) {
            i = this.ws(i + 1);
            break;
          }
          if (d === RBRACKET) {
            frame.node.end = i + 1;
            i++;
            stack.pop();
            node = frame.node;
            continue;
          }
          this.fail(i, "after array element");
        }
      }
    }
  }

  /** At i (whitespace skipped) expect `"key"` `:`; push a frame; return the offset of the value. */
  private beginMember(stack: Frame[], obj: JsonObject, i: number): number {
    const t = this.text;
    if (i >= this.n || t.charCodeAt(i) !== QUOTE) this.fail(i, "looking for beginning of object key string");
    const s = this.scanString(i);
    const keyStart = i;
    i = this.ws(s.end);
    if (i >= this.n || t.charCodeAt(i) !== COLON) this.fail(i, "after object key");
    stack.push({ kind: "object", node: obj, key: s.value, keyStart, keyEnd: s.end });
    return this.ws(i + 1);
  }

  /** i at the opening quote. Returns the decoded value and the offset after the closing quote. */
  private scanString(i: number): { value: string; end: number } {
    const t = this.text;
    const n = this.n;
    let j = i + 1;
    let chunkStart = j;
    let out = "";
    for (;;) {
      if (j >= n) this.fail(j, "");
      const c = t.charCodeAt(j);
      if (c === QUOTE) {
        out += t.slice(chunkStart, j);
        return { value: out, end: j + 1 };
      }
      if (c === BACKSLASH) {
        out += t.slice(chunkStart, j);
        j++;
        if (j >= n) this.fail(j, "");
        const e = t.charCodeAt(j);
        switch (e) {
          case 0x22:
            out += '"';
            j++;
            break;
          case 0x5c:
            out += "\\";
            j++;
            break;
          case 0x2f:
            out += "/";
            j++;
            break;
          case 0x62:
            out += "\b";
            j++;
            break;
          case 0x66:
            out += "\f";
            j++;
            break;
          case 0x6e:
            out += "\n";
            j++;
            break;
          case 0x72:
            out += "\r";
            j++;
            break;
          case 0x74:
            out += "\t";
            j++;
            break;
          case 0x75: {
            const u = this.hex4(j + 1);
            j += 5;
            if (u >= 0xd800 && u <= 0xdfff) {
              // Go: a surrogate must be followed by `\uXXXX` forming a valid pair, else U+FFFD.
              if (
                u < 0xdc00 &&
                j + 1 < n &&
                t.charCodeAt(j) === BACKSLASH &&
                t.charCodeAt(j + 1) === 0x75
              ) {
                const lo = this.hex4Lenient(j + 2);
                if (lo >= 0xdc00 && lo <= 0xdfff) {
                  out += String.fromCharCode(u, lo);
                  j += 6;
                  break;
                }
              }
              out += "\ufffd";
            } else {
              out += String.fromCharCode(u);
            }
            break;
          }
          default:
            this.fail(j, "in string escape code");
        }
        chunkStart = j;
        continue;
      }
      if (c < 0x20) this.fail(j, "in string literal");
      if (c >= 0xd800 && c <= 0xdfff) {
        // Raw surrogates: a valid pair is one astral character; a lone one cannot come from UTF-8.
        const next = j + 1 < n ? t.charCodeAt(j + 1) : 0;
        if (c < 0xdc00 && next >= 0xdc00 && next <= 0xdfff) {
          j += 2;
          continue;
        }
        out += t.slice(chunkStart, j) + "\ufffd";
        j++;
        chunkStart = j;
        continue;
      }
      j++;
    }
  }

  /** Four hex digits at i (validated, Go errors). */
  private hex4(i: number): number {
    let v = 0;
    for (let k = 0; k < 4; k++) {
      if (i + k >= this.n) this.fail(i + k, "");
      const h = hexVal(this.text.charCodeAt(i + k));
      if (h < 0) this.fail(i + k, "in \\u hexadecimal character escape");
      v = (v << 4) | h;
    }
    return v;
  }

  /** Four hex digits at i, or -1 (no error; the main loop validates them later). */
  private hex4Lenient(i: number): number {
    if (i + 4 > this.n) return -1;
    let v = 0;
    for (let k = 0; k < 4; k++) {
      const h = hexVal(this.text.charCodeAt(i + k));
      if (h < 0) return -1;
      v = (v << 4) | h;
    }
    return v;
  }

  private scanNumber(i: number): number {
    const t = this.text;
    const n = this.n;
    let j = i;
    if (t.charCodeAt(j) === MINUS) {
      j++;
      if (j >= n) this.fail(j, "");
    }
    let c = t.charCodeAt(j);
    if (c === ZERO) {
      j++;
    } else if (c > ZERO && c <= NINE) {
      j++;
      while (j < n && (c = t.charCodeAt(j)) >= ZERO && c <= NINE) j++;
    } else {
      this.fail(j, "in numeric literal");
    }
    if (j < n && t.charCodeAt(j) === DOT) {
      j++;
      if (j >= n) this.fail(j, "");
      c = t.charCodeAt(j);
      if (!(c >= ZERO && c <= NINE)) this.fail(j, "after decimal point in numeric literal");
      j++;
      while (j < n && (c = t.charCodeAt(j)) >= ZERO && c <= NINE) j++;
    }
    if (j < n && ((c = t.charCodeAt(j)) === LOWER_E || c === UPPER_E)) {
      j++;
      if (j >= n) this.fail(j, "");
      c = t.charCodeAt(j);
      if (c === PLUS || c === MINUS) {
        j++;
        if (j >= n) this.fail(j, "");
        c = t.charCodeAt(j);
      }
      if (!(c >= ZERO && c <= NINE)) this.fail(j, "in exponent of numeric literal");
      j++;
      while (j < n && (c = t.charCodeAt(j)) >= ZERO && c <= NINE) j++;
    }
    return j;
  }

  private scanLiteral(i: number, word: string): number {
    const t = this.text;
    for (let k = 1; k < word.length; k++) {
      if (i + k >= this.n) this.fail(i + k, "");
      if (t.charCodeAt(i + k) !== word.charCodeAt(k)) {
        this.fail(i + k, `in literal ${word} (expecting '${word[k]}')`);
      }
    }
    return i + word.length;
  }
}

export interface JsonParseOptions {
  /** Values (of any type, containers included) before giving up. Default MAX_JSON_VALUES. */
  maxValues?: number;
}

/** Parse `text` with Go encoding/json rules. Never throws. */
export function parseJson(text: string, options: JsonParseOptions = {}): JsonParseResult {
  try {
    const value = new Parser(text, options.maxValues ?? MAX_JSON_VALUES).parse();
    return { value, error: null };
  } catch (e) {
    if (e instanceof SyntaxFailure) {
      const { line, column } = lineColumnAt(text, e.offset);
      return { value: null, error: { message: e.message, offset: e.offset, line, column } };
    }
    throw e;
  }
}

/** True when `text` is one valid JSON value by Go's rules. */
export function isValidJson(text: string): boolean {
  return parseJson(text).error === null;
}

function setPlain(obj: Record<string, unknown>, key: string, v: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(obj, key, { value: v, enumerable: true, writable: true, configurable: true });
  } else {
    obj[key] = v;
  }
}

/**
 * Convert to a plain JS value. Duplicate keys: the last one wins (Go map semantics).
 * Iterative, so it is safe at any depth the parser accepts.
 */
export function toPlain(node: JsonNode): unknown {
  const container = (n: JsonObject | JsonArray): unknown[] | Record<string, unknown> =>
    n.type === "array" ? [] : {};
  if (node.type !== "object" && node.type !== "array") return node.value;
  const root = container(node);
  const work: [JsonObject | JsonArray, unknown[] | Record<string, unknown>][] = [[node, root]];
  for (let w = work.pop(); w !== undefined; w = work.pop()) {
    const [src, dst] = w;
    const convert = (child: JsonNode): unknown => {
      if (child.type === "object" || child.type === "array") {
        const c = container(child);
        work.push([child, c]);
        return c;
      }
      return child.value;
    };
    if (src.type === "array") {
      const arr = dst as unknown[];
      for (const item of src.items) arr.push(convert(item));
    } else {
      const obj = dst as Record<string, unknown>;
      for (const p of src.properties) {
        if (Object.prototype.hasOwnProperty.call(obj, p.key)) delete obj[p.key];
        setPlain(obj, p.key, convert(p.value));
      }
    }
  }
  return root;
}

export { LineIndex } from "./lines.js";

/**
 * 1-based line/column of a UTF-16 offset, scanning only up to the offset (no index is built).
 * For many lookups in one text, use `LineIndex` (parsers/lines.ts).
 */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  const o = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < o; i++) {
    const c = text.charCodeAt(i);
    if (c === LF) {
      line++;
      lineStart = i + 1;
    } else if (c === CR) {
      if (i + 1 < text.length && text.charCodeAt(i + 1) === LF) {
        if (i + 1 >= o) break; // offset sits on the LF of a CRLF: same line as the CR
        i++;
      }
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: o - lineStart + 1 };
}
