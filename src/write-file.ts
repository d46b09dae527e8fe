/** Files written whole or not at all. */
import { renameSync, unlinkSync, writeFileSync } from "node:fs";

/**
 * Write `content` to `tmp`, then rename it over `target`: a reader never sees half a file. On a
 * failure the temporary file is removed and the error is thrown again.
 */
export function writeViaRename(target: string, tmp: string, content: string | Uint8Array): void {
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, target);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      /* nothing to clean */
    }
    throw e;
  }
}
