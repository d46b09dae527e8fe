// Corefile parser: a behavioural re-implementation of coredns/caddy caddyfile/parse.go and
// dispenser.go (the version CoreDNS v1.14.x pins), including env substitution, snippets and
// file imports over a virtual file system, with exact source positions for every token.

import path from "node:path";
import { lexCorefileColumns, type LexComment, type LexedTokens } from "./lexer.js";
import { COREDNS_DIRECTIVES } from "./directives.js";
import { inspectServerBlocks } from "./keys.js";
import type {
  CorefileComment,
  CorefileDirective,
  CorefileError,
  CorefileImport,
  CorefileParseResult,
  CorefileServerBlock,
  CorefileToken,
  CorefileWarning,
  ParseCorefileOptions,
} from "./index.js";

const posix = path.posix;

// ---------------------------------------------------------------------------------------------
// Environment substitution (parse.go replaceEnvVars)

const MAX_ENV_ROUNDS = 10_000;
const MAX_ENV_LENGTH = 1 << 20;
/**
 * Characters that substitution may rewrite in one parse (each round rewrites the whole token):
 * ten thousand distinct {$V} in a megabyte token would otherwise cost 10^10 steps. Real
 * Corefiles use a few references; past the budget, tokens are left as they are.
 */
const ENV_WORK_BUDGET = 50_000_000;
let envWork = ENV_WORK_BUDGET;

function replaceEnvReferences(
  s: string,
  refStart: string,
  refEnd: string,
  env: Record<string, string>,
  state: { replaced: boolean },
): string {
  let index = s.indexOf(refStart);
  let rounds = 0;
  while (index !== -1) {
    let endIndex = s.slice(index).indexOf(refEnd);
    if (endIndex === -1) break;
    endIndex += index;
    if (endIndex > index + refStart.length) {
      const ref = s.slice(index, endIndex + refEnd.length);
      const name = ref.slice(refStart.length, ref.length - refEnd.length);
      const value = Object.prototype.hasOwnProperty.call(env, name) ? String(env[name]) : "";
      envWork -= s.length;
      if (envWork < 0) return s;
      s = s.split(ref).join(value);
      state.replaced = true;
    } else {
      return s;
    }
    // CoreDNS would loop forever on self-referencing values; stop instead.
    if (++rounds > MAX_ENV_ROUNDS || s.length > MAX_ENV_LENGTH) return s;
    index = s.indexOf(refStart);
  }
  return s;
}

export function replaceEnvVars(s: string, env: Record<string, string>): { text: string; replaced: boolean } {
  if (!s.includes("{")) return { text: s, replaced: false };
  const state = { replaced: false };
  let t = replaceEnvReferences(s, "{%", "%}", env, state);
  t = replaceEnvReferences(t, "{$", "}", env, state);
  return { text: t, replaced: state.replaced };
}

// ---------------------------------------------------------------------------------------------
// Virtual file system and Go filepath.Glob / filepath.Match

/** Go filepath.Clean for slash paths. */
function goClean(p: string): string {
  if (p === "") return ".";
  let c = posix.normalize(p);
  if (c.length > 1 && c.endsWith("/")) c = c.slice(0, -1);
  return c;
}

function goJoin(a: string, b: string): string {
  if (a === "") return goClean(b);
  if (b === "") return goClean(a);
  return goClean(a + "/" + b);
}

function goDir(p: string): string {
  const i = p.lastIndexOf("/");
  return goClean(p.slice(0, i + 1));
}

class VirtualFS {
  private files = new Map<string, string>();
  private dirs = new Set<string>(["/"]);
  private children = new Map<string, Set<string>>();

  constructor(baseDir: string, files: Record<string, string | null> | undefined, root: { path: string; text: string }) {
    if (files) {
      for (const [k, v] of Object.entries(files)) {
        const abs = goClean(k.startsWith("/") ? k : goJoin(baseDir, k));
        if (v === null || v === undefined) this.addDir(abs);
        else this.addFile(abs, String(v));
      }
    }
    if (!this.files.has(root.path) && !this.dirs.has(root.path)) this.addFile(root.path, root.text);
  }

