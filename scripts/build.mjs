// Builds the published artefacts:
// - dist/cli.cjs: the whole CLI in one minified file, and dist/cli.cjs.cache: V8's code cache of it,
//   recorded by a warm-up run over examples/; dist/cli.js, the bin, loads the bundle with that cache
//   (start-up then compiles almost nothing) and falls back to a plain compile on another Node/V8;
// - dist/lib/index.js: the programmatic API (ESM), and its type declarations in dist/types.
// `prepare` runs this, so `npm ci` leaves a working CLI.
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { chmodSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
process.chdir(root);
rmSync("dist", { recursive: true, force: true });

await build({
  entryPoints: { "lib/index": "src/index.ts" },
  outdir: "dist",
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  // Some dependencies are CommonJS and call require(): give the ESM bundle one.
  banner: { js: "import { createRequire as __knlCreateRequire } from 'node:module'; const require = __knlCreateRequire(import.meta.url);" },
  logLevel: "warning",
});

await build({
  entryPoints: { cli: "src/cli/main.ts" },
  outfile: "dist/cli.cjs",
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  minify: true,
  define: { "import.meta.url": "__knlModuleUrl" },
  banner: { js: "var __knlModuleUrl=require('node:url').pathToFileURL(__filename).href;" },
  logLevel: "warning",
});

writeFileSync(
  "dist/cli.js",
  `#!/usr/bin/env node
// kube-netlint's bin: runs dist/cli.cjs, with V8's code cache from the build when this Node accepts it.
import { readFileSync } from "node:fs";
import { createRequire, Module } from "node:module";
import { fileURLToPath } from "node:url";
import path from "node:path";
import vm from "node:vm";

const file = fileURLToPath(new URL("./cli.cjs", import.meta.url));
let cachedData;
try {
  cachedData = readFileSync(file + ".cache");
} catch {
  cachedData = undefined;
}
const script = new vm.Script(Module.wrap(readFileSync(file, "utf8")), { filename: file, cachedData });
const module = { exports: {} };
script.runInThisContext()(module.exports, createRequire(file), module, file, path.dirname(file));
module.exports.main();
`,
);
chmodSync("dist/cli.js", 0o755);

// Record the code cache after a warm-up run, in a child process so that the build itself stays clean.
const recorder = `
const { readFileSync, writeFileSync } = require("node:fs");
const { Module, createRequire } = require("node:module");
const path = require("node:path");
const vm = require("node:vm");
const file = path.resolve("dist/cli.cjs");
const script = new vm.Script(Module.wrap(readFileSync(file, "utf8")), { filename: file });
const module = { exports: {} };
script.runInThisContext()(module.exports, createRequire(file), module, file, path.dirname(file));
module.exports.warmUp(path.resolve("examples")).then(() => writeFileSync(file + ".cache", script.createCachedData()));
`;
const cache = spawnSync(process.execPath, ["-e", recorder], { stdio: "inherit" });
if (cache.status !== 0) console.warn("build: the V8 code cache was not recorded; the CLI still works, only its start-up is slower");

const tsc = spawnSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.json", "--emitDeclarationOnly"], { stdio: "inherit" });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
