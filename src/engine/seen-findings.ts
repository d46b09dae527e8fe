/**
 * The findings a run has emitted, to drop a repeat (one problem, one finding). Keyed by rule,
 * line and column per file, holding the message(s) there: a key that held the whole message, as it
 * did, was a second copy of every message (90 MB for 300,000 findings in one file).
 */
const POSITION_COLUMNS = 2 ** 20;

/** The message(s) seen at one position. */
type Messages = string | string[];

/**
 * The positions one rule reported in one file. A rule mostly reports down the file, so positions
 * that come in increasing order go to two arrays (a push each; a repeat found by binary search),
 * the others to a map: 300,000 findings in one file cost 0.3 s in a map of 300,000 entries.
 */
class Positions {
  private readonly ordered: number[] = [];
  private readonly orderedMessages: Messages[] = [];
  private other: Map<number | string, Messages> | undefined;

  add(key: number | string, message: string): boolean {
    const { ordered } = this;
    if (typeof key === "number") {
      const n = ordered.length;
      // A key in `other` is below the last ordered key: it went there because it was not above it.
      if (n === 0 || key > ordered[n - 1]!) {
        ordered.push(key);
        this.orderedMessages.push(message);
        return true;
      }
      const i = indexOf(ordered, key);
      if (i >= 0) {
        const [isNew, messages] = withMessage(this.orderedMessages[i]!, message);
        this.orderedMessages[i] = messages;
        return isNew;
      }
    }
    const other = (this.other ??= new Map());
    const had = other.get(key);
    if (had === undefined) {
      other.set(key, message);
      return true;
    }
    const [isNew, messages] = withMessage(had, message);
    other.set(key, messages);
    return isNew;
  }
}

/** The index of key in an ascending array, or -1. */
function indexOf(sorted: readonly number[], key: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid]!;
    if (v === key) return mid;
    if (v < key) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Whether message is new beside had, and the messages with it. */
function withMessage(had: Messages, message: string): [boolean, Messages] {
  if (had === message) return [false, had];
  if (typeof had === "string") return [true, [had, message]];
  if (had.includes(message)) return [false, had];
  had.push(message);
  return [true, had];
}

export class SeenFindings {
  /** file -> rule -> the positions reported. */
  private readonly byFile = new Map<string, Map<string, Positions>>();

  /** Forget everything (a group of files is done: no finding of a later group can repeat its findings). */
  clear(): void {
    this.byFile.clear();
  }

  /** True the first time this finding (rule, file, line, column, message) is seen. */
  add(ruleId: string, file: string, line: number, column: number, message: string): boolean {
    let rules = this.byFile.get(file);
    if (!rules) this.byFile.set(file, (rules = new Map()));
    let at = rules.get(ruleId);
    if (!at) rules.set(ruleId, (at = new Positions()));
    // A number key, not a string built per finding: no string to build, hash and keep for each of
    // 300,000 findings in one file. Exact while line < 2^33 and column < 2^20.
    const key = column < POSITION_COLUMNS && line < 2 ** 33 ? line * POSITION_COLUMNS + column : `${line}\0${column}`;
    return at.add(key, message);
  }
}
