// Corefile lexer: a behavioural re-implementation of the CoreDNS caddyfile lexer
// (coredns/caddy caddyfile/lexer.go) that additionally records exact source positions.
//
// Behaviour reproduced (see shared/research/coredns-spec.md §1.1):
//  - one leading U+FEFF is dropped (only at the very start of a file);
//  - white space is Go's unicode.IsSpace, not JS \s; "\r" outside quotes is dropped
//    everywhere (even mid-word) and only "\n" advances the line counter;
//  - a '"' opens a quoted token only as the first character of a token; inside quotes only
//    \" is an escape, every other backslash is kept; the closing quote ends the token at once;
//    EOF inside quotes yields the collected text (nothing at all if it is empty);
//  - an unquoted '#' starts a comment that lasts until the end of the line, except that the
//    comment flag only lives for the current token scan: "log#x y" gives "log" and "y".

/** Where a token or a comment stands. */
interface LexSpan {
  /** A token's text as CoreDNS sees it (quotes removed, \" unescaped, \r dropped); a comment's from '#' up to (not including) the character that ended it, trailing white space dropped. */
  text: string;
  /** 1-based line (CoreDNS numbering: only "\n" counts). */
  line: number;
  /** 1-based column in UTF-16 code units of the first source character. */
  column: number;
  /** UTF-16 offset of the first source character (the opening quote for quoted tokens). */
  offset: number;
  /** Offset just past the last source character (past the closing quote). */
  endOffset: number;
}

export type LexComment = LexSpan;

export interface LexToken extends LexSpan {
  /** The token was written in quotes. */
  quoted: boolean;
}

export interface LexResult {
  tokens: LexToken[];
  comments: LexComment[];
  /** Lexing stopped at maxTokens: the text holds more tokens than that. */
  truncated?: boolean;
}

