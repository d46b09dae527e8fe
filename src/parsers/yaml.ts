/**
 * YAML streams with exact positions. A stream is split into documents at `---`/`...` lines (which the
 * YAML spec makes document boundaries wherever they stand), so a cheap scan can decide which
 * documents need the full parse, and an error in one document leaves the others usable.
 */
import type { CST, Document, Node as YamlNode } from "yaml";
import { yamlLibrary } from "../lazy-deps.js";
import { DOC_MARKER, FAST_YAML_MAX_DEPTH, fastYaml, pairNode, type FastMap, type FastNode } from "./yaml-fast.js";
import { firstKeyIndex, firstPairWithKey } from "./key-index.js";

export interface YamlDocumentSlice {
  /** Offset of the slice in the file (UTF-16 code units). */
  start: number;
  end: number;
  /** 0-based index of the document in the stream. */
  index: number;
}

export interface YamlProblem {
  message: string;
  /** One of kube-netlint's own limits (size, depth, aliases), not a YAML error. */
  limit?: boolean;
  offset: number;
  endOffset: number;
}

export interface ParsedYamlDocument {
  slice: YamlDocumentSlice;
  document: Document.Parsed | null;
  errors: YamlProblem[];
  /** The document as plain data (null when empty or unusable). */
  value: unknown;
  /**
   * Set when the fast path gave the value: positions of scalars and keys come from its tree, and
   * `document` (collections' and the document's ranges) is parsed by the library when first read.
   */
  positionsOnDemand?: true;
  fast?: FastMap;
}


/** Split a YAML stream into document slices. Empty documents (only comments, blanks or directives) are dropped. */
export function splitYamlDocuments(text: string): YamlDocumentSlice[] {
  const slices: YamlDocumentSlice[] = [];
  let start = 0;
  // [start, clean) is known to hold no content: each line is checked once, however many empty
  // documents (`---` after `---`) pile up before the next one with content.
  let clean = 0;
  // Start of the last marker line: the empty documents before it are dropped from the next slice.
  let markerStart = -1;
  let index = 0;
  let pos = 0;
  while (pos < text.length) {
    const nl = text.indexOf("\n", pos);
    const lineEnd = nl === -1 ? text.length : nl + 1;
    const c = text.charCodeAt(pos);
    if ((c === 45 || c === 46) && DOC_MARKER.test(text.slice(pos, Math.min(lineEnd, pos + 5)))) {
      // Directives and comments before `---` belong to the document it opens.
      const cut = c === 46 ? lineEnd : pos;
      if (hasContent(text, clean, cut)) {
        slices.push({ start, end: cut, index: index++ });
        start = cut;
      } else if (c === 46) {
        start = lineEnd;
      } else if (markerStart > start) {
        // Keep only the last empty document (and its comments) before this one: a million `---`
        // lines must not reach the parser as one slice.
        start = markerStart;
      }
      clean = cut;
      markerStart = pos;
    }
    pos = lineEnd;
  }
  if (hasContent(text, clean, text.length)) slices.push({ start, end: text.length, index: index++ });
  return slices;
}

/** True when [start, end) holds a line other than blanks, comments, directives and bare document markers. */
function hasContent(text: string, start: number, end: number): boolean {
  let pos = start;
  while (pos < end) {
    const nl = text.indexOf("\n", pos);
    const lineEnd = nl === -1 || nl >= end ? end : nl;
    const line = text.slice(pos, lineEnd).replace(/^\ufeff/, "");
    const trimmed = line.trim();
    pos = lineEnd + 1;
    if (trimmed === "" || trimmed.startsWith("#") || line.startsWith("%")) continue;
    if (DOC_MARKER.test(line)) {
      const rest = line.slice(3).trim();
      if (rest === "" || rest.startsWith("#")) continue;
    }
    return true;
  }
  return false;
}

export interface YamlParseLimits {
  /** Aliases resolved per document before giving up (alias bombs). */
  maxAliasCount?: number;
  /** Nested collections per document before giving up (the yaml library composes recursively). Default 500. */
  maxDepth?: number;
  /** Nodes per file (all documents of one text) before further documents are refused. Default 750,000. */
  maxNodesPerFile?: number;
  /** The file's running node count, shared by the calls for its documents (the caller makes one per file). */
  fileBudget?: { nodes: number };
  /** false: the library only (tests compare the two). */
  fastPath?: boolean;
}

