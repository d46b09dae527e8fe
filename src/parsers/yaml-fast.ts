/**
 * A fast path for the YAML most manifests are written in: block mappings and sequences of plain,
 * single-line quoted and literal block scalars, `{}` and `[]`, and comments. It yields the value the
 * yaml library's toJS() gives (YAML 1.1 scalars are resolved by the library's own tags) and gives up
 * (returns undefined) on everything else: anchors, aliases, tags, flow collections, folded or
 * multi-line scalars, escapes, complex or non-string keys, tabs, CR, odd indentation, and any shape
 * the library would report as an error. The caller then runs the library; the library also supplies
 * positions, on demand, for the documents that need them.
 *
 * Cold, the library's lexer, CST parser and composer take about 2 ms per KiB, most of a pre-commit
 * run on one file; this scan does the same work in a fraction of it. test/yaml-fast.test.ts holds
 * it to the library on every YAML file of the corpus and the fixtures, and on generated documents.
 */
import { resolveYaml11Plain, UNSURE } from "./yaml11-scalars.js";

export type FastScalarType = "PLAIN" | "QUOTE_SINGLE" | "QUOTE_DOUBLE" | "BLOCK_LITERAL";
/** A scalar with the range the yaml library gives its node: from its first character (quote, `|`) to the end of its value. */
export interface FastScalar {
  kind: "scalar";
  type: FastScalarType;
  start: number;
  end: number;
  value: unknown;
}
/**
 * A mapping: its pairs in source order, duplicates included (the value keeps the last, positions the
 * first, as with the library). A pair's value that is a collection is its node in `values`; a scalar
 * is kept in flat lists (`scalarInfo`, `scalars`) and made a node only when asked for (pairNode): a
 * node object per scalar, kept with the model, was one more object per key for every young-generation
 * collection to copy (300,000 in a configuration of 300,000 keys).
 */
export interface FastMap {
  kind: "map";
  keys: string[];
  /** Start and end of each key, two numbers per pair. */
  keyRanges: number[];
  /** Each pair's value when it is a collection, else undefined. */
  values: (FastMap | FastSeq | undefined)[];
  /** Three numbers per pair: a scalar value's start, end and type (an index of SCALAR_TYPES); -1 as the type for a collection. */
  scalarInfo: number[];
  /** Each pair's scalar value (the pair's own: the mapping's value keeps the last of a repeated key); undefined for a collection. */
  scalars: unknown[];
  value: Record<string, unknown>;
}
export interface FastSeq {
  kind: "seq";
  items: FastNode[];
  value: unknown[];
}
export type FastNode = FastScalar | FastMap | FastSeq;

/** A document marker line (`---` or `...` followed by white space or the end of the line). */
export const DOC_MARKER = /^(?:---|\.\.\.)(?=[ \t\r\n]|$)/;

/** Thrown (and caught in fastYaml) when the input is outside the fast path's subset. */
const GIVE_UP = new Error("outside the fast YAML subset");

/** Nesting beyond this goes to the library, which has its own depth limit. */
export const FAST_YAML_MAX_DEPTH = 100;
/** The library refuses implicit keys longer than this. */
const MAX_KEY_LENGTH = 1024;

const SPACE = 0x20;
const NL = 0x0a;
const HASH = 0x23;
const DASH = 0x2d;
const COLON = 0x3a;
const SQUOTE = 0x27;
const DQUOTE = 0x22;
const PIPE = 0x7c;

/**
 * A node budget for the fast path: it gives up (and the library decides, and reports the limit)
 * once `nodes` passes `max`. It counts every key and every value, block collections included, so
 * never fewer nodes than the library's count (scalars and flow collections) of the same document.
 */
export interface FastNodeBudget {
  max: number;
  nodes: number;
}

/**
 * One YAML document (a slice holding one) whose top level is a block mapping: its value and the
 * positions of its scalars and keys (offsets in `source`), or undefined when the library must decide.
 * With a budget, its nodes are added to budget.nodes (only when the document is taken).
 */
