/** Small helpers for rule messages and locations. */
import type { Loc } from "../../model/types.js";

/** `file:line` of a location, for messages that name the other side of a cross-file finding. */
export function where(loc: Loc | null | undefined): string {
  if (!loc) return "the config file's facts";
  return `${loc.file.path}:${loc.file.lines.position(loc.start).line}`;
}
