import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeUtf8LikeGo } from "../src/model/cni-fs.js";
import {
  compareGoStrings,
  loadConfDir,
  parseCniFile,
  readConfDirFromDisk,
  type ConfDirEntry,
  type CniLoadResult,
} from "../src/model/cni-loading.js";
import { eachCase } from "./helpers/shared.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const projectRoot = path.resolve(here, "..");
// CNI_LOADING_CORPUS overrides the corpus location (e.g. the held-back split, or a bogus path to check the skip).
const corpusPath = path.resolve(projectRoot, process.env["CNI_LOADING_CORPUS"] ?? "../shared/corpus/cni-loading/cases.json");
const haveCorpus = fs.existsSync(corpusPath);
if (!haveCorpus) {
  console.warn(`note: ${corpusPath} is missing (a clone has no ../shared): the cni-loading oracle suite is skipped`);
}

type Entry = string | { type: "file"; base64: string } | { type: "dir"; files: Record<string, Entry> } | { type: "symlink"; target: string };
interface OracleNet {
  file: string | null;
  name: string;
  cniVersion: string;
  pluginTypes: string[];
}
interface OracleRun {
  maxConfNum: number;
  errorKind: string | null;
  errorFile: string | null;
  ready: boolean;
  networks: (OracleNet & { ifName: string })[];
  chosen: OracleNet | null;
}
interface Case {
  name: string;
  family: string;
  description: string;
  files: Record<string, Entry>;
  oracle: {
    libcni: { confFiles: string[]; error: string | null };
    containerd: OracleRun;
    containerdAll: OracleRun;
    perFile: { file: string; loader: string; ok: boolean; error: string | null; name: string | null; cniVersion: string | null; pluginTypes: string[] }[];
  };
}

function materialise(dir: string, files: Record<string, Entry>): void {
  for (const [name, entry] of Object.entries(files)) {
    const p = path.join(dir, name);
    if (typeof entry === "string") fs.writeFileSync(p, entry, "utf8");
    else if (entry.type === "file") fs.writeFileSync(p, Buffer.from(entry.base64, "base64"));
    else if (entry.type === "dir") {
      fs.mkdirSync(p);
      materialise(p, entry.files);
    } else fs.symlinkSync(entry.target, p);
  }
}

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), "cni-loading-"));
afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

function summary(r: CniLoadResult) {
  return {
    confFiles: r.candidates,
    ready: r.ready,
    errorKind: r.errorKind,
    errorFile: r.errorFile,
    chosen: r.chosen && { file: r.chosen.file, name: r.chosen.name, cniVersion: r.chosen.cniVersion, pluginTypes: r.chosen.pluginTypes },
    networks: r.networks.map((n) => ({ file: n.file, name: n.name, cniVersion: n.cniVersion, pluginTypes: n.pluginTypes })),
    perFileOk: r.perFile.map((p) => [p.file, p.ok]),
  };
}

function expected(c: Case, run: OracleRun) {
  return {
    confFiles: c.oracle.libcni.confFiles,
    ready: run.ready,
    errorKind: run.errorKind,
    errorFile: run.errorFile,
    chosen: run.chosen && { file: run.chosen.file, name: run.chosen.name, cniVersion: run.chosen.cniVersion, pluginTypes: run.chosen.pluginTypes },
    networks: run.networks
      .filter((n) => n.ifName !== "lo")
      .map((n) => ({ file: n.file, name: n.name, cniVersion: n.cniVersion, pluginTypes: n.pluginTypes })),
    perFileOk: c.oracle.perFile.map((p) => [p.file, p.ok]),
  };
}

