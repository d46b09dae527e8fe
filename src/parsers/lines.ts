/**
 * Offset <-> line/column for one text. Line breaks are LF, CRLF and a lone CR (as in YAML and in
 * editors). Lines and columns are 1-based; columns count UTF-16 code units.
 */
const LF = 10;
const CR = 13;

export class LineIndex {
  private readonly starts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === LF) starts.push(i + 1);
      else if (c === CR) {
        if (i + 1 < n && text.charCodeAt(i + 1) === LF) i++;
        starts.push(i + 1);
      }
    }
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  position(offset: number): { line: number; column: number } {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: o - this.starts[lo]! + 1 };
  }

  /** Offset of a 1-based line and column (clamped to the text). */
  offsetAt(line: number, column: number): number {
    return Math.min(this.lineStart(line) + Math.max(column, 1) - 1, this.text.length);
  }

  /** Offset of the first character of a 1-based line (clamped). */
  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line - 1, this.starts.length - 1))]!;
  }

  /** Offset just past the last character of a 1-based line, before its line break. */
  lineEnd(line: number): number {
    if (line >= this.starts.length) return this.text.length;
    let end = this.starts[Math.max(line, 1)]! - 1;
    if (this.text.charCodeAt(end) === LF && end > 0 && this.text.charCodeAt(end - 1) === CR) end--;
    return Math.max(end, this.lineStart(line));
  }

  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }
}

/** The lines of a text (LF or CRLF breaks), each with its 1-based number and start offset, the break excluded. */
export function* eachLine(text: string): Generator<{ text: string; line: number; start: number }> {
  let pos = 0;
  let line = 0;
  while (pos <= text.length) {
    line++;
    const nl = text.indexOf("\n", pos);
    const end = nl === -1 ? text.length : nl;
    yield { text: text.slice(pos, end).replace(/\r$/, ""), line, start: pos };
    if (nl === -1) return;
    pos = nl + 1;
  }
}
