/** Files written whole or not at all. */
import { closeSync, openSync, renameSync, unlinkSync, writeFileSync, writeSync } from "node:fs";

/**
 * Write `content` to `tmp`, then rename it over `target`: a reader never sees half a file. On a
 * failure the temporary file is removed and the error is thrown again.
 */
export function writeViaRename(target: string, tmp: string, content: string | Uint8Array | { pieces: Iterable<string> }): void {
  try {
    if (typeof content === "string" || content instanceof Uint8Array) writeFileSync(tmp, content);
    else writePieces(tmp, content.pieces);
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

/** Write pieces of text to a new file one after the other (never all of them in memory at once). */
function writePieces(file: string, pieces: Iterable<string>): void {
  const fd = openSync(file, "w");
  try {
    for (const piece of pieces) {
      const bytes = Buffer.from(piece, "utf8");
      for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done);
    }
  } finally {
    closeSync(fd);
  }
}