export function fastYaml(source: string, budget?: FastNodeBudget): FastMap | undefined {
  if (source.length === 0 || source.charCodeAt(source.length - 1) !== NL) return undefined;
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (c < SPACE ? c !== NL : c >= 0x7f && (c <= 0x9f || c === 0x2028 || c === 0x2029 || c === 0xfeff || c >= 0xfffe || (c >= 0xd800 && c <= 0xdfff))) return undefined;
  }
  try {
    const parser = new FastParser(source, budget ? budget.max - budget.nodes : Infinity);
    const map = parser.document();
    if (budget) budget.nodes += parser.nodes;
    return map;
  } catch (e) {
    if (e === GIVE_UP) return undefined;
    throw e;
  }
}

function giveUp(): never {
  throw GIVE_UP;
}

function resolvePlain(s: string): unknown {
  const value = resolveYaml11Plain(s);
  if (value === UNSURE) giveUp();
  return value;
}

const SCALAR_TYPES: readonly FastScalarType[] = ["PLAIN", "QUOTE_SINGLE", "QUOTE_DOUBLE", "BLOCK_LITERAL"];

function newMap(): FastMap {
  return { kind: "map", keys: [], keyRanges: [], values: [], scalarInfo: [], scalars: [], value: {} };
}

/** Add a pair to a mapping. */
function addPair(map: FastMap, key: string, keyStart: number, keyEnd: number, node: FastNode): void {
  map.keys.push(key);
  map.keyRanges.push(keyStart, keyEnd);
  if (node.kind === "scalar") {
    map.values.push(undefined);
    map.scalarInfo.push(node.start, node.end, SCALAR_TYPES.indexOf(node.type));
    map.scalars.push(node.value);
  } else {
    map.values.push(node);
    map.scalarInfo.push(0, 0, -1);
    map.scalars.push(undefined);
  }
  map.value[key] = node.value;
}

/** The node of a mapping's i-th pair's value. */
export function pairNode(map: FastMap, i: number): FastNode | undefined {
  if (i < 0 || i >= map.keys.length) return undefined;
  const collection = map.values[i];
  if (collection) return collection;
  const b = 3 * i;
  return scalar(SCALAR_TYPES[map.scalarInfo[b + 2]!]!, map.scalarInfo[b]!, map.scalarInfo[b + 1]!, map.scalars[i]);
}

function scalar(type: FastScalarType, start: number, end: number, value: unknown): FastScalar {
  return { kind: "scalar", type, start, end, value };
}

function keyOk(key: string): boolean {
  return key.length <= MAX_KEY_LENGTH && key !== "__proto__" && key !== "<<" && resolvePlain(key) === key;
}

class FastParser {
  private readonly src: string;
  /** Start of the current line. */
  private pos = 0;
  /** The current content line: its indentation, where its content starts, where it ends (at the newline). */
  private indent = -1;
  private content = 0;
  private lineEnd = 0;
  private depth = 0;
  /** A `---` line may stand before the content, nowhere else. */
  private markerAllowed = true;
  /** Keys and values so far (FastNodeBudget), and how many are allowed. */
  nodes = 0;
  private readonly maxNodes: number;

  constructor(src: string, maxNodes = Infinity) {
    this.src = src;
    this.maxNodes = maxNodes;
  }

  private count(n: number): void {
    if ((this.nodes += n) > this.maxNodes) giveUp();
  }

