// The fleet benchmark (`npm run bench -- --fleet N`): many clusters in one run. Each cluster is a
// copy of fixtures/snapshots/collected (a `kube-netlint collect` snapshot, 19 files) in its own
// directory under the system's temporary directory (never in the repository), reused when complete.
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/** Written last: its presence means the fleet directory is complete. */
const COMPLETE = ".complete";

export function fleetDir(clusters) {
  return path.join(os.tmpdir(), `kube-netlint-fleet-${clusters}`);
}

/** DIR/c00001 ... DIR/cNNNNN, each a copy of the snapshot fixture. Returns { dir, generated }. */
export function ensureFleet(root, clusters, log) {
  const dir = fleetDir(clusters);
  if (existsSync(path.join(dir, COMPLETE))) return { dir, generated: false };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  log(`generating ${dir} (${clusters} copies of fixtures/snapshots/collected)...`);
  const src = path.join(root, "fixtures", "snapshots", "collected");
  const width = String(clusters).length;
  for (let i = 1; i <= clusters; i++) cpSync(src, path.join(dir, `c${String(i).padStart(width, "0")}`), { recursive: true });
  writeFileSync(path.join(dir, COMPLETE), "");
  return { dir, generated: true };
}

export function parseFleetSizes(value) {
  const sizes = String(value).split(",").map(Number);
  if (!sizes.every((n) => Number.isInteger(n) && n >= 1)) return null;
  return sizes.length === 1 ? [sizes[0], sizes[0] * 4] : sizes;
}
