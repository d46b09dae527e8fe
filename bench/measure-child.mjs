#!/usr/bin/env node
// Runs a Node.js script (dist/cli.cjs) in this process and, when the process exits, writes its
// peak resident set size in KiB (process.resourceUsage().maxRSS) to RSS_FILE. bench/run.mjs uses it
// to measure the lint's memory when /usr/bin/time is not installed.
//
//   node bench/measure-child.mjs RSS_FILE SCRIPT [ARGS...]
import { writeFileSync } from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const [rssFile, script, ...args] = process.argv.slice(2);
if (!rssFile || !script) {
  process.stderr.write("usage: node bench/measure-child.mjs RSS_FILE SCRIPT [ARGS...]\n");
  process.exit(2);
}
const abs = path.resolve(script);
// The script sees the argv it would see when run directly: [node, script, ...args].
process.argv = [process.argv[0], abs, ...args];
process.on("exit", () => writeFileSync(rssFile, `${process.resourceUsage().maxRSS}\n`));
// require() runs a CommonJS script as `node SCRIPT` would (the bin is CommonJS).
createRequire(import.meta.url)(abs);
