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

/**
 * Write pieces of text to a new file one after the other (never all of them in memory at once).
 * Each piece is encoded into one reused buffer: a new Buffer per piece (a megabyte each, 150 of
 * them for a report of 300,000 findings) is external memory that V8 answers with full garbage
 * collections of the whole heap.
 */
function writePieces(file: string, pieces: Iterable<string>): void {
  const fd = openSync(file, "w");
  let buffer = Buffer.allocUnsafe(0);
  try {
    for (const piece of pieces) {
      // At most 3 bytes of UTF-8 per UTF-16 code unit: the piece always fits whole.
      if (piece.length * 3 > buffer.length) buffer = Buffer.allocUnsafe(Math.max(piece.length * 3, 1 << 16));
      const length = buffer.write(piece, 0, "utf8");
      for (let done = 0; done < length; ) done += writeSync(fd, buffer, done, length - done);
    }
  } finally {
    closeSync(fd);
  }
}