/** Far deeper than any real manifest, and far from the depth at which the yaml library's recursion overflows the stack. */
export const MAX_YAML_DEPTH = 500;

/**
 * Nodes (scalars, aliases, flow collections) of one file, all its documents together, before the
 * rest is refused. A node costs about 1 KiB once parsed (CST, document, plain value): 750,000 keep a
 * file under the 1 GiB the tool promises, while a 20 MiB file of short keys would have 2 million.
 * The API server refuses objects of a few MiB, so no real document comes near it.
 */
export const MAX_YAML_NODES_PER_FILE = 750_000;

/** Nodes of a document by the lexer alone (constant memory), stopping once past `limit`. */
function countNodes(source: string, limit: number): number {
  let n = 0;
  const { Lexer, CST } = yamlLibrary();
  for (const tok of new Lexer().lex(source)) {
    const c = tok.charCodeAt(0);
    // A plain or block scalar follows CST.SCALAR; quoted scalars, aliases and flow collections are one token.
    if (tok === CST.SCALAR || c === 0x22 || c === 0x27 || c === 0x2a || tok === "{" || tok === "[") {
      if (++n > limit) return n;
    }
  }
  return n;
}

/**
 * Offset of the first collection nested deeper than `limit` in the CST, or -1. Iterative: the
 * CST parser itself is a state machine, so this runs before anything recursive sees the document.
 */
function tooDeepAt(tokens: readonly CST.Token[], limit: number): number {
  const work: [unknown, number][] = [];
  for (const t of tokens) work.push([t, 0]);
  while (work.length) {
    const [node, depth] = work.pop()!;
    if (!node || typeof node !== "object") continue;
    const t = node as { type?: string; offset?: number; value?: unknown; items?: { key?: unknown; value?: unknown }[] };
    let d = depth;
    if (t.type === "block-map" || t.type === "block-seq" || t.type === "flow-collection") {
      d++;
      if (d > limit) return t.offset ?? 0;
    }
    if (t.value && typeof t.value === "object") work.push([t.value, d]);
    for (const item of t.items ?? []) {
      if (item.key) work.push([item.key, d]);
      if (item.value) work.push([item.value, d]);
    }
  }
  return -1;
}

/**
 * Parse one document slice. Never throws. Offsets in the result are offsets in the whole file.
 *
 * Documents in the fast path's subset (most manifests) get their value from it, and their
 * `document`, which only positions need, from the library the first time it is read.
 */
export function parseYamlDocument(text: string, slice: YamlDocumentSlice, limits: YamlParseLimits = {}): ParsedYamlDocument {
  // A file no longer than the node budget cannot exceed it (every node takes a character); in a
  // longer one the fast path counts its nodes against the file's budget, never fewer than the
  // library would, and gives up past it. Its own depth limit is below the library's unless a
  // caller asks for less.
  const maxNodes = limits.maxNodesPerFile ?? MAX_YAML_NODES_PER_FILE;
  if (limits.fastPath !== false && (limits.maxDepth ?? MAX_YAML_DEPTH) >= FAST_YAML_MAX_DEPTH) {
    const budget = text.length <= maxNodes ? undefined : { max: maxNodes, nodes: limits.fileBudget?.nodes ?? 0 };
    const fast = fastYaml(text.slice(slice.start, slice.end), budget);
    if (budget && fast && limits.fileBudget) limits.fileBudget.nodes = budget.nodes;
    if (fast) {
      let document: Document.Parsed | null | undefined;
      return {
        slice,
        errors: [],
        value: fast.value,
        positionsOnDemand: true,
        fast,
        get document() {
          // Counted already (by the fast path): a budget of its own, not a second count against the file's.
          if (document === undefined) document = parseWithLibrary(text, slice, { ...limits, fileBudget: { nodes: 0 } }).document;
          return document;
        },
      };
    }
  }
  return parseWithLibrary(text, slice, limits);
}