  document(): FastMap {
    this.nextContentLine();
    const s = this.src;
    if (this.indent === 0 && s.startsWith("---", this.content)) {
      // The document start marker: alone on its line, or with a comment.
      let i = this.content + 3;
      while (i < this.lineEnd && s.charCodeAt(i) === SPACE) i++;
      if (i < this.lineEnd && !(s.charCodeAt(i) === HASH && i > this.content + 3)) giveUp();
      this.markerAllowed = false;
      this.advanceLine();
      this.nextContentLine();
    }
    this.markerAllowed = false;
    // Only a block mapping at column 0 (every Kubernetes object).
    if (this.indent !== 0 || this.atSequenceEntry()) giveUp();
    const value = this.blockMap(0, this.content);
    // The mapping ends at the end of the document, or the document holds more than one node.
    if (!this.atEnd()) giveUp();
    return value;
  }

  /** Move to the next line that is neither blank nor only a comment; indent -1 at the end. */
  private nextContentLine(): void {
    const s = this.src;
    while (this.pos < s.length) {
      let i = this.pos;
      while (s.charCodeAt(i) === SPACE) i++;
      const c = s.charCodeAt(i);
      const end = s.indexOf("\n", i);
      if (c === NL || c === HASH) {
        this.pos = end + 1;
        continue;
      }
      // Directives, a second document marker or a document end: the library's business.
      if (i === this.pos && (c === 0x25 || ((c === DASH || c === 0x2e) && !(c === DASH && this.markerAllowed) && DOC_MARKER.test(s.slice(i, i + 4))))) giveUp();
      this.indent = i - this.pos;
      this.content = i;
      this.lineEnd = end;
      return;
    }
    this.indent = -1;
  }

  private atEnd(): boolean {
    return this.indent < 0;
  }

  private advanceLine(): void {
    this.pos = this.lineEnd + 1;
  }

  private atSequenceEntry(): boolean {
    const s = this.src;
    if (s.charCodeAt(this.content) !== DASH) return false;
    const next = s.charCodeAt(this.content + 1);
    return next === SPACE || next === NL;
  }

  private enter(): void {
    if (++this.depth > FAST_YAML_MAX_DEPTH) giveUp();
  }

  /**
   * A block mapping whose entries start at column `indent`; the first entry starts at `first` on the
   * current line (after `- ` for a mapping inside a sequence entry).
   */
  private blockMap(indent: number, first: number): FastMap {
    this.enter();
    const node = newMap();
    let at = first;
    for (;;) {
      const s = this.src;
      const colon = this.keyEnd(at);
      if (colon < 0) giveUp();
      let keyEnd = colon;
      while (s.charCodeAt(keyEnd - 1) === SPACE) keyEnd--;
      const key = s.slice(at, keyEnd);
      if (!keyOk(key)) giveUp();
      this.count(2);
      addPair(node, key, at, keyEnd, this.valueAfter(colon + 1, indent, true));
      if (this.indent !== indent || this.atSequenceEntry()) break;
      at = this.content;
    }
    if (this.indent > indent) giveUp();
    this.depth--;
    return node;
  }

  /** A block sequence whose `-` stand at column `indent`, starting on the current line. */
  private blockSeq(indent: number): FastSeq {
    this.enter();
    const node: FastSeq = { kind: "seq", items: [], value: [] };
    while (this.indent === indent && this.atSequenceEntry()) {
      const s = this.src;
      let i = this.content + 1;
      while (s.charCodeAt(i) === SPACE) i++;
      const c = s.charCodeAt(i);
      if (c === DASH && (s.charCodeAt(i + 1) === SPACE || s.charCodeAt(i + 1) === NL)) giveUp(); // - - x
      this.count(1);
      // `- key: value`: a mapping whose entries start at the key's column.
      const item = c !== NL && c !== HASH && c !== SQUOTE && c !== DQUOTE && this.keyEnd(i) >= 0 ? this.blockMap(i - this.pos, i) : this.valueAfter(this.content + 1, indent, false);
      node.items.push(item);
      node.value.push(item.value);
    }
    if (this.indent > indent) giveUp();
    this.depth--;
    return node;
  }

