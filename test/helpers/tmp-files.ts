/** A temporary directory per test file, and a writer of files under it (parents created). */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";

export function tmpFiles(prefix: string): { dir: () => string; write: (rel: string, text: string) => string } {
  let tmp = "";
  beforeAll(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), prefix));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  return {
    dir: () => tmp,
    write(rel, text) {
      const abs = path.join(tmp, rel);
      mkdirSync(path.dirname(abs), { recursive: true });
      writeFileSync(abs, text);
      return abs;
    },
  };
}
