import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fcOptions } from "./helpers-fuzz.js";

import {
  cidrContains,
  cidrFamily,
  cidrOverlaps,
  formatIP,
  goAtoi,
  ipFamily,
  parseCIDR,
  parseIP,
  splitHostPort,
} from "../src/parsers/net.js";

describe("parseIP (Go net.ParseIP, strict)", () => {
  it.each([
    ["1.2.3.4", 4, "1.2.3.4"],
    ["0.0.0.0", 4, "0.0.0.0"],
    ["255.255.255.255", 4, "255.255.255.255"],
    ["::", 6, "::"],
    ["::1", 6, "::1"],
    ["::0", 6, "::"],
    ["2001:DB8::1", 6, "2001:db8::1"],
    ["1:2:3:4:5:6:7:8", 6, "1:2:3:4:5:6:7:8"],
    ["1:2:3:4:5:6:7::", 6, "1:2:3:4:5:6:7:0"],
    ["::1:2:3:4:5:6:7", 6, "0:1:2:3:4:5:6:7"],
    ["::ffff:1.2.3.4", 6, "::ffff:102:304"],
    ["::1.2.3.4", 6, "::102:304"],
    ["1:2:3:4:5:6:1.2.3.4", 6, "1:2:3:4:5:6:102:304"],
  ])("accepts %s", (s, kind, canonical) => {
    const ip = parseIP(s);
    expect(ip?.kind).toBe(kind);
    expect(formatIP(ip!)).toBe(canonical);
  });

  it.each([
    "",
    "1.2.3",
    "1.2.3.4.5",
    "1.2.3.256",
    "01.2.3.4",
    "1.2.3.04",
    "0x1.2.3.4",
    "1.2.3.-4",
    " 1.2.3.4",
    "1.2.3.4 ",
    "1.2.3.4:80",
    "[::1]",
    "fe80::1%eth0",
    "1:2:3:4:5:6:7:8:9",
    "1:2:3:4:5:6:7:8::",
    "::1:2:3:4:5:6:7:8",
    "1::2::3",
    ":1::",
    "1:::2",
    "12345::",
    "::00001",
    "2001:db8:xyz",
    "::ffff:1.2.3",
    "::ffff:01.2.3.4",
    "1:2:3:4:5:6:7:1.2.3.4",
    "1.2.3.4::",
    "localhost",
    "10",
    "0",
  ])("rejects %j", (s) => {
    expect(parseIP(s)).toBeNull();
  });
});

describe("parseIP sloppy (k8s ParseIPSloppy)", () => {
  it("accepts leading zeros as decimal", () => {
    expect(formatIP(parseIP("010.001.0.08", { sloppy: true })!)).toBe("10.1.0.8");
    expect(formatIP(parseIP("::ffff:010.0.0.1", { sloppy: true })!)).toBe("::ffff:a00:1");
    expect(formatIP(parseIP("::00001", { sloppy: true })!)).toBe("::1");
  });
  it("still rejects what the old Go parser rejected", () => {
    for (const s of ["1.2.3", "256.0.0.1", "1.2.3.4:80", "fe80::1%eth0", "0x10.0.0.1", "::10000"]) {
      expect(parseIP(s, { sloppy: true })).toBeNull();
    }
  });
});

describe("parseCIDR (Go net.ParseCIDR)", () => {
  it("keeps the address and computes the network", () => {
    const c = parseCIDR("10.1.2.3/8")!;
    expect(c.kind).toBe(4);
    expect(c.prefix).toBe(8);
    expect(formatIP(c.ip)).toBe("10.1.2.3");
    expect(formatIP(c.network)).toBe("10.0.0.0");
    expect(formatIP(parseCIDR("2001:db8:1:2::5/33")!.network)).toBe("2001:db8::");
    expect(formatIP(parseCIDR("10.255.255.255/20")!.network)).toBe("10.255.240.0");
  });
  it.each(["0.0.0.0/0", "::/0", "10.0.0.0/32", "::1/128", "10.0.0.0/08", "::ffff:1.2.3.0/120"])("accepts %s", (s) => {
    expect(parseCIDR(s)).not.toBeNull();
  });
  it.each([
    "10.0.0.0",
    "10.0.0.0/",
    "10.0.0.0/33",
    "::/129",
    "10.0.0.0/+8",
    "10.0.0.0/-1",
    "10.0.0.0/8/8",
    "10.0.0.0 /8",
    "172.16.200.0:24",
    "1.2.3/24",
    "010.0.0.0/8",
    "fe80::%eth0/64",
    "2001:db8:xyz/64",
    "0",
    "foo",
  ])("rejects %j", (s) => {
    expect(parseCIDR(s)).toBeNull();
  });
  it("sloppy accepts leading zeros in the address", () => {
    expect(formatIP(parseCIDR("010.0.0.0/8", { sloppy: true })!.network)).toBe("10.0.0.0");
  });
  it("maps IPv4-mapped IPv6 to the IPv4 family like Kubernetes", () => {
    expect(parseCIDR("::ffff:1.2.3.0/120")!.kind).toBe(6);
    expect(cidrFamily(parseCIDR("::ffff:1.2.3.0/120")!)).toBe(4);
    expect(ipFamily(parseIP("::ffff:10.0.0.1")!)).toBe(4);
    expect(ipFamily(parseIP("::10.0.0.1")!)).toBe(6);
  });
});