  /**
   * Where the `:` of an implicit key starting at `at` on the current line is (followed by a space or
   * the end of the line), or -1 when the line holds no such key. Keys are plain scalars.
   */
  private keyEnd(at: number): number {
    const s = this.src;
    const first = s.charCodeAt(at);
    if (isIndicator(first) && !(first === DASH && s.charCodeAt(at + 1) !== SPACE && s.charCodeAt(at + 1) !== NL)) return -1;
    for (let i = at; i < this.lineEnd; i++) {
      const c = s.charCodeAt(i);
      if (c === COLON) {
        const next = s.charCodeAt(i + 1);
        if (next === SPACE || next === NL) return i;
      } else if (c === HASH && s.charCodeAt(i - 1) === SPACE) return -1;
    }
    return -1;
  }

  /**
   * The value that starts after a `:` or `-` at `from` on the current line, for a node at column
   * `indent`. Leaves the parser on the next content line after the value.
   */
  private valueAfter(from: number, indent: number, inMap: boolean): FastNode {
    const s = this.src;
    let i = from;
    while (s.charCodeAt(i) === SPACE) i++;
    const c = s.charCodeAt(i);
    if (i === from && c !== NL) giveUp();
    if (c === NL || c === HASH) {
      // Nothing on the line: a nested block, a sequence at the key's column, or null (an empty
      // scalar where the comment or the line break is).
      const empty = i;
      this.advanceLine();
      this.nextContentLine();
      if (this.indent > indent) {
        return this.atSequenceEntry() ? this.blockSeq(this.indent) : this.blockMap(this.indent, this.content);
      }
      if (inMap && this.indent === indent && this.atSequenceEntry()) return this.blockSeq(indent);
      return scalar("PLAIN", empty, empty, null);
    }
    let node: FastNode;
    if (c === PIPE) return this.literal(i, indent);
    if (c === SQUOTE) {
      const close = this.closingSingleQuote(i);
      node = scalar("QUOTE_SINGLE", i, close + 1, s.slice(i + 1, close).replaceAll("''", "'"));
      this.endOfLineAfter(close + 1);
    } else if (c === DQUOTE) {
      const close = s.indexOf('"', i + 1);
      if (close < 0 || close > this.lineEnd || s.lastIndexOf("\\", close) > i) giveUp();
      node = scalar("QUOTE_DOUBLE", i, close + 1, s.slice(i + 1, close));
      this.endOfLineAfter(close + 1);
    } else if (c === 0x7b || c === 0x5b) {
      node = this.flow(i);
      this.endOfLineAfter(this.flowEnd);
    } else {
      const end = this.plainEnd(i);
      node = scalar("PLAIN", i, end, resolvePlain(s.slice(i, end)));
    }
    // Whatever follows must belong to an enclosing node: a more indented line would continue a
    // multi-line scalar, or be an error.
    this.advanceLine();
    this.nextContentLine();
    if (this.indent > indent) giveUp();
    return node;
  }

  /** The end of a plain scalar from `start` to a comment or the end of the line, checked to be one. */
  private plainEnd(start: number): number {
    const s = this.src;
    const first = s.charCodeAt(start);
    if (isIndicator(first) && !(first === DASH && s.charCodeAt(start + 1) !== SPACE && s.charCodeAt(start + 1) !== NL)) giveUp();
    let end = this.lineEnd;
    for (let i = start; i < this.lineEnd; i++) {
      const c = s.charCodeAt(i);
      if (c === HASH && s.charCodeAt(i - 1) === SPACE) {
        end = i;
        break;
      }
      if (c === COLON) {
        const next = s.charCodeAt(i + 1);
        if (next === SPACE || next === NL) giveUp();
      }
    }
    while (s.charCodeAt(end - 1) === SPACE) end--;
    return end;
  }

  private closingSingleQuote(open: number): number {
    const s = this.src;
    for (let i = open + 1; i < this.lineEnd; i++) {
      if (s.charCodeAt(i) !== SQUOTE) continue;
      if (s.charCodeAt(i + 1) === SQUOTE) {
        i++;
        continue;
      }
      return i;
    }
    return giveUp();
  }