  private link(child: string): void {
    if (child === "/") return;
    const parent = goDir(child);
    let set = this.children.get(parent);
    if (!set) {
      set = new Set();
      this.children.set(parent, set);
    }
    set.add(child.slice(child.lastIndexOf("/") + 1));
    this.addDir(parent);
  }

  private addDir(p: string): void {
    if (this.dirs.has(p)) return;
    this.dirs.add(p);
    this.link(p);
  }

  private addFile(p: string, text: string): void {
    this.files.set(p, text);
    this.link(p);
  }

  stat(p: string): "file" | "dir" | null {
    if (p === "") return null;
    const c = goClean(p.startsWith("/") ? p : "/" + p);
    if (this.dirs.has(c)) return "dir";
    if (this.files.has(c)) return p.endsWith("/") ? null : "file";
    return null;
  }

  read(p: string): string | null {
    return this.files.get(goClean(p)) ?? null;
  }

  readDirNames(p: string): string[] {
    const set = this.children.get(goClean(p));
    if (!set) return [];
    return [...set].sort((a, b) => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8")));
  }
}

class BadPattern extends Error {}

/** Go filepath.Match (Unix): returns [rest, ok]; throws BadPattern. Works on code points. */
function matchChunk(chunk: string[], s: string[]): { rest: string[]; ok: boolean } {
  let failed = false;
  let ci = 0;
  let si = 0;
  while (ci < chunk.length) {
    if (!failed && si >= s.length) failed = true;
    const c = chunk[ci]!;
    if (c === "[") {
      let r = "";
      if (!failed) {
        r = s[si]!;
        si++;
      }
      ci++;
      let negated = false;
      if (ci < chunk.length && chunk[ci] === "^") {
        negated = true;
        ci++;
      }
      let match = false;
      let nrange = 0;
      for (;;) {
        if (ci < chunk.length && chunk[ci] === "]" && nrange > 0) {
          ci++;
          break;
        }
        const lo = getEsc(chunk, ci);
        ci = lo.next;
        let hi = lo.ch;
        if (chunk[ci] === "-") {
          const h = getEsc(chunk, ci + 1);
          ci = h.next;
          hi = h.ch;
        }
        if (!failed && lo.ch.codePointAt(0)! <= r.codePointAt(0)! && r.codePointAt(0)! <= hi.codePointAt(0)!) match = true;
        nrange++;
      }
      if (match === negated) failed = true;
    } else if (c === "?") {
      if (!failed) {
        if (s[si] === "/") failed = true;
        si++;
      }
      ci++;
    } else {
      let lit = c;
      if (c === "\\") {
        ci++;
        if (ci >= chunk.length) throw new BadPattern();
        lit = chunk[ci]!;
      }
      if (!failed) {
        if (lit !== s[si]) failed = true;
        si++;
      }
      ci++;
    }
  }
  if (failed) return { rest: [], ok: false };
  return { rest: s.slice(si), ok: true };
}

function getEsc(chunk: string[], i: number): { ch: string; next: number } {
  if (i >= chunk.length || chunk[i] === "-" || chunk[i] === "]") throw new BadPattern();
  let ch = chunk[i]!;
  if (ch === "\\") {
    i++;
    if (i >= chunk.length) throw new BadPattern();
    ch = chunk[i]!;
  }
  i++;
  if (i >= chunk.length) throw new BadPattern();
  return { ch, next: i };
}

function scanChunk(p: string[]): { star: boolean; chunk: string[]; rest: string[] } {
  let star = false;
  let i0 = 0;
  while (i0 < p.length && p[i0] === "*") {
    i0++;
    star = true;
  }
  p = p.slice(i0);
  let inrange = false;
  let i = 0;
  scan: for (; i < p.length; i++) {
    switch (p[i]) {
      case "\\":
        if (i + 1 < p.length) i++;
        break;
      case "[":
        inrange = true;
        break;
      case "]":
        inrange = false;
        break;
      case "*":
        if (!inrange) break scan;
        break;
    }
  }
  return { star, chunk: p.slice(0, i), rest: p.slice(i) };
}

function goMatch(pattern: string, name: string): boolean {
  let pat = [...pattern];
  let nm = [...name];
  outer: while (pat.length > 0) {
    const sc = scanChunk(pat);
    pat = sc.rest;
    if (sc.star && sc.chunk.length === 0) return !nm.includes("/");
    const r = matchChunk(sc.chunk, nm);
    if (r.ok && (r.rest.length === 0 || pat.length > 0)) {
      nm = r.rest;
      continue;
    }
    if (sc.star) {
      for (let i = 0; i < nm.length && nm[i] !== "/"; i++) {
        const r2 = matchChunk(sc.chunk, nm.slice(i + 1));
        if (r2.ok) {
          if (pat.length === 0 && r2.rest.length > 0) continue;
          nm = r2.rest;
          continue outer;
        }
      }
    }
    while (pat.length > 0) {
      const sc2 = scanChunk(pat);
      pat = sc2.rest;
      matchChunk(sc2.chunk, []);
    }
    return false;
  }
  return nm.length === 0;
}

const hasMeta = (p: string): boolean => /[*?[\\]/.test(p);

function cleanGlobPath(p: string): string {
  if (p === "") return ".";
  if (p === "/") return p;
  return p.slice(0, -1);
}

function globIn(fs: VirtualFS, dir: string, pattern: string, out: string[]): void {
  if (fs.stat(dir) !== "dir") return;
  for (const n of fs.readDirNames(dir)) {
    if (goMatch(pattern, n)) out.push(goJoin(dir, n));
  }
}

/** Go filepath.Glob over the virtual file system. Throws BadPattern. */
function goGlob(fs: VirtualFS, pattern: string, depth = 0): string[] {
  goMatch(pattern, ""); // validate
  if (!hasMeta(pattern)) {
    return fs.stat(pattern) ? [pattern] : [];
  }
  const i = pattern.lastIndexOf("/");
  const dir = cleanGlobPath(pattern.slice(0, i + 1));
  const file = pattern.slice(i + 1);
  if (!hasMeta(dir)) {
    const out: string[] = [];
    globIn(fs, dir, file, out);
    return out;
  }
  if (dir === pattern || depth > 64) throw new BadPattern();
  const out: string[] = [];
  for (const d of goGlob(fs, dir, depth + 1)) globIn(fs, d, file, out);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Dispenser tokens

interface PTok {
  /** Current text (CoreDNS replaces env vars in place while parsing directives). */
  text: string;
  line: number;
  /** Absolute path for tokens from imported files; undefined for the root file. */
  file: string | undefined;
  /** The lexed token: index `at` of `lex`. */
  lex: LexedTokens;
  at: number;
  fromEnv: boolean;
}

const copyTok = (t: PTok): PTok => ({ text: t.text, line: t.line, file: t.file, lex: t.lex, at: t.at, fromEnv: t.fromEnv });

/** The dispenser token of lexed token i, from the file `file` (undefined: the root file). */
const lexedTok = (lex: LexedTokens, i: number, file: string | undefined): PTok => ({ text: lex.texts[i]!, line: lex.line(i), file, lex, at: i, fromEnv: false });

/** How many root tokens TokenBuf turns into dispenser tokens at a time. */
const PULL = 64;

/**
 * A gap buffer that gives Go-slice semantics (index, splice) with O(1) splices near the cursor.
 *
 * The root file's tokens become dispenser tokens only as the cursor comes near them, a few dozen at
 * a time: made all at once, every one of them (500,000 in a Corefile of 100,000 server blocks)
 * outlived several young-generation collections, each copying it, until the parser reached it.
 */
class TokenBuf {
  private front: PTok[] = [];
  /** Reversed: its last element comes first. The root tokens from `next` on follow its first element. */
  private back: PTok[] = [];
  private base = 0;
  /** Root tokens before this index have been made dispenser tokens. */
  private next = 0;

  constructor(private readonly root: LexedTokens) {}

  get length(): number {
    return this.base + this.front.length + this.back.length + (this.root.length - this.next);
  }

  /** Make at least n more root tokens dispenser tokens, below the bottom of back. */
  private pull(n: number): void {
    const { root } = this;
    const end = Math.min(root.length, this.next + Math.max(n, PULL));
    const made: PTok[] = [];
    for (let k = end - 1; k >= this.next; k--) made.push(lexedTok(root, k, undefined));
    this.next = end;
    this.back = this.back.length === 0 ? made : made.concat(this.back);
  }

  at(i: number): PTok | undefined {
    const j = i - this.base;
    if (j < 0) return undefined;
    if (j < this.front.length) return this.front[j];
    const k = j - this.front.length;
    if (k >= this.back.length) {
      if (k >= this.back.length + this.root.length - this.next) return undefined;
      this.pull(k - this.back.length + 1);
    }
    return this.back[this.back.length - 1 - k];
  }

  private moveGap(i: number): void {
    while (this.base + this.front.length > i && this.front.length > 0) this.back.push(this.front.pop()!);
    while (this.base + this.front.length < i) {
      if (this.back.length === 0) {
        if (this.next >= this.root.length) break;
        this.pull(i - this.base - this.front.length);
      }
      this.front.push(this.back.pop()!);
    }
  }

  /** Replace `remove` tokens at index i with `insert`. */
  splice(i: number, remove: number, insert: PTok[]): void {
    this.moveGap(i);
    for (let r = 0; r < remove; r++) {
      if (this.back.length === 0) {
        if (this.next >= this.root.length) break;
        this.pull(remove - r);
      }
      this.back.pop();
    }
    for (let k = insert.length - 1; k >= 0; k--) this.back.push(insert[k]!);
  }

  /** Forget tokens well behind the cursor (the parser never looks back more than two). */
  trim(cursor: number): void {
    if (cursor - this.base > 8192) {
      this.moveGap(cursor - 16);
      this.base += this.front.length;
      this.front = [];
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Parser

class ParseFailure extends Error {
  constructor(public readonly detail: CorefileError) {
    super(detail.message);
  }
}

/**
 * A server block as the parser fills it: the result's own object, its zones set by finish (in the
 * result's key order already, so that nothing is copied once the parse is done).
 */
type InternalBlock = CorefileServerBlock;

const NO_ZONES: CorefileServerBlock["zones"] = [];
const newBlock = (): InternalBlock => ({ keys: [], keyTokens: [], zones: NO_ZONES, directives: [] });

const numLineBreaks = (t: PTok | undefined): number => {
  if (!t) return 0;
  let n = 0;
  let i = t.text.indexOf("\n");
  while (i !== -1) {
    n++;
    i = t.text.indexOf("\n", i + 1);
  }
  return n;
};

function toPublicToken(t: PTok, text?: string, fromEnv?: boolean): CorefileToken {
  const out: CorefileToken = {
    text: text ?? t.text,
    line: t.line,
    column: t.lex.column(t.at),
    offset: t.lex.offset(t.at),
    endOffset: t.lex.endOffset(t.at),
  };
  if (t.file !== undefined) out.file = t.file;
  if (t.lex.quoted(t.at)) out.quoted = true;
  const fe = fromEnv ?? t.fromEnv;
  if (fe) {
    out.fromEnv = true;
    out.raw = t.lex.texts[t.at]!;
  }
  return out;
}

class Parser {
  private buf: TokenBuf;
  private cursor = -1;
  private block: InternalBlock = newBlock();
  private eof = false;
  private snippets = new Map<string, PTok[]>();
  private snippetExpansions = 0;
  private fileExpansions = 0;
  private importedTokens = 0;
  private lexCache = new Map<string, { tokens: LexedTokens }>();
  /** The virtual file system never changes during a parse: a glob self-import re-runs one pattern thousands of times. */
  private globCache = new Map<string, string[]>();
  private importKeys = new Set<string>();
  /** Tokens stored in the result; past maxRetained the parse goes on (to find CoreDNS's own error) but stops storing. */
  private retained = 0;
  overBudget = false;

  readonly blocks: InternalBlock[] = [];
  readonly warnings: CorefileWarning[] = [];
  readonly imports: CorefileImport[] = [];
  readonly comments: CorefileComment[] = [];

  constructor(
    rootTokens: LexedTokens,
    private readonly filename: string,
    private readonly absPath: (p: string) => string,
    private readonly env: Record<string, string>,
    private readonly fs: VirtualFS,
    private readonly valid: ReadonlySet<string> | null,
    private readonly recordUnknown: boolean,
    private readonly maxSnippet: number,
    private readonly maxFile: number,
    private readonly maxImported: number,
    private readonly maxRetained: number,
    private readonly rootAbs: string,
  ) {
    this.buf = new TokenBuf(rootTokens);
  }

  // --- dispenser primitives -----------------------------------------------------------------

  private cur(): PTok | undefined {
    return this.buf.at(this.cursor);
  }

  private next(): boolean {
    if (this.cursor < this.buf.length - 1) {
      this.cursor++;
      if ((this.cursor & 1023) === 0) this.buf.trim(this.cursor);
      return true;
    }
    return false;
  }

  private val(): string {
    return this.cur()?.text ?? "";
  }

  private line(): number {
    return this.cur()?.line ?? 0;
  }

  private fileOf(): string {
    const t = this.cur();
    return t?.file ?? this.filename;
  }

  private nextArg(): boolean {
    if (this.cursor < 0) {
      this.cursor++;
      return true;
    }
    if (this.cursor >= this.buf.length) return false;
    if (this.cursor < this.buf.length - 1) {
      const a = this.buf.at(this.cursor)!;
      const b = this.buf.at(this.cursor + 1)!;
      if (a.file === b.file && a.line + numLineBreaks(a) === b.line) {
        this.cursor++;
        return true;
      }
    }
    return false;
  }

  private isNewLine(): boolean {
    if (this.cursor < 1) return true;
    if (this.cursor > this.buf.length - 1) return false;
    const a = this.buf.at(this.cursor - 1);
    const b = this.buf.at(this.cursor)!;
    if (!a) return true;
    return a.file !== b.file || a.line + numLineBreaks(a) < b.line;
  }

  private fail(kind: CorefileError["kind"], message: string): ParseFailure {
    const t = this.cur();
    const detail: CorefileError = { message, file: this.fileOf(), line: this.line(), kind };
    if (t) {
      detail.column = t.lex.column(t.at);
      detail.offset = t.lex.offset(t.at);
      detail.endOffset = t.lex.endOffset(t.at);
    }
    return new ParseFailure(detail);
  }

  private keep(n: number): boolean {
    if (this.overBudget) return false;
    this.retained += n;
    if (this.retained > this.maxRetained) {
      this.overBudget = true;
      return false;
    }
    return true;
  }

  private err(msg: string, kind: CorefileError["kind"] = "parse"): ParseFailure {
    return this.fail(kind, `${this.fileOf()}:${this.line()} - Error during parsing: ${msg}`);
  }

  private syntaxErr(expected: string): ParseFailure {
    return this.fail("syntax", `${this.fileOf()}:${this.line()} - Syntax error: Unexpected token '${this.val()}', expecting '${expected}'`);
  }

  private argErr(kind: CorefileError["kind"] = "parse"): ParseFailure {
    if (this.val() === "{") return this.err("Unexpected token '{', expecting argument", kind);
    return this.err(`Wrong argument count or unexpected line ending after '${this.val()}'`, kind);
  }

  // --- parse.go -----------------------------------------------------------------------------

  parseAll(): void {
    while (this.next()) {
      this.block = newBlock();
      this.begin();
      if (this.block.keys.length > 0 && !this.overBudget) this.blocks.push(this.block);
    }
  }

  private begin(): void {
    if (this.buf.length === 0) return;
    this.addresses();
    if (this.eof) return;
    const k = this.block.keys;
    if (k.length === 1 && k[0]!.startsWith("(") && k[0]!.endsWith(")")) {
      const name = k[0]!.slice(1, -1);
      if (this.snippets.has(name)) throw this.err(`redeclaration of previously declared snippet ${name}`);
      const tokens = this.snippetTokens();
      for (let i = 0; i + 1 < tokens.length; i++) {
        const t = tokens[i]!;
        if (t.text !== "import") continue;
        const prev = tokens[i - 1];
        const atLineStart = i === 0 || prev!.file !== t.file || prev!.line !== t.line;
        if (atLineStart && replaceEnvVars(tokens[i + 1]!.text, this.env).text === name) {
          throw this.err(`maximum snippet import depth (${this.maxSnippet}) exceeded`, "import");
        }
      }
      this.snippets.set(name, tokens);
      this.block.keys = [];
      this.block.keyTokens = [];
      return;
    }
    this.blockContents();
  }

  private addresses(): void {
    let expectingAnother = false;
    for (;;) {
      const t = this.cur();
      const r = replaceEnvVars(this.val(), this.env);
      let tkn = r.text;
      if (tkn === "import" && this.isNewLine()) {
        this.doImport();
        continue;
      }
      if (tkn === "{") {
        if (expectingAnother) throw this.err(`Expected another address but had '${tkn}' - check for extra comma`);
        break;
      }
      if (tkn !== "") {
        if (tkn.endsWith(",")) {
          tkn = tkn.slice(0, -1);
          expectingAnother = true;
        } else {
          expectingAnother = false;
        }
        this.block.keys.push(tkn);
        if (this.keep(1)) this.block.keyTokens.push(toPublicToken(t!, tkn, r.replaced || t!.fromEnv));
      }
      const hasNext = this.next();
      if (expectingAnother && !hasNext) throw this.err("Unexpected EOF");
      if (!hasNext) {
        this.eof = true;
        break;
      }
      if (!expectingAnother && this.isNewLine()) break;
    }
  }

  private blockContents(): void {
    const open = this.val() === "{";
    if (!open) this.cursor--; // single-server configs don't need curly braces
    this.directives();
    if (open && this.val() !== "}") throw this.syntaxErr("}");
  }

  private directives(): void {
    while (this.next()) {
      if (this.val() === "}") break;
      if (this.val() === "import") {
        this.doImport();
        this.cursor--;
        continue;
      }
      this.directive();
    }
  }

  private directive(): void {
    const nameTok = this.cur()!;
    const r = replaceEnvVars(this.val(), this.env);
    const dir = r.text;
    let unknown = false;
    if (this.valid !== null && !this.valid.has(dir)) {
      if (!this.recordUnknown) throw this.err(`Unknown directive '${dir}'`);
      unknown = true;
    }
    const occ: CorefileDirective = {
      name: dir,
      line: nameTok.line,
      tokens: [toPublicToken(nameTok, dir, r.replaced || nameTok.fromEnv)],
    };
    if (nameTok.file !== undefined) occ.file = nameTok.file;
    if (unknown) occ.unknown = true;
    if (this.keep(1)) this.block.directives.push(occ);

    let nesting = 0;
    while (this.next()) {
      const v = this.val();
      if (v === "{") {
        nesting++;
      } else if (this.isNewLine() && nesting === 0) {
        this.cursor--; // read too far
        break;
      } else if (v === "}" && nesting > 0) {
        nesting--;
      } else if (v === "}" && nesting === 0) {
        throw this.err("Unexpected '}' because no matching opening brace");
      } else if (v === "import" && this.isNewLine()) {
        this.doImport();
        this.cursor--;
        continue;
      }
      const t = this.cur()!;
      const rr = replaceEnvVars(t.text, this.env);
      t.text = rr.text;
      if (rr.replaced) t.fromEnv = true;
      if (this.keep(1)) occ.tokens.push(toPublicToken(t));
    }
    if (nesting > 0) throw this.err("Unexpected EOF");
  }

  private snippetTokens(): PTok[] {
    if (this.val() !== "{") throw this.syntaxErr("{");
    let count = 1;
    const tokens: PTok[] = [];
    while (this.next()) {
      const v = this.val();
      if (v === "}") {
        count--;
        if (count === 0) break;
      }
      if (v === "{") count++;
      tokens.push(copyTok(this.cur()!));
    }
    if (count !== 0) throw this.syntaxErr("}");
    return tokens;
  }

  private doImport(): void {
    const importTok = this.cur()!;
    if (!this.nextArg()) throw this.argErr("import");
    const importPattern = replaceEnvVars(this.val(), this.env).text;
    if (importPattern === "") throw this.err("Import requires a non-empty filepath", "import");
    if (this.nextArg()) throw this.err("Import takes only one argument (glob pattern or file)", "import");

    const recKey = `${importTok.file ?? ""}\u0000${importTok.lex.offset(importTok.at)}`;
    const record = (rec: Omit<CorefileImport, "line" | "file">): void => {
      if (this.importKeys.has(recKey) || this.imports.length >= 10_000) return;
      this.importKeys.add(recKey);
      const full: CorefileImport = { ...rec, line: importTok.line };
      if (importTok.file !== undefined) full.file = importTok.file;
      this.imports.push(full);
    };

    let imported: PTok[] = [];
    const snippet = this.snippets.get(importPattern);
    if (snippet !== undefined) {
      if (this.snippetExpansions >= this.maxSnippet) {
        throw this.err(`maximum snippet import depth (${this.maxSnippet}) exceeded`, "import");
      }
      this.snippetExpansions++;
      imported = snippet.map(copyTok);
      record({ path: importPattern, glob: false, matched: [], snippet: true });
    } else {
      if (this.fileExpansions >= this.maxFile) {
        // (sic) CoreDNS prints the snippet cap here
        throw this.err(`maximum file import depth (${this.maxSnippet}) exceeded`, "import");
      }
      this.fileExpansions++;
      const absFile = this.absPath(this.fileOf());
      const globPattern = importPattern.startsWith("/") ? importPattern : goJoin(goDir(absFile), importPattern);
      const count = (c: string): number => globPattern.split(c).length - 1;
      if (count("*") > 1 || count("?") > 1 || (globPattern.includes("[") && globPattern.includes("]"))) {
        throw this.err(`Glob pattern may only contain one wildcard (*), but has others: ${globPattern}`, "import");
      }
      let matches: string[];
      try {
        const cached = this.globCache.get(globPattern);
        matches = cached ?? goGlob(this.fs, globPattern);
        if (!cached) this.globCache.set(globPattern, matches);
      } catch (e) {
        if (e instanceof BadPattern) {
          throw this.err(`Failed to use import pattern ${importPattern}: syntax error in pattern`, "import");
        }
        throw e;
      }
      const isGlob = /[*?[\]]/.test(globPattern);
      if (matches.length === 0) {
        if (isGlob) {
          const w: CorefileWarning = { message: `[WARNING] No files matching import glob pattern: ${importPattern}`, line: importTok.line };
          if (importTok.file !== undefined) w.file = importTok.file;
          this.warnings.push(w);
        } else if (this.recordMissingImports) {
          // The linter goes on without the file and reports the import as unresolved.
          record({ path: importPattern, glob: false, matched: [], resolved: globPattern, missing: true });
        } else {
          throw this.err(`File to import not found: ${importPattern}`, "import");
        }
      }
      for (const m of matches) {
        for (const t of this.singleImport(m)) imported.push(t);
      }
      record({ path: importPattern, glob: isGlob, matched: matches.map((m) => goClean(m)), resolved: globPattern });
    }
    this.importedTokens += imported.length;
    if (this.importedTokens > this.maxImported) {
      throw this.err(`imports expand to more than ${this.maxImported} tokens`, "import");
    }
    const i = this.cursor - 1;
    this.buf.splice(i, 2, imported);
    this.cursor--;
  }

  /** With onMissingImport "record": a literal import of a missing file is recorded, not an error. */
  recordMissingImports = false;

  private singleImport(importFile: string): PTok[] {
    const kind = this.fs.stat(importFile);
    if (kind === null) throw this.err(`Could not import ${importFile}: open ${importFile}: no such file or directory`, "import");
    if (kind === "dir") throw this.err(`Could not import ${importFile}: is a directory`, "import");
    const filename = this.absPath(importFile);
    let lexed = this.lexCache.get(filename);
    if (!lexed) {
      const text = this.fs.read(importFile) ?? "";
      const r = lexCorefileColumns(text, this.maxImported + 1);
      if (r.truncated) throw this.err(`imports expand to more than ${this.maxImported} tokens`, "import");
      lexed = { tokens: r.tokens };
      this.lexCache.set(filename, lexed);
      if (filename !== this.rootAbs) for (const c of r.comments) this.comments.push(withFile(c, filename));
    }
    const { tokens } = lexed;
    return tokens.texts.map((_, i) => lexedTok(tokens, i, filename));
  }
}

function withFile(c: LexComment, file: string | undefined): CorefileComment {
  const out: CorefileComment = { text: c.text, line: c.line, column: c.column, offset: c.offset, endOffset: c.endOffset };
  if (file !== undefined) out.file = file;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Entry

export function runParse(text: string, options: ParseCorefileOptions): CorefileParseResult {
  const filename = options.filename ?? "Corefile";
  const result: CorefileParseResult = {
    file: filename,
    error: null,
    warnings: [],
    defaultInput: false,
    serverBlocks: [],
    comments: [],
    imports: [],
    overlapChecked: false,
  };
  let parser: Parser | null = null;
  envWork = ENV_WORK_BUDGET;
  try {
    const cwd = goClean(options.cwd && options.cwd.startsWith("/") ? options.cwd : "/");
    const absPath = (p: string): string => (p.startsWith("/") ? goClean(p) : goJoin(cwd, p));
    const rootAbs = absPath(filename);
    const fs = new VirtualFS(goDir(rootAbs), options.files, { path: rootAbs, text: String(text) });
    const posInt = (v: number | undefined, d: number): number =>
      typeof v === "number" && Number.isFinite(v) && v >= 0 ? Math.floor(v) : d;
    const maxRetained = posInt(options.maxRetainedTokens, 2_000_000);
    const lexed = lexCorefileColumns(String(text), maxRetained + 1);
    if (lexed.truncated) {
      // More tokens than the result may keep: stop before the parse copies them all.
      for (const c of lexed.comments) result.comments.push(withFile(c, undefined));
      result.error = { message: `${filename}:0 - Error during parsing: configuration too large: more than ${maxRetained} tokens`, file: filename, line: 0, kind: "parse" };
      return result;
    }
    const env = options.env ?? {};
    const valid =
      options.validDirectives === null ? null : new Set(options.validDirectives ?? COREDNS_DIRECTIVES);
    parser = new Parser(
      lexed.tokens,
      filename,
      absPath,
      env,
      fs,
      valid,
      options.onUnknownDirective === "record",
      posInt(options.maxSnippetExpansions, 10_000),
      posInt(options.maxFileExpansions, 100_000),
      posInt(options.maxImportedTokens, 1_000_000),
      posInt(options.maxRetainedTokens, 2_000_000),
      rootAbs,
    );
    parser.recordMissingImports = options.onMissingImport === "record";
    for (const c of lexed.comments) result.comments.push(withFile(c, undefined));
    parser.parseAll();
    if (parser.overBudget) {
      result.error = {
        message: `${filename}:0 - Error during parsing: configuration too large: more than ${posInt(options.maxRetainedTokens, 2_000_000)} tokens after expanding imports`,
        file: filename,
        line: 0,
        kind: "import",
      };
    }
  } catch (e) {
    if (e instanceof ParseFailure) {
      result.error = e.detail;
    } else {
      result.error = {
        message: `${filename}:0 - Error during parsing: internal parser error: ${e instanceof Error ? e.message : String(e)}`,
        file: filename,
        line: 0,
        kind: "parse",
      };
    }
  }
  if (parser) {
    result.warnings = parser.warnings;
    result.imports = parser.imports;
    for (const c of parser.comments) result.comments.push(c);
  }
  const blocks = parser?.blocks ?? [];
  try {
    finish(result, blocks, filename);
  } catch (e) {
    result.error ??= {
      message: `${filename}:0 - Error during parsing: internal parser error: ${e instanceof Error ? e.message : String(e)}`,
      file: filename,
      line: 0,
      kind: "parse",
    };
  }
  return result;
}

function finish(result: CorefileParseResult, blocks: InternalBlock[], filename: string): void {
  // CoreDNS normalisation of the keys
  const inspected = inspectServerBlocks(blocks);
  blocks.forEach((b, i) => {
    b.zones = inspected.zones[i] ?? [];
  });
  result.serverBlocks = blocks;
  if (result.error === null) {
    result.defaultInput = blocks.length === 0;
    result.overlapChecked = inspected.overlapChecked;
    if (inspected.error) {
      const b = blocks[inspected.error.block];
      const kt = b?.keyTokens[inspected.error.key];
      const err: CorefileError = {
        message: inspected.error.message,
        file: kt?.file ?? filename,
        line: kt?.line ?? 0,
        kind: "keys",
      };
      if (kt) {
        err.column = kt.column;
        err.offset = kt.offset;
        err.endOffset = kt.endOffset;
      }
      result.error = err;
    }
  }
}
