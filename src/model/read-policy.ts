/**
 * What the linter may read: regular files inside the input (its real paths), up to a size. A
 * repository under review is untrusted: a symbolic link in it that leads to the CI runner's own
 * files (/etc, a token) is not followed, so no value of such a file can reach a report or a log.
 */
import { lstatSync, realpathSync } from "node:fs";
import path from "node:path";

export interface ReadPolicy {
  /** Real paths of the directories the input may read from (the working directory and every input path). */
  roots: string[];
  maxFileSize: number;
}

export function makeReadPolicy(cwd: string, inputs: readonly string[], maxFileSize: number): ReadPolicy {
  const roots = new Set<string>();
  for (const p of [cwd, ...inputs.map((i) => path.resolve(cwd, i))]) {
    try {
      // A directory is a root; a file is not its own root (a link named on the command line could
      // lead anywhere): its directory is.
      const st = lstatSync(p);
      roots.add(realpathSync.native(st.isDirectory() ? p : path.dirname(p)));
    } catch {
      /* a glob or a path that does not exist: it adds no root */
    }
  }
  return { roots: [...roots], maxFileSize };
}

/**
 * The real path of `abs` when it lies outside every root (a link that leads out of the input), else
 * null. `walked`: found by walking a root, which never enters linked directories, so only a link
 * itself can lead out (the common case costs no real-path lookup).
 */
export function leadsOutside(abs: string, policy: ReadPolicy, walked = false): string | null {
  let real: string;
  try {
    if (walked && !lstatSync(abs).isSymbolicLink()) return null;
    real = realpathSync.native(abs);
  } catch {
    return null;
  }
  for (const root of policy.roots) {
    const rel = path.relative(root, real);
    if (rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel))) return null;
  }
  return real;
}
