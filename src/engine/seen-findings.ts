/**
 * The findings a run has emitted, to drop a repeat (one problem, one finding). Keyed by rule,
 * line and column per file, holding the message(s) there: a key that held the whole message, as it
 * did, was a second copy of every message (90 MB for 300,000 findings in one file).
 */
export class SeenFindings {
  private readonly byFile = new Map<string, Map<string, string | string[]>>();

  /** Forget everything (a group of files is done: no finding of a later group can repeat its findings). */
  clear(): void {
    this.byFile.clear();
  }

  /** True the first time this finding (rule, file, line, column, message) is seen. */
  add(ruleId: string, file: string, line: number, column: number, message: string): boolean {
    let at = this.byFile.get(file);
    if (!at) this.byFile.set(file, (at = new Map()));
    const key = `${ruleId}\0${line}\0${column}`;
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
