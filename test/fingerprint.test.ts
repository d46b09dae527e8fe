import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../src/engine/sha256.js";
import { assignFingerprints, Fingerprints } from "../src/engine/fingerprint.js";
import { fcOptions } from "./helpers-fuzz.js";

const nodeSha256 = (s: string) => createHash("sha256").update(s).digest("hex");

describe("sha256Hex", () => {
  it("matches FIPS 180-4's examples", () => {
    expect(sha256Hex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")).toBe("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  });

  it("agrees with node:crypto at every padding boundary", () => {
    for (let n = 0; n <= 200; n++) expect(sha256Hex("x".repeat(n)), `${n} bytes`).toBe(nodeSha256("x".repeat(n)));
  });

  it("agrees with node:crypto on any text, hashed as UTF-8", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 300 }), (s) => sha256Hex(s) === nodeSha256(s)),
      fcOptions(500),
    );
    expect(sha256Hex("ünïcödé \u{1F600} \0")).toBe(nodeSha256("ünïcödé \u{1F600} \0"));
  });
});

describe("assignFingerprints", () => {
  it("gives repeats of one key their own identities, the same on every run", () => {
    const keys = ["coredns/loop\0a.yaml\0forward . /etc/resolv.conf\0forward", "x", "coredns/loop\0a.yaml\0forward . /etc/resolv.conf\0forward"];
    const prints = assignFingerprints(keys);
    expect(prints[0]).toBe(nodeSha256(`${keys[0]}\0${0}`).slice(0, 32));
    expect(prints[2]).toBe(nodeSha256(`${keys[2]}\0${1}`).slice(0, 32));
    expect(new Set(prints).size).toBe(3);
    expect(assignFingerprints(keys)).toEqual(prints);
  });
});

describe("Fingerprints (first prints at emit, ordinals once sorted)", () => {
  it("gives exactly what assignFingerprints gives, for keys emitted in one order and reported in another", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("a", "b", "c\0x", "loop\0Corefile\0forward . 1.1.1.1\0forward", ""), { maxLength: 40 }), fc.func(fc.integer()), (keys, rank) => {
        const fp = new Fingerprints();
        const emitted = keys.map((k) => ({ k, first: fp.first(k) }));
        // The report's order is not the emission order.
        const reported = [...emitted].sort((x, y) => rank(x.k.length) - rank(y.k.length) || x.k.localeCompare(y.k));
        expect(fp.assign(reported.map((e) => e.first))).toEqual(assignFingerprints(reported.map((e) => e.k)));
      }),
      fcOptions(300),
    );
  });

  it("keeps every print apart among thousands of keys (its hash set grows), and numbers the repeats", () => {
    const keys = Array.from({ length: 6000 }, (_, i) => `rule\0file.yaml\0key${i % 4500}: 1\0key${i % 4500}`);
    const fp = new Fingerprints();
    const firsts = keys.map((k) => fp.first(k));
    const prints = fp.assign(firsts);
    expect(prints).toEqual(assignFingerprints(keys));
    expect(new Set(prints).size).toBe(6000);
    expect(prints[4500]).toBe(nodeSha256(`${keys[0]}\0${1}`).slice(0, 32));
  });
});
