#!/usr/bin/env node
// Runs a Node.js ESM script (dist/cli.js) in this process and, when the process exits, writes its
// peak resident set size in KiB (process.resourceUsage().maxRSS) to RSS_FILE. bench/run.mjs uses it
// to measure the lint's memory when /usr/bin/time is not installed.
//
//   node bench/measure-child.mjs RSS_FILE SCRIPT [ARGS...]
import { writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [rssFile, script, ...args] = process.argv.slice(2);
if (!rssFile || !script) {
  process.stderr.write("usage: node bench/measure-child.mjs RSS_FILE SCRIPT [ARGS...]\n");
  process.exit(2);
}
const abs = path.resolve(script);
// The script sees the argv it would see when run directly: [node, script, ...args].
process.argv = [process.argv[0], abs, ...args];
process.on("exit", () => writeFileSync(rssFile, `${process.resourceUsage().maxRSS}\n`));
await import(pathToFileURL(abs).href);
