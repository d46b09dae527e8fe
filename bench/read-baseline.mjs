#!/usr/bin/env node
// The floor for the full lint: find every file of a repository with fast-glob (as the linter's
// discovery does) and read each one into a string. No parsing. Prints {"files":N,"bytes":B}.
//
//   node bench/read-baseline.mjs DIR
import fg from "fast-glob";
import { readFileSync } from "node:fs";

const root = process.argv[2];
if (!root) {
  process.stderr.write("usage: node bench/read-baseline.mjs DIR\n");
  process.exit(2);
}
const files = fg.sync("**", {
  cwd: root,
  absolute: true,
  dot: true,
  onlyFiles: true,
  followSymbolicLinks: false,
  ignore: ["**/node_modules/**", "**/.git/**"],
  suppressErrors: true,
});
let bytes = 0;
let chars = 0;
for (const f of files) {
  const buf = readFileSync(f);
  bytes += buf.length;
  chars += buf.toString("utf8").length;
}
process.stdout.write(JSON.stringify({ files: files.length, bytes, chars }) + "\n");