function parseWithLibrary(text: string, slice: YamlDocumentSlice, limits: YamlParseLimits): ParsedYamlDocument {
  const source = text.slice(slice.start, slice.end);
  const errors: YamlProblem[] = [];
  let document: Document.Parsed | null = null;
  const { Composer, Parser } = yamlLibrary();
  try {
    // Duplicate keys are not an error here: Kubernetes' decoders take the last one (strict decoding only warns).
    // logLevel "error": the library's own warnings ("Keys with collection values will be stringified") never reach stderr.
    const composer = new Composer({ version: "1.1", keepSourceTokens: false, prettyErrors: false, uniqueKeys: false, strict: true, logLevel: "error" });
    const maxNodes = limits.maxNodesPerFile ?? MAX_YAML_NODES_PER_FILE;
    // Every counted node takes at least one character: a file no longer than the budget cannot exceed
    // it, and is not lexed twice.
    const budget = limits.fileBudget ?? { nodes: 0 };
    if (text.length > maxNodes) budget.nodes += countNodes(source, maxNodes - budget.nodes);
    if (budget.nodes > maxNodes) {
      errors.push({ limit: true, message: `too large to check: more than ${maxNodes} YAML nodes in this file (kube-netlint's memory limit)`, offset: slice.start, endOffset: Math.min(slice.start + 1, slice.end) });
      return { slice, document: null, errors, value: null };
    }
    const cst = [...new Parser().parse(source)];
    const maxDepth = limits.maxDepth ?? MAX_YAML_DEPTH;
    const deepAt = tooDeepAt(cst, maxDepth);
    if (deepAt >= 0) {
      const at = Math.min(Math.max(deepAt, 0), source.length);
      errors.push({ limit: true, message: `nesting too deep: more than ${maxDepth} levels of collections`, offset: slice.start + at, endOffset: slice.start + Math.min(at + 1, source.length) });
      return { slice, document: null, errors, value: null };
    }
    const docs: Document.Parsed[] = [];
    for (const d of composer.compose(cst, true, source.length)) docs.push(d as Document.Parsed);
    // Splitting guarantees at most one document with content; take the first that has a body.
    document = docs.find((d) => d.contents !== null) ?? docs[0] ?? null;
    for (const d of docs) {
      for (const e of d.errors) {
        // The library may place an error at or past the end of the source (a missing closing quote): keep it inside the slice.
        let at = Math.min(Math.max(e.pos[0], 0), source.length);
        let end = Math.min(Math.max(e.pos[1], at + 1), source.length);
        let message = cleanMessage(e.message);
        // An unclosed [ or { is reported where it opens, not where the library gave up (the next line, or the end of the file).
        if (/^Flow (sequence|map|mapping)\b.*end with a [\]}]|^Expected flow (sequence|map|mapping) end/i.test(message)) {
          const open = unclosedFlowBefore(source, at);
          if (open >= 0) {
            at = open;
            end = open + 1;
            message = `${source[open] === "[" ? "this [ (flow sequence)" : "this { (flow mapping)"} is never closed: ${message}`;
          }
        }
        errors.push({ message, offset: slice.start + Math.min(at, end), endOffset: slice.start + end });
      }
    }
  } catch (e) {
    errors.push({ message: `YAML parser failed: ${(e as Error).message}`, offset: slice.start, endOffset: slice.start + 1 });
  }
  let value: unknown = null;
  if (document && errors.length === 0) {
    try {
      value = document.toJS({ maxAliasCount: limits.maxAliasCount ?? 1000 });
    } catch (e) {
      errors.push({ limit: /alias/i.test((e as Error).message), message: cleanMessage((e as Error).message), offset: slice.start, endOffset: slice.start + 1 });
      value = null;
    }
  }
  return { slice, document, errors, value };
}

