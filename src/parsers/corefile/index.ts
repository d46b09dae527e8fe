// Public entry of the Corefile parser: a lexer + parser that agrees with CoreDNS's own
// (coredns/caddy caddyfile) parser, plus CoreDNS server-key normalisation.

import { runParse } from "./parser.js";
import { normalizeKey } from "./keys.js";

/** Where a piece of Corefile text stands: a token or a comment. */
export interface CorefileSpan {
  /** The text (for a token: after env substitution; for a comment: from '#', trailing white space dropped). */
  text: string;
  /** 1-based line in the file it came from (CoreDNS's line numbering). */
  line: number;
  /** 1-based column, in UTF-16 code units, of its first source character. */
  column: number;
  /** UTF-16 offset of its first source character in that file's text (the opening quote for quoted tokens). */
  offset: number;
  /** Offset just past its last source character (past the closing quote). */
  endOffset: number;
  /** Set only for text that came from an imported file: the resolved path. */
  file?: string;
}

export interface CorefileToken extends CorefileSpan {
  /** Written in quotes. */
  quoted?: boolean;
  /** The text came from {$VAR}/{%VAR%} substitution. */
  fromEnv?: boolean;
  /**
   * The lexed text before env substitution; set only when fromEnv is set. CoreDNS itself keeps
   * this raw text for a directive's name token (ServerBlock.Tokens), and the expanded text for
   * every other token.
   */
  raw?: string;
}

export type CorefileComment = CorefileSpan;

export interface CorefileDirective {
  /** Directive name after env substitution. */
  name: string;
  line: number;
  file?: string;
  /** Everything the dispenser sees for this occurrence: name, args, nested blocks and braces; env substituted, imports expanded. */
  tokens: CorefileToken[];
  /** Only with onUnknownDirective "record": the name is not a valid directive. */
  unknown?: boolean;
}

export interface CorefileZone {
  zone: string;
  /** Numeric port; 0 when CoreDNS leaves it empty (unix://). */
  port: number;
  transport: string;
  /** The port text as CoreDNS prints it ("" for unix://, "53", ...). */
  portText: string;
  /** CoreDNS's canonical key, `transport://zone:port`. */
  canonical: string;
}

export interface CorefileServerBlock {
  /** Raw keys after env substitution, trailing commas stripped. */
  keys: string[];
  keyTokens: CorefileToken[];
  /** CoreDNS normalisation of every key (a CIDR key may give several). */
  zones: CorefileZone[];
  /** Every directive occurrence in order. */
  directives: CorefileDirective[];
}

export interface CorefileError {
  message: string;
  file: string;
  line: number;
  column?: number;
  offset?: number;
  endOffset?: number;
  kind: "syntax" | "parse" | "import" | "keys";
}

export interface CorefileWarning {
  message: string;
  file?: string;
  line?: number;
}

export interface CorefileImport {
  /** The import argument after env substitution, as written. */
  path: string;
  line: number;
  /** Set when the import statement itself is in an imported file. */
  file?: string;
  glob: boolean;
  /** Resolved absolute paths of the imported files, in import order. */
  matched: string[];
  /** The pattern after joining with the importing file's directory (what CoreDNS globs). */
  resolved?: string;
  /** The import named a snippet (no file access). */
  snippet?: boolean;
  /** With onMissingImport "record": a literal path that no file provides (CoreDNS would not start). */
  missing?: boolean;
}

export interface CorefileParseResult {
  file: string;
  /** Message exactly in CoreDNS's format. */
  error: CorefileError | null;
  warnings: CorefileWarning[];
  defaultInput: boolean;
  serverBlocks: CorefileServerBlock[];
  comments: CorefileComment[];
  imports: CorefileImport[];
  /** Whether the duplicate-address check ran (it is skipped when a block uses bind or view, or on error). */
  overlapChecked: boolean;
}

export interface ParseCorefileOptions {
  /** Default "Corefile"; used in error messages and to resolve relative imports (its directory). */
  filename?: string;
  /** Working directory used to make a relative filename absolute (Go's filepath.Abs). Default "/". */
  cwd?: string;
  /** Complete environment; unset vars expand to "". */
  env?: Record<string, string>;
  /** Virtual file system for imports: path -> content (null = directory). Relative paths resolve against dirname(filename). */
  files?: Record<string, string | null>;
  /** Default: CoreDNS v1.14.x list; null = accept any name. */
  validDirectives?: readonly string[] | null;
  /** Default "error" (as CoreDNS). "record": mark the directive unknown and go on. */
  onUnknownDirective?: "error" | "record";
  /** Default "error" (as CoreDNS). "record": a literal import of a missing file is recorded (`missing`) and parsing goes on. */
  onMissingImport?: "error" | "record";
  /** Default 10000 (CoreDNS). */
  maxSnippetExpansions?: number;
  /** Default 100000 (CoreDNS). */
  maxFileExpansions?: number;
  /** Safety net against hostile expansion (time and memory): total tokens spliced in by imports. Default 1,000,000. */
  maxImportedTokens?: number;
  /**
   * Safety net for memory: tokens kept in the result. Past it the parse continues (so CoreDNS's
   * own error, e.g. an import cycle, is still found) but stores nothing more; if the parse then
   * succeeds, the result is an error. Default 2,000,000.
   */
  maxRetainedTokens?: number;
}

export function parseCorefile(text: string, options: ParseCorefileOptions = {}): CorefileParseResult {
  return runParse(text, options);
}

export function normalizeServerKey(key: string): { zones: CorefileZone[] } | { error: string } {
  const r = normalizeKey(key);
  if ("error" in r) return { error: r.error };
  return { zones: r.zones.map((z) => ({ ...z })) };
}

export { COREDNS_DIRECTIVES } from "./directives.js";
export { lexCorefile, decodeCorefileBytes } from "./lexer.js";
export type { LexToken, LexComment, LexResult } from "./lexer.js";
