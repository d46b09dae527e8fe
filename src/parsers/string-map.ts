/**
 * Maps each character of a decoded YAML or JSON string back to its offset in the file, so that a
 * Corefile inside a ConfigMap reports the YAML file's own line and column. The decoded text is
 * checked against the parser's value: when this decoder disagrees (an exotic folding case), every
 * character maps to the start of the scalar rather than to a wrong place.
 */

export interface StringSourceMap {
  /** offsets[i] = file offset of value character i; offsets[value.length] = offset just past the value. */
  offsets: Int32Array;
  exact: boolean;
}

/**
 * The decoded characters (UTF-16 code units) with their source offsets, in typed arrays: a
 * multi-megabyte value would otherwise cost a string and a number object per character.
 */
class Decoded {
  codes = new Uint16Array(64);
  offsets = new Int32Array(64);
  length = 0;

  push(code: number, offset: number): void {
    if (this.length === this.codes.length) {
      const codes = new Uint16Array(this.length * 2);
      codes.set(this.codes);
      this.codes = codes;
      const offsets = new Int32Array(this.length * 2);
      offsets.set(this.offsets);
      this.offsets = offsets;
    }
    this.codes[this.length] = code;
    this.offsets[this.length++] = offset;
  }

  pushString(s: string, offset: number): void {
    for (let k = 0; k < s.length; k++) this.push(s.charCodeAt(k), offset);
  }

  /** Whether the first value.length characters are exactly value. */
  startsWith(value: string): boolean {
    if (this.length < value.length) return false;
    for (let i = 0; i < value.length; i++) if (this.codes[i] !== value.charCodeAt(i)) return false;
    return true;
  }
}

const SIMPLE_ESCAPES: Record<string, string> = {
  "0": "\0", a: "\x07", b: "\b", t: "\t", "\t": "\t", n: "\n", v: "\v", f: "\f", r: "\r", e: "\x1b",
  " ": " ", '"': '"', "/": "/", "\\": "\\", N: "\u0085", _: "\u00a0", L: "\u2028", P: "\u2029",
};

/**
 * @param text the whole file
 * @param start offset of the scalar's first source character (indicator or quote included)
 * @param end offset just past the scalar's source
 * @param type the yaml library's scalar type (BLOCK_LITERAL, BLOCK_FOLDED, QUOTE_DOUBLE, QUOTE_SINGLE, PLAIN) or "JSON"
 * @param value the decoded value the parser produced
 */
export function mapStringToSource(text: string, start: number, end: number, type: string, value: string): StringSourceMap {
  let decoded: Decoded | null = null;
  try {
    switch (type) {
      case "BLOCK_LITERAL":
      case "BLOCK_FOLDED":
        decoded = decodeBlock(text, start, end, type === "BLOCK_FOLDED");
        break;
      case "QUOTE_DOUBLE":
      case "JSON":
        decoded = decodeQuoted(text, start, end, true);
        break;
      case "QUOTE_SINGLE":
        decoded = decodeQuoted(text, start, end, false);
        break;
      default:
        decoded = decodePlain(text, start, end);
    }
  } catch {
    decoded = null;
  }
  if (decoded && decoded.startsWith(value)) {
    const offsets = new Int32Array(value.length + 1);
    offsets.set(decoded.offsets.subarray(0, value.length));
    offsets[value.length] = value.length < decoded.length ? decoded.offsets[value.length]! : end;
    return { offsets, exact: true };
  }
  return { offsets: new Int32Array(value.length + 1).fill(start), exact: false };
}

const LF = 0x0a;
const SPACE = 0x20;
const TAB = 0x09;