/** The last `[` or `{` before `limit` that no bracket closes (quotes and comments skipped), or -1. */
export function unclosedFlowBefore(source: string, limit: number): number {
  const stack: number[] = [];
  let quote: string | null = null;
  for (let i = 0; i < Math.min(limit, source.length); i++) {
    const c = source[i]!;
    if (quote) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = null;
      else if (c === "\n" && stack.length === 0) quote = null;
      continue;
    }
    if (c === "#" && (i === 0 || /\s/.test(source[i - 1]!))) {
      const nl = source.indexOf("\n", i);
      i = nl < 0 ? source.length : nl;
      continue;
    }
    // A quote opens a scalar only at its start (after space, an indicator or a bracket), not inside `it's`.
    if ((c === '"' || c === "'") && (i === 0 || /[\s,[{:\-]/.test(source[i - 1]!))) quote = c;
    else if (c === "[" || c === "{") stack.push(i);
    else if ((c === "]" || c === "}") && stack.length) stack.pop();
  }
  return stack.length ? stack[stack.length - 1]! : -1;
}

function cleanMessage(message: string): string {
  // The yaml library appends "at line L, column C" in some messages: positions are reported separately.
  return message.replace(/ at line \d+, column \d+:?[\s\S]*$/, "").replace(/\s+/g, " ").trim();
}

export type PathSegment = string | number;

/** Where the walk along `path` ends in a fast-path tree: the node, and the key that led to it. */
function fastAt(root: FastMap, path: readonly PathSegment[]): { node: FastNode | undefined; key: [number, number] | null } | undefined {
  let node: FastNode | undefined = root;
  let key: [number, number] | null = null;
  for (const seg of path) {
    key = null;
    if (node?.kind === "map") {
      // The first pair with the key, as the library's find() does.
      const i: number = firstKeyIndex(node.keys, String(seg), node.value);
      if (i < 0) return undefined;
      key = [node.keyRanges[2 * i]!, node.keyRanges[2 * i + 1]!];
      node = pairNode(node, i);
    } else if (node?.kind === "seq" && typeof seg === "number") {
      node = node.items[seg];
    } else {
      return undefined;
    }
  }
  return { node, key };
}

/**
 * What yamlRange gives when the fast path's tree holds it (a key, or a scalar value), without the
 * library; undefined otherwise (no fast tree, no such path, or a collection's range).
 */
export function fastRange(parsed: ParsedYamlDocument, path: readonly PathSegment[], part: "value" | "key" = "value"): [number, number] | undefined {
  const at = parsed.fast && fastAt(parsed.fast, path);
  if (!at) return undefined;
  const base = parsed.slice.start;
  if (part === "key" && at.key) return [base + at.key[0], base + at.key[1]];
  if (at.node?.kind === "scalar") return [base + at.node.start, base + at.node.end];
  return undefined;
}

/** Range [start, end) in the file of the value (or key) at `path` of a parsed document. */
export function yamlRange(parsed: ParsedYamlDocument, path: readonly PathSegment[], part: "value" | "key" = "value"): [number, number] | undefined {
  const base = parsed.slice.start;
  if (parsed.fast) {
    const quick = fastRange(parsed, path, part);
    if (quick) return quick;
    // No such path, or a collection's range: the library's, parsed now.
    const at = fastAt(parsed.fast, path);
    if (!at?.node) return undefined;
  }
  const { isMap, isPair, isSeq } = yamlLibrary();
  let node: unknown = parsed.document?.contents ?? null;
  let keyNode: unknown = null;
  for (const seg of path) {
    keyNode = null;
    if (isMap(node)) {
      const pair = firstPairWithKey(node, node.items, String(seg), (p) => (isPair(p) ? scalarKey(p.key) : undefined));
      if (!pair) return undefined;
      keyNode = pair.key;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === "number") {
      node = node.items[seg];
    } else {
      return undefined;
    }
  }
  const target = (part === "key" && keyNode ? keyNode : node) as YamlNode | null;
  const range = target && (target as { range?: [number, number, number] }).range;
  if (!range) {
    const k = keyNode as { range?: [number, number, number] } | null;
    return k?.range ? [base + k.range[0], base + k.range[1]] : undefined;
  }
  return [base + range[0], base + range[1]];
}

function scalarKey(key: unknown): string | undefined {
  if (yamlLibrary().isScalar(key)) return String(key.value);
  return undefined;
}

/** The scalar node at `path`, for mapping the characters of a string value back to the file. */
export function yamlScalarAt(parsed: ParsedYamlDocument, path: readonly PathSegment[]): { type: string; start: number; end: number; value: string } | undefined {
  if (parsed.fast) {
    const node = fastAt(parsed.fast, path)?.node;
    if (node?.kind !== "scalar" || typeof node.value !== "string") return undefined;
    return { type: node.type, start: parsed.slice.start + node.start, end: parsed.slice.start + node.end, value: node.value };
  }
  const { isMap, isPair, isScalar, isSeq } = yamlLibrary();
  let node: unknown = parsed.document?.contents ?? null;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = firstPairWithKey(node, node.items, String(seg), (p) => (isPair(p) ? scalarKey(p.key) : undefined));
      if (!pair) return undefined;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === "number") {
      node = node.items[seg];
    } else return undefined;
  }
  if (!isScalar(node) || typeof node.value !== "string" || !node.range) return undefined;
  return { type: String(node.type ?? "PLAIN"), start: parsed.slice.start + node.range[0], end: parsed.slice.start + node.range[1], value: node.value };
}
