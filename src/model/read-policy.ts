/**
 * What the linter may read: regular files inside the input (its real paths), up to a size. A
 * repository under review is untrusted: a symbolic link in it that leads to the CI runner's own
 * files (/etc, a token) is not followed, so no value of such a file can reach a report or a log.
 */
import { realpathSync } from "node:fs";
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
      roots.add(realpathSync(p));
    } catch {
      /* a glob or a path that does not exist: it adds no root */
    }
  }
  return { roots: [...roots], maxFileSize };
}

/** The real path of `abs` when it lies outside every root (a link that leads out of the input), else null. */
export function leadsOutside(abs: string, policy: ReadPolicy): string | null {
  let real: string;
  try {
    real = realpathSync(abs);
  } catch {
    return null;
  }
  for (const root of policy.roots) {
    const rel = path.relative(root, real);
    if (rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel))) return null;
  }
  return real;
}
