/**
 * The findings a run has emitted, to drop a repeat (one problem, one finding). Keyed by rule,
 * line and column per file, holding the message(s) there: a key that held the whole message, as it
 * did, was a second copy of every message (90 MB for 300,000 findings in one file).
 */
const POSITION_COLUMNS = 2 ** 20;

export class SeenFindings {
  /** file -> rule -> position (a number: line * 2^20 + column; a string past that) -> message(s). */
  private readonly byFile = new Map<string, Map<string, Map<number | string, string | string[]>>>();

  /** Forget everything (a group of files is done: no finding of a later group can repeat its findings). */
  clear(): void {
    this.byFile.clear();
  }

  /** True the first time this finding (rule, file, line, column, message) is seen. */
  add(ruleId: string, file: string, line: number, column: number, message: string): boolean {
    let rules = this.byFile.get(file);
    if (!rules) this.byFile.set(file, (rules = new Map()));
    let at = rules.get(ruleId);
    if (!at) rules.set(ruleId, (at = new Map()));
    // A number key, not a string built per finding: no string to build, hash and keep for each of
    // 300,000 findings in one file. Exact while line < 2^33 and column < 2^20.
    const key = column < POSITION_COLUMNS && line < 2 ** 33 ? line * POSITION_COLUMNS + column : `${line}\0${column}`;
    const had = at.get(key);
    if (had === undefined) {
      at.set(key, message);
      return true;
    }
    if (had === message) return false;
    if (typeof had === "string") {
      at.set(key, [had, message]);
      return true;
    }
    if (had.includes(message)) return false;
    had.push(message);
    return true;
  }
}