function decodeBlock(text: string, start: number, end: number, folded: boolean): Decoded {
  const headerEnd = text.indexOf("\n", start);
  if (headerEnd === -1 || headerEnd >= end) return new Decoded();
  const header = text.slice(start, headerEnd).replace(/#.*$/, "").trim();
  const explicit = /[1-9]/.exec(header);
  const lines: { from: number; to: number }[] = [];
  let pos = headerEnd + 1;
  while (pos < end) {
    const nl = text.indexOf("\n", pos);
    const lineEnd = nl === -1 || nl >= end ? end : nl;
    let to = lineEnd;
    if (to > pos && text[to - 1] === "\r") to--;
    lines.push({ from: pos, to });
    pos = lineEnd + 1;
  }
  let indent = 0;
  if (explicit) {
    // The indicator is relative to the parent's indentation: find it from the header line.
    const lineStart = text.lastIndexOf("\n", start - 1) + 1;
    const parentIndent = /^ */.exec(text.slice(lineStart, start))![0].length;
    indent = parentIndent + Number(explicit[0]);
  } else {
    for (const l of lines) {
      const s = text.slice(l.from, l.to);
      if (s.trim() !== "") {
        indent = /^ */.exec(s)![0].length;
        break;
      }
    }
  }
  const out = new Decoded();
  let prevMoreIndented = false;
  let prevWasContent = false;
  let pendingBreaks: number[] = [];
  let lastBreak = 0;
  for (const l of lines) {
    const s = text.slice(l.from, l.to);
    const blank = s.length <= indent && s.trim() === "";
    if (blank) {
      pendingBreaks.push(l.to);
      continue;
    }
    const contentFrom = l.from + indent;
    const moreIndented = text[contentFrom] === " " || text[contentFrom] === "\t";
    if (prevWasContent) {
      // The break that ended the previous content line, then any blank lines.
      const breakAt = pendingBreaks.length ? pendingBreaks : [];
      if (folded && !prevMoreIndented && !moreIndented) {
        if (breakAt.length === 0) out.push(SPACE, lastBreak);
        else for (const b of breakAt) out.push(LF, b);
      } else {
        out.push(LF, lastBreak);
        for (const b of breakAt) out.push(LF, b);
      }
    } else {
      for (const b of pendingBreaks) out.push(LF, b);
    }
    pendingBreaks = [];
    for (let i = contentFrom; i < l.to; i++) out.push(text.charCodeAt(i), i);
    lastBreak = l.to;
    prevWasContent = true;
    prevMoreIndented = moreIndented;
  }
  if (prevWasContent) out.push(LF, lastBreak);
  for (const b of pendingBreaks) out.push(LF, b);
  return out;
}
function decodeQuoted(text: string, start: number, end: number, double: boolean): Decoded {
  const out = new Decoded();
  const quote = double ? '"' : "'";
  let i = start + 1;
  const stop = text.lastIndexOf(quote, end - 1);
  while (i < stop) {
    const c = text[i]!;
    if (double && c === "\\") {
      const n = text[i + 1]!;
      if (n === "\n" || (n === "\r" && text[i + 2] === "\n")) {
        // Escaped line break: joins without a space; leading white space of the next line is dropped.
        i += n === "\r" ? 3 : 2;
        while (text[i] === " " || text[i] === "\t") i++;
        continue;
      }
      if (Object.prototype.hasOwnProperty.call(SIMPLE_ESCAPES, n)) {
        out.pushString(SIMPLE_ESCAPES[n]!, i);
        i += 2;
        continue;
      }
      const width = n === "x" ? 2 : n === "u" ? 4 : n === "U" ? 8 : 0;
      if (width === 0) throw new Error("bad escape");
      const hex = text.slice(i + 2, i + 2 + width);
      if (!/^[0-9A-Fa-f]+$/.test(hex) || hex.length !== width) throw new Error("bad escape");
      const cp = parseInt(hex, 16);
      if (cp > 0x10ffff) throw new Error("bad escape");
      out.pushString(String.fromCodePoint(cp), i);
      i += 2 + width;
      continue;
    }
    if (!double && c === "'" && text[i + 1] === "'") {
      out.push(0x27, i);
      i += 2;
      continue;
    }
    if (c === "\n" || c === "\r") {
      i = fold(text, i, stop, out);
      continue;
    }
    out.push(text.charCodeAt(i), i);
    i++;
  }
  return out;
}

/** Line folding inside flow scalars: trailing white space dropped, one break -> space, n breaks -> n-1 newlines. */
function fold(text: string, i: number, stop: number, out: Decoded): number {
  while (out.length && (out.codes[out.length - 1] === SPACE || out.codes[out.length - 1] === TAB) && out.offsets[out.length - 1]! < i) {
    const lastOffset = out.offsets[out.length - 1]!;
    // Only white space that stands literally before the break is trimmed, not escaped white space.
    if (text[lastOffset] === "\\") break;
    out.length--;
  }
  const breakAt = i;
  let breaks = 0;
  const extra: number[] = [];
  while (i < stop && (text[i] === "\n" || text[i] === "\r" || text[i] === " " || text[i] === "\t")) {
    if (text[i] === "\n") {
      breaks++;
      if (breaks > 1) extra.push(i);
    }
    i++;
  }
  if (breaks <= 1) out.push(SPACE, breakAt);
  else for (const b of extra) out.push(LF, b);
  return i;
}

function decodePlain(text: string, start: number, end: number): Decoded {
  const out = new Decoded();
  let i = start;
  while (i < end) {
    const c = text[i]!;
    if (c === "\n" || c === "\r") {
      i = fold(text, i, end, out);
      continue;
    }
    out.push(text.charCodeAt(i), i);
    i++;
  }
  return out;
}
