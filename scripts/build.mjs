// Builds the published artefacts: one bundled CLI (fast start-up), the bundled library entry, and
// the library's type declarations. `prepare` runs this, so `npm ci` leaves a working CLI.
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { rmSync, chmodSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
process.chdir(root);
rmSync("dist", { recursive: true, force: true });

await build({
  entryPoints: { cli: "src/cli/main.ts", "lib/index": "src/index.ts" },
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  chunkNames: "chunks/[name]-[hash]",
  // Some dependencies are CommonJS and call require(): give the ESM bundle one.
  banner: {
    js: "import { createRequire as __knlCreateRequire } from 'node:module'; const require = __knlCreateRequire(import.meta.url);",
  },
  logLevel: "warning",
});
chmodSync("dist/cli.js", 0o755);

const tsc = spawnSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.json", "--emitDeclarationOnly"], {
  stdio: "inherit",
});
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