  /**
   * A flow collection that opens at `at` and closes on the same line: `[a, "b", 3]`, `{k: v}`,
   * nested ones, plain and quoted scalars. No empty entries, trailing commas, explicit or quoted
   * keys, single-pair mappings in sequences, or comments inside.
   */
  /** Just past the closing bracket of the last flow collection read. */
  private flowEnd = 0;

  private flow(at: number): FastMap | FastSeq {
    this.enter();
    this.count(1);
    const s = this.src;
    const isMap = s.charCodeAt(at) === 0x7b;
    const close = isMap ? 0x7d : 0x5d;
    const map = newMap();
    const seq: FastSeq = { kind: "seq", items: [], value: [] };
    let i = this.skipSpaces(at + 1);
    if (s.charCodeAt(i) !== close) {
      for (;;) {
        if (isMap) {
          const keyEnd = this.flowPlainEnd(i);
          if (s.charCodeAt(keyEnd) !== COLON || s.charCodeAt(keyEnd + 1) !== SPACE) giveUp();
          let trimmed = keyEnd;
          while (s.charCodeAt(trimmed - 1) === SPACE) trimmed--;
          const key = s.slice(i, trimmed);
          if (!keyOk(key)) giveUp();
          this.count(2);
          addPair(map, key, i, trimmed, this.flowNode(this.skipSpaces(keyEnd + 1)));
        } else {
          this.count(1);
          const item = this.flowNode(i);
          seq.items.push(item);
          seq.value.push(item.value);
        }
        i = this.skipSpaces(this.flowEnd);
        const c = s.charCodeAt(i);
        if (c === close) break;
        if (c !== 0x2c) giveUp();
        i = this.skipSpaces(i + 1);
        const next = s.charCodeAt(i);
        if (next === close || next === 0x2c) giveUp();
      }
    }
    this.depth--;
    this.flowEnd = i + 1;
    return isMap ? map : seq;
  }

  /** A scalar or collection inside a flow collection at `at`; flowEnd is set just past it. */
  private flowNode(at: number): FastNode {
    const s = this.src;
    const c = s.charCodeAt(at);
    if (c === 0x7b || c === 0x5b) return this.flow(at);
    let node: FastScalar;
    if (c === SQUOTE) {
      const q = this.closingSingleQuote(at);
      node = scalar("QUOTE_SINGLE", at, q + 1, s.slice(at + 1, q).replaceAll("''", "'"));
    } else if (c === DQUOTE) {
      const q = s.indexOf('"', at + 1);
      if (q < 0 || q > this.lineEnd || s.lastIndexOf("\\", q) > at) giveUp();
      node = scalar("QUOTE_DOUBLE", at, q + 1, s.slice(at + 1, q));
    } else {
      const end = this.flowPlainEnd(at);
      // `[a: b]` is a single-pair mapping; a key's `:` is handled by the caller.
      if (s.charCodeAt(end) === COLON) giveUp();
      let trimmed = end;
      while (s.charCodeAt(trimmed - 1) === SPACE) trimmed--;
      node = scalar("PLAIN", at, trimmed, resolvePlain(s.slice(at, trimmed)));
    }
    this.flowEnd = node.end;
    // A `:` right after a quoted scalar makes it a key.
    if (s.charCodeAt(this.skipSpaces(node.end)) === COLON) giveUp();
    return node;
  }

  /**
   * The end of a plain scalar in a flow collection starting at `at`: the first `,`, `[`, `]`, `{`,
   * `}`, or `:` followed by a space; comments and the end of the line give up.
   */
  private flowPlainEnd(at: number): number {
    const s = this.src;
    const first = s.charCodeAt(at);
    if (isIndicator(first) && !(first === DASH && !isFlowBreak(s.charCodeAt(at + 1)))) giveUp();
    for (let i = at; i < this.lineEnd; i++) {
      const c = s.charCodeAt(i);
      if (c === 0x2c || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d) return i;
      if (c === COLON && isFlowBreak(s.charCodeAt(i + 1))) return i;
      if (c === HASH && s.charCodeAt(i - 1) === SPACE) giveUp();
    }
    return giveUp();
  }

