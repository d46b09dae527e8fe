/** The CLI's output descriptors (src/cli/io.ts): terminals told apart, and every byte written once, in order. */
import { spawnSync } from "node:child_process";
import { closeSync, constants, mkdtempSync, openSync, readSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fdWriter, isTerminal } from "../src/cli/io.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "knl-io-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const hasMkfifo = spawnSync("mkfifo", ["--version"]).status === 0;

describe("isTerminal", () => {
  it("a file and /dev/null are not terminals", () => {
    const file = openSync(path.join(tmp, "out"), "w");
    const devNull = openSync("/dev/null", "w");
    try {
      expect(isTerminal(file)).toBe(false);
      expect(isTerminal(devNull)).toBe(false);
    } finally {
      closeSync(file);
      closeSync(devNull);
    }
  });
});

describe.skipIf(!hasMkfifo)("fdWriter on a pipe", () => {
  /** A FIFO opened non-blocking at both ends, as a parent may hand one over. */
  function pipe(): { reader: number; writer: number } {
    const fifo = path.join(tmp, `fifo-${Math.random().toString(36).slice(2)}`);
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const writer = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
    return { reader, writer };
  }
  function drain(fd: number): Buffer {
    const chunks: Buffer[] = [];
    const buf = Buffer.alloc(1 << 16);
    for (;;) {
      let n = 0;
      try {
        n = readSync(fd, buf, 0, buf.length, null);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "EAGAIN") break;
        throw e;
      }
      if (n === 0) break;
      chunks.push(Buffer.from(buf.subarray(0, n)));
    }
    return Buffer.concat(chunks);
  }

  it("a full non-blocking pipe (EAGAIN) hands the rest to the stream: every byte once, in order", () => {
    const { reader, writer } = pipe();
    const handed: Buffer[] = [];
    const write = fdWriter(writer, () => ({ write: (c: string | Uint8Array) => handed.push(Buffer.from(c)) }));
    // Far more than a pipe's buffer (64 KiB on Linux), with multi-byte characters across the cut.
    const text = "coredns/forward-loop é漢 ".repeat(20_000);
    write(text);
    write("and what follows goes to the stream too\n");
    expect(handed.length).toBe(2);
    const got = Buffer.concat([drain(reader), ...handed]).toString("utf8");
    expect(got).toBe(text + "and what follows goes to the stream too\n");
    closeSync(reader);
    closeSync(writer);
  });

  it("a reader that went away (EPIPE) ends the output without an error", () => {
    const { reader, writer } = pipe();
    closeSync(reader);
    const handed: unknown[] = [];
    const write = fdWriter(writer, () => ({ write: (c: string | Uint8Array) => handed.push(c) }));
    expect(() => write("x\n")).not.toThrow();
    expect(() => write("y\n")).not.toThrow();
    expect(handed).toEqual([]);
    closeSync(writer);
  });
});
