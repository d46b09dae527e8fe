/** Shared value types: positions and findings. Lines and columns are 1-based; columns count UTF-16 code units. */

export type Severity = "error" | "warning" | "info";
export type SeverityOrOff = Severity | "off";

/** A range in one file as it is on disk. `file` is the path as discovered (relative to the working directory, `/` separators). */
export interface SourceRange {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface RelatedLocation {
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  message: string;
  /** Set when this location is another finding's: the rule whose finding there causes this one. */
  causeRuleId?: string;
}

/** One exact text edit: replace [start, end) (UTF-16 offsets into the file on disk) with `text`. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

export interface Fix {
  description: string;
  file: string;
  edits: TextEdit[];
}

export interface Finding extends SourceRange {
  ruleId: string;
  severity: Severity;
  message: string;
  related?: RelatedLocation[];
  /** Path of the field in a structured config document, e.g. `iptables.syncPeriod`. */
  field?: string;
  fix?: Fix | null;
  /** Identity that survives unrelated edits (SARIF partialFingerprints, baselines). */
  fingerprint?: string;
}