  private skipSpaces(i: number): number {
    while (this.src.charCodeAt(i) === SPACE) i++;
    return i;
  }

  /** After a quoted scalar or a flow collection: only spaces and a comment may follow on the line. */
  private endOfLineAfter(i: number): void {
    const s = this.src;
    let j = i;
    while (s.charCodeAt(j) === SPACE) j++;
    if (j < this.lineEnd && !(s.charCodeAt(j) === HASH && j > i)) giveUp();
  }

  /**
   * A literal block scalar (`|`, `|-`, `|+`) whose header is at `at`, for a node at column `indent`.
   * Its range ends after its last content line, or after the trailing blank lines it keeps (`|+`).
   */
  private literal(at: number, indent: number): FastScalar {
    const s = this.src;
    let i = at + 1;
    const chomp = s.charCodeAt(i);
    if (chomp === DASH || chomp === 0x2b) i++;
    this.endOfLineAfter(i);
    let pos = this.lineEnd + 1;
    // Content indentation: that of the first non-blank line, more than the parent's.
    let blankSpaces = 0;
    let m = -1;
    for (let p = pos; p < s.length; ) {
      let j = p;
      while (s.charCodeAt(j) === SPACE) j++;
      if (s.charCodeAt(j) !== NL) {
        m = j - p;
        break;
      }
      blankSpaces = Math.max(blankSpaces, j - p);
      p = j + 1;
    }
    if (m <= indent || blankSpaces > m) giveUp();
    const lines: string[] = [];
    let lastContent = -1;
    let contentEnd = pos;
    while (pos < s.length) {
      let j = pos;
      while (s.charCodeAt(j) === SPACE) j++;
      const end = s.indexOf("\n", j);
      if (s.charCodeAt(j) === NL) {
        if (j - pos > m) giveUp();
        lines.push("");
      } else if (j - pos >= m) {
        lines.push(s.slice(pos + m, end));
        lastContent = lines.length - 1;
        contentEnd = end + 1;
      } else break;
      pos = end + 1;
    }
    const body = lines.slice(0, lastContent + 1).join("\n");
    const trailing = lines.length - 1 - lastContent;
    this.pos = pos;
    this.nextContentLine();
    if (this.indent > indent) giveUp();
    if (chomp === DASH) return scalar("BLOCK_LITERAL", at, contentEnd, body);
    if (chomp === 0x2b) return scalar("BLOCK_LITERAL", at, pos, body + "\n".repeat(trailing + 1));
    return scalar("BLOCK_LITERAL", at, contentEnd, body + "\n");
  }
}

/** A character that ends a plain scalar's `:` inside a flow collection (or makes it an indicator). */
function isFlowBreak(c: number): boolean {
  return c === SPACE || c === NL || c === 0x2c || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d;
}

/** YAML's c-indicator characters: a plain scalar may not start with one (`-` followed by a non-space aside). */
function isIndicator(c: number): boolean {
  switch (c) {
    case 0x2d: // -
    case 0x3f: // ?
    case 0x3a: // :
    case 0x2c: // ,
    case 0x5b: // [
    case 0x5d: // ]
    case 0x7b: // {
    case 0x7d: // }
    case 0x23: // #
    case 0x26: // &
    case 0x2a: // *
    case 0x21: // !
    case 0x7c: // |
    case 0x3e: // >
    case 0x27: // '
    case 0x22: // "
    case 0x25: // %
    case 0x40: // @
    case 0x60: // `
    case 0x20: // a space: not a scalar's first character here
    case 0x0a:
      return true;
    default:
      return false;
  }
}