describe.skipIf(!haveCorpus)("CNI conf-dir loading vs the go-cni/libcni oracle (materialised on disk)", () => {
  // Read in beforeAll (never at collection: a clone has no ../shared).
  let cases: Case[] = [];
  beforeAll(() => {
    cases = (JSON.parse(fs.readFileSync(corpusPath, "utf8")) as { cases: Case[] }).cases;
  });

  it("has cases", () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  it("every case loads as containerd (go-cni) and libcni load it", () => eachCase(cases, (c) => c.name, (c, i) => {
    const dir = path.join(tmpRoot, String(i));
    fs.mkdirSync(dir);
    materialise(dir, c.files);
    const entries = readConfDirFromDisk(dir);
    for (const run of [c.oracle.containerd, c.oracle.containerdAll]) {
      const got = loadConfDir(entries, { runtime: "containerd", maxConfNum: run.maxConfNum });
      expect(summary(got), `${c.name} max_conf_num=${run.maxConfNum}: ${c.description}`).toEqual(expected(c, run));
    }
    // Per-file details (informational in the oracle, but they should agree too).
    const all = loadConfDir(entries, { maxConfNum: 0 });
    for (const [k, p] of c.oracle.perFile.entries()) {
      const mine = all.perFile[k]!;
      expect(mine.loader, `${c.name} ${p.file} loader`).toBe(p.loader);
      if (p.ok) {
        expect({ name: mine.name, cniVersion: mine.cniVersion, pluginTypes: mine.pluginTypes }, `${c.name} ${p.file}`).toEqual({
          name: p.name,
          cniVersion: p.cniVersion,
          pluginTypes: p.pluginTypes,
        });
      } else {
        expect(mine.error, `${c.name} ${p.file}: oracle says ${p.error}`).not.toBeNull();
      }
    }
  }));
});

// ---------------------------------------------------------------------------------------------
// Own cases: disk edge cases, positions, messages and CRI-O (not covered by the oracle).
// ---------------------------------------------------------------------------------------------

function mem(files: Record<string, string>): ConfDirEntry[] {
  return Object.entries(files).map(([name, text]) => ({ name, kind: "file" as const, read: () => ({ text }) }));
}

const calico = `{"name":"k8s-pod-network","cniVersion":"0.3.1","plugins":[{"type":"calico"},{"type":"portmap","capabilities":{"portMappings":true}}]}`;
const flannel = `{"name":"cbr0","cniVersion":"0.3.1","plugins":[{"type":"flannel"}]}`;

describe("readConfDirFromDisk", () => {
  it("marks a missing dir and loads it as not initialised", () => {
    const listing = readConfDirFromDisk(path.join(tmpRoot, "does-not-exist"));
    expect(listing).toHaveLength(0);
    expect(listing.missing).toBe(true);
    const r = loadConfDir(listing, {});
    expect(r.ready).toBe(false);
    expect(r.errorKind).toBe("not-initialized");
  });

  it("reports a conf dir path that is a file as a read error", () => {
    const f = path.join(tmpRoot, "plain-file");
    fs.writeFileSync(f, "x");
    const listing = readConfDirFromDisk(f);
    expect(listing.readError).toBeTruthy();
    expect(loadConfDir(listing, {}).errorKind).toBe("read");
  });

  it("keeps a UTF-8 BOM so that the file fails like in Go", () => {
    const d = fs.mkdtempSync(path.join(tmpRoot, "bom-"));
    fs.writeFileSync(path.join(d, "10-a.conflist"), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(flannel)]));
    const r = loadConfDir(readConfDirFromDisk(d), {});
    expect(r.ready).toBe(false);
    expect(r.perFile[0]!.error).toMatchObject({ kind: "invalid-json", offset: 0, line: 1, column: 1 });
  });

  it("a symlink to a directory and a dangling symlink are candidates that fail to read", () => {
    const d = fs.mkdtempSync(path.join(tmpRoot, "links-"));
    fs.mkdirSync(path.join(d, "store"));
    fs.symlinkSync("store", path.join(d, "00-dir.conflist"));
    fs.symlinkSync("nowhere.conf", path.join(d, "01-gone.conf"));
    fs.writeFileSync(path.join(d, "10-calico.conflist"), calico);
    const listing = readConfDirFromDisk(d);
    const r = loadConfDir(listing, { maxConfNum: 0 });
    expect(r.candidates).toEqual(["00-dir.conflist", "01-gone.conf", "10-calico.conflist"]);
    expect(r.ignored).toEqual(["store"]);
    expect(r.perFile.map((p) => p.error?.kind ?? null)).toEqual(["read", "read", null]);
    expect(r.errorFile).toBe("00-dir.conflist");
    const crio = loadConfDir(listing, { runtime: "cri-o" });
    expect(crio.chosen?.file).toBe("10-calico.conflist");
  });
});

describe("decodeUtf8LikeGo", () => {
  it("replaces each byte of an invalid sequence with U+FFFD, like Go's utf8.DecodeRune", () => {
    const dec = (bytes: number[]) => decodeUtf8LikeGo(Uint8Array.from(bytes));
    expect(dec([0x61, 0xe2, 0x82, 0x58])).toBe("a\ufffd\ufffdX");
    expect(dec([0xf0, 0x9f, 0x98])).toBe("\ufffd\ufffd\ufffd");
    expect(dec([0xed, 0xa0, 0x80])).toBe("\ufffd\ufffd\ufffd");
    expect(dec([0xc0, 0xaf])).toBe("\ufffd\ufffd");
    expect(dec([0xef, 0xbb, 0xbf, 0x7b, 0xf0, 0x9f, 0x98, 0x80, 0xff])).toBe("\ufeff{\u{1F600}\ufffd");
    expect(dec([0xe2, 0x82, 0xac])).toBe("\u20ac");
  });
});

