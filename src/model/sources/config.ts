/** The config file's `k3sConfigFiles` globs as a display-path test for the source adapters. */
import path from "node:path";
import { picomatch } from "../../lazy-deps.js";
import type { SourceFileOptions } from "./index.js";

export function sourceFileOptions(cwd: string, config: { k3sConfigFiles?: { patterns: string[]; base: string } }): SourceFileOptions {
  const k3s = config.k3sConfigFiles;
  if (!k3s) return {};
  const match = picomatch(k3s.patterns, { dot: true });
  return {
    named: (displayPath) => {
      const rel = path.relative(k3s.base, path.resolve(cwd, displayPath)).split(path.sep).join("/");
      return !rel.startsWith("..") && match(rel);
    },
  };
}
