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
  let decoded: { chars: string[]; offsets: number[] } | null = null;
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
  if (decoded && decoded.chars.length >= value.length && decoded.chars.slice(0, value.length).join("") === value) {
    const offsets = new Int32Array(value.length + 1);
    for (let i = 0; i < value.length; i++) offsets[i] = decoded.offsets[i]!;
    offsets[value.length] = value.length < decoded.offsets.length ? decoded.offsets[value.length]! : end;
    return { offsets, exact: true };
  }
  return { offsets: new Int32Array(value.length + 1).fill(start), exact: false };
}

function decodeBlock(text: string, start: number, end: number, folded: boolean) {
  const headerEnd = text.indexOf("\n", start);
  if (headerEnd === -1 || headerEnd >= end) return { chars: [], offsets: [] };
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
  const chars: string[] = [];
  const offsets: number[] = [];
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
        if (breakAt.length === 0) {
          chars.push(" ");
          offsets.push(lastBreak);
        } else for (const b of breakAt) {
          chars.push("\n");
          offsets.push(b);
        }
      } else {
        chars.push("\n");
        offsets.push(lastBreak);
        for (const b of breakAt) {
          chars.push("\n");
          offsets.push(b);
        }
      }
    } else {
      for (const b of pendingBreaks) {
        chars.push("\n");
        offsets.push(b);
      }
    }
    pendingBreaks = [];
    for (let i = contentFrom; i < l.to; i++) {
      chars.push(text[i]!);
      offsets.push(i);
    }
    lastBreak = l.to;
    prevWasContent = true;
    prevMoreIndented = moreIndented;
  }
  if (prevWasContent) {
    chars.push("\n");
    offsets.push(lastBreak);
  }
  for (const b of pendingBreaks) {
    chars.push("\n");
    offsets.push(b);
  }
  return { chars, offsets };
}
function decodeQuoted(text: string, start: number, end: number, double: boolean) {
  const chars: string[] = [];
  const offsets: number[] = [];
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
      if (n in SIMPLE_ESCAPES) {
        chars.push(SIMPLE_ESCAPES[n]!);
        offsets.push(i);
        i += 2;
        continue;
      }
      const width = n === "x" ? 2 : n === "u" ? 4 : n === "U" ? 8 : 0;
      if (width === 0) throw new Error("bad escape");
      const cp = parseInt(text.slice(i + 2, i + 2 + width), 16);
      const s = String.fromCodePoint(cp);
      for (const ch of s.split("")) {
        chars.push(ch);
        offsets.push(i);
      }
      i += 2 + width;
      continue;
    }
    if (!double && c === "'" && text[i + 1] === "'") {
      chars.push("'");
      offsets.push(i);
      i += 2;
      continue;
    }
    if (c === "\n" || c === "\r") {
      i = fold(text, i, stop, chars, offsets);
      continue;
    }
    chars.push(c);
    offsets.push(i);
    i++;
  }
  return { chars, offsets };
}

/** Line folding inside flow scalars: trailing white space dropped, one break -> space, n breaks -> n-1 newlines. */
function fold(text: string, i: number, stop: number, chars: string[], offsets: number[]): number {
  while (chars.length && (chars[chars.length - 1] === " " || chars[chars.length - 1] === "\t") && offsets[offsets.length - 1]! < i) {
    const lastOffset = offsets[offsets.length - 1]!;
    // Only white space that stands literally before the break is trimmed, not escaped white space.
    if (text[lastOffset] === "\\") break;
    chars.pop();
    offsets.pop();
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
  if (breaks <= 1) {
    chars.push(" ");
    offsets.push(breakAt);
  } else for (const b of extra) {
    chars.push("\n");
    offsets.push(b);
  }
  return i;
}

function decodePlain(text: string, start: number, end: number) {
  const chars: string[] = [];
  const offsets: number[] = [];
  let i = start;
  while (i < end) {
    const c = text[i]!;
    if (c === "\n" || c === "\r") {
      i = fold(text, i, end, chars, offsets);
      continue;
    }
    chars.push(c);
    offsets.push(i);
    i++;
  }
  return { chars, offsets };
}
