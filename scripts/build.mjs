// Builds the published artefacts:
// - dist/kube-netlint.cjs: the whole CLI in one minified file, and dist/kube-netlint.cjs.cache: V8's
//   code cache of it; dist/cli.cjs, the bin, loads the bundle with that cache and falls back to a
//   plain compile on another Node/V8. The bin is CommonJS: an ES module entry point costs Node's ESM
//   loader a few ms more.
//   The cache holds what a warm-up run compiled: a pre-commit hook's usual run, two changed
//   manifests of examples/ (the CoreDNS objects and an application Deployment) in the compact
//   format. Deserialising costs about 1 ms per 250 KB of cache on every start, so it holds no more:
//   a run over a whole repository compiles the other rules' code lazily, a few ms of a run of
//   seconds.
// - dist/lib/index.js: the programmatic API (ESM), and its type declarations in dist/types.
// `prepare` runs this, so `npm ci` leaves a working CLI.
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { chmodSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

// eslint-formatter-pretty looks a rule's link up in eslint-rule-docs (170 KB of ESLint plugins'
// URLs) only when the results carry none; formatters/pretty.ts gives every rule its docs URL, so
// the table would be read from disk on every start and never used.
const noRuleDocs = {
  name: "no-eslint-rule-docs",
  setup(b) {
    b.onResolve({ filter: /^eslint-rule-docs$/ }, () => ({ path: "eslint-rule-docs", namespace: "knl-stub" }));
    b.onLoad({ filter: /.*/, namespace: "knl-stub" }, () => ({ contents: "export default function getRuleDocs() { return {}; }", loader: "js" }));
  },
};
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
  plugins: [noRuleDocs],
  logLevel: "warning",
});

await build({
  entryPoints: { cli: "src/cli/main.ts" },
  outfile: "dist/kube-netlint.cjs",
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  minify: true,
  define: { "import.meta.url": "__knlModuleUrl" },
  banner: { js: "var __knlModuleUrl=require('node:url').pathToFileURL(__filename).href;" },
  plugins: [noRuleDocs],
  logLevel: "warning",
});

// The launcher and the cache recorder load the bundle the same way, so that V8 accepts the cache.
const loadBundle = `const { readFileSync } = require("node:fs");
const { createRequire, Module } = require("node:module");
const path = require("node:path");
const vm = require("node:vm");
const file = path.join(__dirname, "kube-netlint.cjs");
function loadBundle(cachedData) {
  const script = new vm.Script(Module.wrap(readFileSync(file, "utf8")), { filename: file, cachedData });
  const bundle = { exports: {} };
  script.runInThisContext()(bundle.exports, createRequire(file), bundle, file, __dirname);
  return { script, cli: bundle.exports };
}`;

writeFileSync(
  "dist/cli.cjs",
  `#!/usr/bin/env node
// kube-netlint's bin: runs dist/kube-netlint.cjs, with V8's code cache from the build when this Node accepts it.
"use strict";
${loadBundle}
let cachedData;
try {
  cachedData = readFileSync(file + ".cache");
} catch {
  cachedData = undefined;
}
loadBundle(cachedData).cli.main();
`,
);
chmodSync("dist/cli.cjs", 0o755);

// Record the code cache after a warm-up run, in a child process so that the build itself stays clean.
writeFileSync(
  "dist/record-cache.cjs",
  `"use strict";
${loadBundle}
const { script, cli } = loadBundle(undefined);
cli.warmUp(process.argv.slice(2).map((p) => path.resolve(p))).then(() => require("node:fs").writeFileSync(file + ".cache", script.createCachedData()));
`,
);
const cache = spawnSync(process.execPath, ["dist/record-cache.cjs", "examples/clusters/prod/kube-system/coredns.yaml", "examples/apps/shop/web/deployment.yaml"], { stdio: "inherit" });
rmSync("dist/record-cache.cjs");
if (cache.status !== 0) console.warn("build: the V8 code cache was not recorded; the CLI still works, only its start-up is slower");

const tsc = spawnSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.json", "--emitDeclarationOnly"], { stdio: "inherit" });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
