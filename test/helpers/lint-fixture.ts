import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { runLint } from "../../src/engine/lint.js";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const FIXTURES = path.join(ROOT, "fixtures");
export const SHARED = path.resolve(ROOT, "../shared");

/** Lint a fixture directory as a user would from inside it (its own .kube-netlint.yaml, no other config). */
export function lintFixture(fixture: string, extra: { rules?: Record<string, "off" | "info" | "warning" | "error"> } = {}) {
  const dir = path.join(FIXTURES, fixture);
  if (!existsSync(dir)) throw new Error(`no fixture ${fixture}`);
  const config = existsSync(path.join(dir, ".kube-netlint.yaml")) ? ".kube-netlint.yaml" : null;
  return runLint(["."], { cwd: dir, config, ...(extra.rules ? { rules: extra.rules } : {}) });
}
