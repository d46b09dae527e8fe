/** Where rule documentation lives: in the package (`docs/rules/<id>.md`) and online (SARIF helpUri, pretty links). */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const DOCS_BASE_URL = "https://github.com/kube-netlint/kube-netlint/blob/main/docs/rules/";

export function ruleDocsUrl(id: string): string {
  return `${DOCS_BASE_URL}${id}.md`;
}

/** The package root: the nearest directory upward from this module with kube-netlint's package.json. */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, "package.json");
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, "utf8")) as { name?: string }).name === "kube-netlint") return dir;
      } catch {
        /* keep looking */
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("kube-netlint's package.json was not found above " + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

export function ruleDocPath(id: string): string {
  return path.join(packageRoot(), "docs", "rules", `${id}.md`);
}
