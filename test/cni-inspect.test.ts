/**
 * The CNI loading corpus through the whole pipeline: each case is materialised on disk as a node's
 * /etc/cni/net.d (symlinks included), and `inspect` must agree with containerd's go-cni/libcni.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runInspect } from "../src/engine/inspect.js";
import { eachCase, haveShared, sharedPath } from "./helpers/shared.js";

const CASES = "corpus/cni-loading/cases.json";
const present = haveShared(CASES, "the CNI loading corpus tests are");

type Entry = string | { type: "file"; base64: string } | { type: "dir"; files: Record<string, Entry> } | { type: "symlink"; target: string };
interface Case {
  name: string;
  files: Record<string, Entry>;
  oracle: { containerd: { ready: boolean; errorFile: string | null; chosen: { file: string; name: string; pluginTypes: string[] } | null }; libcni: { confFiles: string[] } };
}

/**
 * A directory named on the command line is a conf dir when it holds something CNI-like. These
 * cases hold only a README and a kubeconfig, or only a plain subdirectory: linting such a folder
 * as a conf dir would flag every ordinary directory. Under nodes/NAME/etc/cni/net.d they load exactly.
 */
// An empty directory too (issue 14): an empty folder named on the command line is not a conf dir with no network.
const NOT_A_CONF_DIR_BY_CONTENT = new Set(["empty/only-readme", "subdirs/configs-only-in-subdir", "empty/empty-dir"]);

function materialise(dir: string, files: Record<string, Entry>): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, e] of Object.entries(files)) {
    const p = path.join(dir, name);
    if (typeof e === "string") writeFileSync(p, e, "utf8");
    else if (e.type === "file") writeFileSync(p, Buffer.from(e.base64, "base64"));
    else if (e.type === "dir") materialise(p, e.files);
    else symlinkSync(e.target, p);
  }
}

describe.skipIf(!present)("cni-loading corpus through inspect", () => {
  // Read in beforeAll (never at collection: a clone has no ../shared).
  let cases: Case[] = [];
  let root = "";
  beforeAll(() => {
    cases = (JSON.parse(readFileSync(sharedPath(CASES), "utf8")) as { cases: Case[] }).cases;
    root = mkdtempSync(path.join(os.tmpdir(), "knl-cni-"));
  });
  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });
  it("has cases", () => expect(cases.length).toBeGreaterThan(100));
  const check = (c: Case, dirs: ReturnType<typeof runInspect>["clusters"][number]["cniConfDirs"], expectedDir: string) => {
      expect(dirs.map((d) => d.dir)).toEqual([expectedDir]);
      const d = dirs[0]!;
      const o = c.oracle.containerd;
      expect(d.candidates).toEqual(c.oracle.libcni.confFiles);
      expect(d.ready).toBe(o.ready);
      expect(d.error?.file ?? null).toBe(o.ready ? null : o.errorFile);
      const active = d.active[0] ?? null;
      expect(active ? { file: active.file, name: active.name, pluginTypes: active.pluginTypes } : null).toEqual(
        o.chosen ? { file: o.chosen.file, name: o.chosen.name, pluginTypes: o.chosen.pluginTypes } : null,
      );
  };
  it("every case as a node's /etc/cni/net.d in a snapshot", () => eachCase(cases, (c) => c.name, (c, i) => {
    const caseRoot = path.join(root, String(i));
    materialise(path.join(caseRoot, "nodes", "node-1", "etc", "cni", "net.d"), c.files);
    const result = runInspect(["."], { cwd: caseRoot, config: null });
    check(c, result.clusters.flatMap((cl) => cl.cniConfDirs), "nodes/node-1/etc/cni/net.d");
  }));
  it("every case as a directory named on the command line", () => eachCase(cases, (c) => c.name, (c, i) => {
    const dir = path.join(root, `named-${i}`);
    materialise(dir, c.files);
    const result = runInspect([dir], { cwd: root, config: null });
    const dirs = result.clusters.flatMap((cl) => cl.cniConfDirs);
    if (NOT_A_CONF_DIR_BY_CONTENT.has(c.name)) {
      // Nothing in it tells it from an ordinary folder: only a path ending in net.d makes it one.
      expect(dirs).toEqual([]);
      return;
    }
    check(c, dirs, `named-${i}`);
  }));
});