/** Go's unicode.IsSpace for a single UTF-16 code unit (all Go white space is in the BMP). */
export function isGoSpace(c: number): boolean {
  if (c <= 0xff) {
    return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0x85 || c === 0xa0;
  }
  return (
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

/** Token texts this short are shared between the tokens of one file that have the same text, up to this many texts. */
const MAX_SHARED_TEXT = 16;
const MAX_SHARED_TEXTS = 4096;

const BACKSLASH = 0x5c;
const QUOTE = 0x22;
const HASH = 0x23;
const LF = 0x0a;
const CR = 0x0d;

/**
 * Tokens in flat lists, token i at index i: its text is its only object, its numbers sit in a typed
 * array. The parser reads them this way; as objects (lexCorefile), the 500,000 tokens of a Corefile
 * of 100,000 server blocks each outlived several young-generation collections, each copying it.
 */
export class LexedTokens {
  readonly texts: string[] = [];
  /** line, column, offset, endOffset of each token. */
  private nums = new Int32Array(4 * 256);
  private flags = new Uint8Array(256);

  get length(): number {
    return this.texts.length;
  }

  push(text: string, line: number, column: number, offset: number, endOffset: number, quoted: boolean): void {
    const i = this.texts.length;
    if (i === this.flags.length) {
      const nums = new Int32Array(this.nums.length * 2);
      nums.set(this.nums);
      this.nums = nums;
      const flags = new Uint8Array(this.flags.length * 2);
      flags.set(this.flags);
      this.flags = flags;
    }
    this.texts.push(text);
    const b = 4 * i;
    this.nums[b] = line;
    this.nums[b + 1] = column;
    this.nums[b + 2] = offset;
    this.nums[b + 3] = endOffset;
    this.flags[i] = quoted ? 1 : 0;
  }

  line(i: number): number {
    return this.nums[4 * i]!;
  }
  column(i: number): number {
    return this.nums[4 * i + 1]!;
  }
  offset(i: number): number {
    return this.nums[4 * i + 2]!;
  }
  endOffset(i: number): number {
    return this.nums[4 * i + 3]!;
  }
  quoted(i: number): boolean {
    return this.flags[i] === 1;
  }
}

export interface LexedColumns {
  tokens: LexedTokens;
  comments: LexComment[];
  /** Lexing stopped at maxTokens: the text holds more tokens than that. */
  truncated?: boolean;
}

/** Lex a whole Corefile (or imported file). Never throws. Stops after maxTokens tokens (memory: a 20 MiB file holds ten million). */
export function lexCorefile(text: string, maxTokens = Infinity): LexResult {
  const { tokens: t, comments, truncated } = lexCorefileColumns(text, maxTokens);
  const tokens = t.texts.map((text, i): LexToken => ({ text, line: t.line(i), column: t.column(i), offset: t.offset(i), endOffset: t.endOffset(i), quoted: t.quoted(i) }));
  return truncated ? { tokens, comments, truncated } : { tokens, comments };
}

/** lexCorefile, its tokens in flat lists. */
export function lexCorefileColumns(text: string, maxTokens = Infinity): LexedColumns {
  const tokens = new LexedTokens();
  const comments: LexComment[] = [];
  const n = text.length;
  let pos = 0;
  if (n > 0 && text.charCodeAt(0) === 0xfeff) pos = 1;
  let line = 1;
  let lineStart = 0; // offset of the first character of the current line

  // comment bookkeeping
  let cStart = -1;
  let cLine = 0;
  let cCol = 0;
  let cEnd = -1;
  const endComment = (): void => {
    if (cStart >= 0) {
      comments.push({ text: text.slice(cStart, cEnd), line: cLine, column: cCol, offset: cStart, endOffset: cEnd });
      cStart = -1;
    }
  };

  // The state of one token's scan, reset for each (declared once: closures made per token cost an
  // allocation each, 500,000 times in a large Corefile).
  let parts: string[] = [];
  let valLen = 0; // number of UTF-16 units collected so far (Go: len(val) > 0 test)
  let chunkStart = -1; // start of the current run of verbatim characters in `text`
  let comment = false;
  let quoted = false;
  let escaped = false;
  let tStart = -1;
  let tLine = 0;
  let tCol = 0;
  let tEnd = -1;
  let wasQuoted = false;

  const flush = (upTo: number): void => {
    if (chunkStart >= 0) {
      parts.push(text.slice(chunkStart, upTo));
      chunkStart = -1;
    }
  };
  // Short token texts repeat (plugin names, `.`, upstream addresses): one string each, shared by the
  // tokens that have it, instead of a copy per token kept with the model (200,000 of them in a
  // Corefile of 100,000 server blocks). Longer texts are mostly keys and names, seldom repeated.
  const shared = new Map<string, string>();
  const emit = (): void => {
    let s = parts.length === 1 ? parts[0]! : parts.join("");
    if (s.length <= MAX_SHARED_TEXT) {
      const had = shared.get(s);
      if (had !== undefined) s = had;
      else if (shared.size < MAX_SHARED_TEXTS) shared.set(s, s);
    }
    tokens.push(s, tLine, tCol, tStart, tEnd, wasQuoted);
    parts = [];
  };

  // One iteration of this outer loop is one call of Go's lexer.next().
  for (;;) {
    if (tokens.length >= maxTokens) return { tokens, comments, truncated: true };
    if (parts.length > 0) parts = [];
    valLen = 0;
    chunkStart = -1;
    comment = false;
    quoted = false;
    escaped = false;
    tStart = -1;
    tLine = 0;
    tCol = 0;
    tEnd = -1;
    wasQuoted = false;

    let produced = false;
    while (pos < n) {
      const chPos = pos;
      const ch = text.charCodeAt(pos++);

      if (quoted) {
        if (!escaped) {
          if (ch === BACKSLASH) {
            flush(chPos);
            escaped = true;
            tEnd = pos;
            continue;
          } else if (ch === QUOTE) {
            flush(chPos);
            tEnd = pos;
            emit();
            produced = true;
            break;
          }
        }
        if (ch === LF) {
          line++;
          lineStart = pos;
        }
        if (escaped) {
          // only \" is an escape; any other escaped character keeps its backslash
          if (ch !== QUOTE) {
            parts.push("\\");
          }
          escaped = false;
          chunkStart = chPos;
        } else if (chunkStart < 0) {
          chunkStart = chPos;
        }
        valLen++;
        tEnd = pos;
        continue;
      }

      if (isGoSpace(ch)) {
        if (ch === CR) {
          flush(chPos);
          continue;
        }
        if (ch === LF) {
          line++;
          lineStart = pos;
          if (comment) endComment();
          comment = false;
        }
        if (valLen > 0) {
          flush(chPos);
          if (comment) endComment();
          emit();
          produced = true;
          break;
        }
        continue;
      }

      if (ch === HASH && !comment) {
        comment = true;
        flush(chPos);
        cStart = chPos;
        cLine = line;
        cCol = chPos - lineStart + 1;
        cEnd = pos;
      }
      if (comment) {
        cEnd = pos;
        continue;
      }

      if (valLen === 0) {
        tStart = chPos;
        tLine = line;
        tCol = chPos - lineStart + 1;
        if (ch === QUOTE) {
          quoted = true;
          wasQuoted = true;
          tEnd = pos;
          continue;
        }
      }
      if (chunkStart < 0) chunkStart = chPos;
      valLen++;
      tEnd = pos;
    }
    if (produced) continue;
    // EOF
    if (comment) endComment();
    if (valLen > 0) {
      flush(n);
      emit();
      continue; // the next scan sees EOF immediately and stops
    }
    break;
  }
  return { tokens, comments };
}

/**
 * Decode bytes the way Go's bufio.Reader.ReadRune does: every byte of an invalid UTF-8
 * sequence becomes one U+FFFD. (TextDecoder replaces maximal subparts instead, which differs.)
 */
export function decodeCorefileBytes(bytes: Uint8Array): string {
  const out: string[] = [];
  let chunk: number[] = [];
  const push = (cp: number): void => {
    chunk.push(cp);
    if (chunk.length >= 4096) {
      out.push(String.fromCodePoint(...chunk));
      chunk = [];
    }
  };
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b0 = bytes[i]!;
    if (b0 < 0x80) {
      push(b0);
      i++;
      continue;
    }
    let need = 0;
    let min = 0;
    let cp = 0;
    let lo = 0x80;
    let hi = 0xbf;
    if (b0 >= 0xc2 && b0 <= 0xdf) {
      need = 1;
      cp = b0 & 0x1f;
      min = 0x80;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
      need = 2;
      cp = b0 & 0x0f;
      min = 0x800;
      if (b0 === 0xe0) lo = 0xa0;
      if (b0 === 0xed) hi = 0x9f; // no surrogates
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      need = 3;
      cp = b0 & 0x07;
      min = 0x10000;
      if (b0 === 0xf0) lo = 0x90;
      if (b0 === 0xf4) hi = 0x8f;
    } else {
      push(0xfffd);
      i++;
      continue;
    }
    let ok = true;
    for (let k = 1; k <= need; k++) {
      const b = bytes[i + k];
      const l = k === 1 ? lo : 0x80;
      const h = k === 1 ? hi : 0xbf;
      if (b === undefined || b < l || b > h) {
        ok = false;
        break;
      }
      cp = (cp << 6) | (b & 0x3f);
    }
    if (!ok || cp < min) {
      push(0xfffd);
      i++;
      continue;
    }
    push(cp);
    i += need + 1;
  }
  if (chunk.length > 0) out.push(String.fromCodePoint(...chunk));
  return out.join("");
}