describe("cidrContains / cidrOverlaps", () => {
  it("IPv4 containment", () => {
    expect(cidrContains("10.0.0.0/8", "10.244.0.0/16")).toBe(true);
    expect(cidrContains("10.244.0.0/16", "10.0.0.0/8")).toBe(false);
    expect(cidrContains("10.0.0.0/8", "10.0.0.0/8")).toBe(true);
    expect(cidrContains("10.96.0.0/12", "10.96.0.10")).toBe(true);
    expect(cidrContains("10.96.0.0/12", "10.112.0.1")).toBe(false);
    expect(cidrContains("0.0.0.0/0", "192.168.1.0/24")).toBe(true);
    expect(cidrContains("10.1.2.3/8", "10.200.0.0/16")).toBe(true); // host bits ignored
  });
  it("IPv6 containment", () => {
    expect(cidrContains("fd00::/8", "fd00:10:244::/56")).toBe(true);
    expect(cidrContains("fd00:10:96::/112", "fd00:10:96::a")).toBe(true);
    expect(cidrContains("fd00:10:96::/112", "fd00:10:97::a")).toBe(false);
    expect(cidrContains("::/0", "2001:db8::/32")).toBe(true);
  });
  it("overlap", () => {
    expect(cidrOverlaps("10.96.0.0/12", "10.100.0.0/16")).toBe(true);
    expect(cidrOverlaps("10.100.0.0/16", "10.96.0.0/12")).toBe(true);
    expect(cidrOverlaps("10.96.0.0/12", "10.244.0.0/16")).toBe(false);
    expect(cidrOverlaps("192.168.0.0/24", "192.168.1.0/24")).toBe(false);
    expect(cidrOverlaps("fd00::/64", "fd00::/48")).toBe(true);
    expect(cidrOverlaps("fd00:1::/64", "fd00:2::/64")).toBe(false);
  });
  it("IPv4 and IPv6 never contain or overlap each other", () => {
    expect(cidrOverlaps("0.0.0.0/0", "::/0")).toBe(false);
    expect(cidrOverlaps("10.0.0.0/8", "::ffff:10.0.0.0/104")).toBe(false);
    expect(cidrContains("::/0", "10.0.0.1")).toBe(false);
    expect(cidrContains("0.0.0.0/0", "::1")).toBe(false);
  });
  it("unparsable input yields false", () => {
    expect(cidrContains("nonsense", "10.0.0.0/8")).toBe(false);
    expect(cidrOverlaps("10.0.0.0/8", "10.0.0.0/99")).toBe(false);
  });
});

describe("splitHostPort (Go net.SplitHostPort)", () => {
  it.each([
    ["0.0.0.0:10256", "0.0.0.0", "10256"],
    ["[::]:10256", "::", "10256"],
    [":80", "", "80"],
    ["localhost:http", "localhost", "http"],
    ["1.2.3.4:", "1.2.3.4", ""],
  ])("splits %s", (s, host, port) => {
    expect(splitHostPort(s)).toEqual({ host, port });
  });
  it.each(["1.2.3.4", "::1:80", "[::1]", "[::1]80", "[::1", "a]:80", "[a]:[80]"])("rejects %j", (s) => {
    expect(splitHostPort(s)).toBeNull();
  });
  it("goAtoi", () => {
    expect(goAtoi("80")).toBe(80);
    expect(goAtoi("+80")).toBe(80);
    expect(goAtoi("0080")).toBe(80);
    expect(goAtoi("")).toBeNull();
    expect(goAtoi("8o")).toBeNull();
  });
});

describe("IPv4 octets read in one pass", () => {
  // The split-and-test reading it replaced (Go's parseIPv4 of net/ip.go, and the sloppy fork's).
  const reference = (s: string, sloppy: boolean): number[] | null => {
    const parts = s.split(".");
    if (parts.length !== 4) return null;
    const out: number[] = [];
    for (const part of parts) {
      if (!/^[0-9]+$/.test(part)) return null;
      if (!sloppy && (part.length > 3 || (part.length > 1 && part[0] === "0"))) return null;
      const n = Number(part);
      if (n >= 0xffffff || n > 0xff) return null;
      out.push(n);
    }
    return out;
  };
  it("gives what splitting gives, strict and sloppy, on any text of digits and dots", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("0", "1", "2", "5", "9", ".", ".", "a", " ", "-"), maxLength: 18 }), fc.boolean(), (s, sloppy) => {
        const ip = parseIP(s, { sloppy });
        const want = reference(s, sloppy);
        if (want) expect(ip && { kind: ip.kind, bytes: [...ip.bytes] }).toEqual({ kind: 4, bytes: want });
        else if (!s.includes(":")) expect(ip).toBeNull();
      }),
      fcOptions(2000),
    );
    expect(parseIP("1.2.3.4")?.bytes).toEqual([1, 2, 3, 4]);
    expect(parseIP("01.2.3.4")).toBeNull();
    expect(parseIP("01.2.3.4", { sloppy: true })?.bytes).toEqual([1, 2, 3, 4]);
    expect(parseIP("1.2.3.4.")).toBeNull();
    expect(parseIP("256.2.3.4")).toBeNull();
  });
});