describe("compareGoStrings", () => {
  it("sorts by UTF-8 bytes, not UTF-16 units", () => {
    const names = ["\u{1F600}.conf", "\uFF21.conf", "10-calico.conflist", "9-flannel.conf", "10-Calico.conf", "_x.conf", "Z.conf", "a.conf"];
    const sorted = [...names].sort(compareGoStrings);
    const bytes = [...names].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    expect(sorted).toEqual(bytes);
    expect(compareGoStrings("\uFF21", "\u{1F600}")).toBe(-1);
    expect(compareGoStrings("a", "a")).toBe(0);
    expect(compareGoStrings("a", "ab")).toBe(-1);
  });
});

describe("validation messages and positions", () => {
  it("points at a missing type in a .conf and suggests .conflist when it holds plugins", () => {
    const text = `{\n  "name": "k8s",\n  "plugins": [{"type": "calico"}]\n}\n`;
    const r = parseCniFile("10-x.conf", text);
    expect(r.ok).toBe(false);
    expect(r.error!.kind).toBe("invalid-config");
    expect(r.error!.message).toMatch(/^10-x\.conf: missing 'type'/);
    expect(r.error!.message).toMatch(/\.conflist/);
    expect(r.error!.offset).toBe(0);
    expect(r.error!.endOffset).toBe(text.trimEnd().length);
    expect(r.error!.field).toBe("type");
  });

  it("points at plugins[1].type when it is not a string", () => {
    const text = `{"name":"n","plugins":[{"type":"a"},\n  {"type": 5}]}`;
    const r = parseCniFile("10-x.conflist", text);
    expect(r.error).toMatchObject({ kind: "invalid-config", field: "plugins[1].type", line: 2, column: 12 });
    expect(text.slice(r.error!.offset, r.error!.endOffset)).toBe("5");
  });

  it("reports an empty plugin type at its value", () => {
    const text = `{"name":"n","plugins":[{"type":""}]}`;
    const r = parseCniFile("a.conflist", text);
    expect(r.error!.field).toBe("plugins[0].type");
    expect(text.slice(r.error!.offset, r.error!.endOffset)).toBe('""');
  });

  it("checks conflist-level fields exactly (case-sensitive name/plugins, boolean disableCheck)", () => {
    expect(parseCniFile("a.conflist", `{"Name":"n","plugins":[{"type":"a"}]}`).error!.message).toMatch(/missing 'name'.*'Name'/);
    expect(parseCniFile("a.conflist", `{"name":"n","disableCheck":"true","plugins":[{"type":"a"}]}`).error!.field).toBe("disableCheck");
    expect(parseCniFile("a.conflist", `{"name":"n","plugins":[]}`).error!.field).toBe("plugins");
    expect(parseCniFile("a.conflist", `{"name":"n","type":"bridge"}`).error!.message).toMatch(/no 'plugins' key.*\.conf/);
    expect(parseCniFile("a.conflist", `{"name":"","cniVersion":"whatever","plugins":[{"Type":"a"}]}`).ok).toBe(true);
  });

  it("checks plugin field types (capabilities, ipam, dns, prevResult)", () => {
    const bad = [
      [`{"type":"a","capabilities":{"portMappings":"yes"}}`, "capabilities.portMappings"],
      [`{"type":"a","ipam":"host-local"}`, "ipam"],
      [`{"type":"a","ipam":{"type":1}}`, "ipam.type"],
      [`{"type":"a","dns":{"nameservers":"8.8.8.8"}}`, "dns.nameservers"],
      [`{"type":"a","prevResult":[]}`, "prevResult"],
      [`{"type":"a","name":1}`, "name"],
    ] as const;
    for (const [text, field] of bad) {
      const r = parseCniFile("x.conf", text);
      expect(r.ok, text).toBe(false);
      expect(r.error!.field, text).toBe(field);
    }
    expect(parseCniFile("x.conf", `{"TYPE":"a","capabilities":{"x":null},"ipam":null,"dns":{"search":[null]}}`).ok).toBe(true);
  });

  it("follows Go's duplicate-key semantics through the map round trip", () => {
    // In a .conf, pass 1 keeps "bridge" (null is a no-op) but ConfListFromConf's map keeps null.
    expect(parseCniFile("x.conf", `{"type":"bridge","type":null}`).ok).toBe(false);
    // In a conflist plugin, keys are sorted after the map round trip: "Type" < "type".
    expect(parseCniFile("x.conflist", `{"name":"n","plugins":[{"type":"a","Type":""}]}`).pluginTypes).toEqual(["a"]);
    expect(parseCniFile("x.conflist", `{"name":"a","name":"b","plugins":[{"type":"a"}]}`).name).toBe("b");
  });

  it("rejects numbers beyond float64 range (Go decodes them into float64)", () => {
    const r = parseCniFile("x.conflist", `{"name":"n","mtu":1e400,"plugins":[{"type":"a"}]}`);
    expect(r.ok).toBe(false);
    expect(r.error!.message).toMatch(/1e400/);
  });

  it("explains common syntax errors", () => {
    expect(parseCniFile("a.conflist", "\ufeff{}").error!.message).toMatch(/byte-order mark/);
    expect(parseCniFile("a.conflist", '{"name":"n",}').error!.message).toMatch(/trailing comma/);
    expect(parseCniFile("a.conf", "").error!.message).toMatch(/unexpected end of JSON input \(the file is empty\)/);
    expect(parseCniFile("a.conf", "\ufffd\ufffd{\u0000").error!.message).toMatch(/UTF-16/);
    expect(parseCniFile("a.conf", "{'a': 1}").error!.message).toMatch(/double quotes/);
  });

  it("gives syntax errors with line and column", () => {
    const text = `{\n  "name": "n",\n  // comment\n  "plugins": []\n}`;
    const r = parseCniFile("x.conflist", text);
    expect(r.error).toMatchObject({ kind: "invalid-json", line: 3, column: 3 });
    expect(r.error!.message).toMatch(/invalid character '\/' looking for beginning of object key string \(comments are not allowed/);
  });
});

describe("CRI-O (ocicni) semantics", () => {
  it("skips invalid files and uses the first loaded one", () => {
    const r = loadConfDir(mem({ "00-bad.conf": "{", "10-calico.conflist": calico, "20-flannel.conflist": flannel }), { runtime: "cri-o" });
    expect(r.ready).toBe(true);
    expect(r.chosen?.file).toBe("10-calico.conflist");
    expect(r.skipped).toEqual([{ file: "00-bad.conf", reason: expect.stringMatching(/^00-bad\.conf: /) }]);
    expect(r.networks.map((n) => n.name)).toEqual(["k8s-pod-network", "cbr0"]);
    // containerd fails the whole load on the same dir
    const c = loadConfDir(mem({ "00-bad.conf": "{", "10-calico.conflist": calico }), {});
    expect(c).toMatchObject({ ready: false, errorKind: "invalid-config", errorFile: "00-bad.conf", chosen: null });
  });

  it("falls back to the base name for an empty network name and ignores later duplicates", () => {
    const r = loadConfDir(
      mem({
        "05-noname.conf": `{"type":"bridge"}`,
        "10-calico.conflist": calico,
        "11-calico-again.conflist": calico,
      }),
      { runtime: "cri-o" },
    );
    expect(r.networks.map((n) => [n.file, n.name])).toEqual([
      ["05-noname.conf", "05-noname.conf"],
      ["10-calico.conflist", "k8s-pod-network"],
    ]);
    expect(r.chosen?.name).toBe("05-noname.conf");
    expect(r.skipped!.map((s) => s.file)).toEqual(["11-calico-again.conflist"]);
  });

  it("chooses by cni_default_network when set, and is not ready when it is absent", () => {
    const files = mem({ "10-calico.conflist": calico, "20-flannel.conflist": flannel });
    expect(loadConfDir(files, { runtime: "cri-o", defaultNetwork: "cbr0" }).chosen?.file).toBe("20-flannel.conflist");
    const missing = loadConfDir(files, { runtime: "cri-o", defaultNetwork: "nope" });
    expect(missing).toMatchObject({ ready: false, errorKind: "not-initialized", chosen: null });
  });

  it("is not ready when nothing loads", () => {
    const r = loadConfDir(mem({ "00-bad.conflist": "[]" }), { runtime: "cri-o" });
    expect(r).toMatchObject({ ready: false, errorKind: "not-initialized" });
  });
});

describe("containerd max_conf_num", () => {
  const files = mem({ "10-calico.conflist": calico, "20-flannel.conflist": flannel, "99-bad.conf": "nope" });
  it("1 parses only the first file", () => {
    const r = loadConfDir(files, {});
    expect(r.maxConfNum).toBe(1);
    expect(r.ready).toBe(true);
    expect(r.networks.map((n) => n.file)).toEqual(["10-calico.conflist"]);
  });
  it("2 attaches two networks and never reaches the broken file", () => {
    const r = loadConfDir(files, { maxConfNum: 2 });
    expect(r.networks.map((n) => n.file)).toEqual(["10-calico.conflist", "20-flannel.conflist"]);
  });
  it("0 loads every file, so a broken last file fails everything", () => {
    const r = loadConfDir(files, { maxConfNum: 0 });
    expect(r).toMatchObject({ ready: false, errorKind: "invalid-config", errorFile: "99-bad.conf", networks: [] });
  });
});
