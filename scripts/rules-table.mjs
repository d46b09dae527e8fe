// Regenerates the rules table in README.md (between the rules-table markers) from the rules' metadata.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";

const table = execFileSync(process.execPath, ["dist/cli.cjs", "rules", "--format", "markdown"], { encoding: "utf8" }).trim();
const readme = readFileSync("README.md", "utf8");
const next = readme.replace(/(<!-- rules-table:start -->\n)[\s\S]*?(\n<!-- rules-table:end -->)/, `$1${table}$2`);
if (next === readme) console.log("README.md rules table is current");
else {
  writeFileSync("README.md", next);
  console.log("README.md rules table updated");
}
