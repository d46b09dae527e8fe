import { eachLine } from "./lines.js";

/**
 * Command-line flags with positions: container `command`/`args` lists, kubeadm-flags.env
 * (`KUBELET_KUBEADM_ARGS="--k=v ..."`), and systemd drop-ins (`Environment=`/`ExecStart=` lines).
 */

export interface Flag {
  /** The flag's name without leading dashes (`cluster-cidr`). */
  name: string;
  /** The value (`--k=v`, or `--k v` when the next word is not a flag); null for a bare switch. */
  value: string | null;
  /** Source offsets of the whole flag word(s) and of its value, in the file (or -1 when unknown). */
  start: number;
  end: number;
  valueStart: number;
  valueEnd: number;
}

export interface Word {
  text: string;
  start: number;
  end: number;
}

/** Split a shell-like string into words, honouring single and double quotes and backslash escapes. */
/** Words past this many are not read: no real command line comes near it, and each costs memory. */
export const MAX_WORDS = 100_000;

export function splitWords(text: string, base = 0): Word[] & { truncated?: boolean } {
  const words: Word[] & { truncated?: boolean } = [];
  let i = 0;
  while (i < text.length) {
    if (words.length >= MAX_WORDS) {
      words.truncated = true;
      break;
    }
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (i >= text.length) break;
    const start = i;
    let word = "";
    while (i < text.length && !/\s/.test(text[i]!)) {
      const c = text[i]!;
      if (c === "'" ) {
        const close = text.indexOf("'", i + 1);
        const stop = close === -1 ? text.length : close;
        word += text.slice(i + 1, stop);
        i = stop + 1;
      } else if (c === '"') {
        i++;
        while (i < text.length && text[i] !== '"') {
          if (text[i] === "\\" && i + 1 < text.length) i++;
          word += text[i];
          i++;
        }
        i++;
      } else if (c === "\\" && i + 1 < text.length) {
        word += text[i + 1];
        i += 2;
      } else {
        word += c;
        i++;
      }
    }
    words.push({ text: word, start: base + start, end: base + Math.min(i, text.length) });
  }
  return words;
}

/**
 * Flags from a list of words. `--k v` takes the next word as the value only when `valueFlags`
 * says the flag takes one (Go's pflag knows; a generic reader cannot tell a switch from a flag).
 */
export function parseFlags(words: readonly Word[], valueFlags: ReadonlySet<string> = new Set()): Flag[] {
  const flags: Flag[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const m = /^--?([A-Za-z0-9][A-Za-z0-9_.-]*)(?:=([\s\S]*))?$/.exec(w.text);
    if (!m) continue;
    const name = m[1]!;
    if (m[2] !== undefined) {
      const eq = w.text.indexOf("=");
      // For quoted words the value's offsets are approximate: they point at the word.
      const exact = w.end - w.start === w.text.length;
      flags.push({ name, value: m[2], start: w.start, end: w.end, valueStart: exact ? w.start + eq + 1 : w.start, valueEnd: w.end });
    } else if (valueFlags.has(name) && i + 1 < words.length && !words[i + 1]!.text.startsWith("-")) {
      const v = words[++i]!;
      flags.push({ name, value: v.text, start: w.start, end: v.end, valueStart: v.start, valueEnd: v.end });
    } else {
      flags.push({ name, value: null, start: w.start, end: w.end, valueStart: w.end, valueEnd: w.end });
    }
  }
  return flags;
}

export interface EnvAssignment {
  name: string;
  value: string;
  line: number;
  /** Offset of the value's first source character (after `=` and an opening quote). */
  valueStart: number;
  valueEnd: number;
}

/**
 * An environment file such as kubeadm-flags.env: `NAME="value"` lines. kubeadm writes the value
 * with Go's %q quoting; backslash escapes are decoded, so offsets inside an escaped value are approximate.
 */
export function parseEnvFile(text: string): EnvAssignment[] {
  const result: EnvAssignment[] = [];
  for (const { text: raw, line, start } of eachLine(text)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(raw);
    if (!m || raw.trimStart().startsWith("#")) continue;
    const valueOffset = start + raw.indexOf("=") + 1;
    let value = m[2]!;
    let valueStart = valueOffset;
    let valueEnd = valueOffset + value.length;
    const q = value[0];
    if ((q === '"' || q === "'") && value.length >= 2 && value.endsWith(q)) {
      valueStart++;
      valueEnd--;
      value = value.slice(1, -1);
      if (q === '"') value = value.replace(/\\(.)/g, "$1");
    }
    result.push({ name: m[1]!, value, line, valueStart, valueEnd });
  }
  return result;
}

export interface SystemdLine {
  key: string;
  value: string;
  line: number;
  valueStart: number;
}

/** `Key=value` lines of a systemd unit or drop-in, with `\` continuation lines joined. */
export function parseSystemdUnit(text: string): SystemdLine[] {
  const out: SystemdLine[] = [];
  const lines = text.split("\n");
  let offset = 0;
  for (let i = 0; i < lines.length; i++) {
    const start = offset;
    const raw = lines[i]!.replace(/\r$/, "");
    offset += lines[i]!.length + 1;
    const m = /^([A-Za-z][A-Za-z0-9]*)=(.*)$/.exec(raw);
    if (!m) continue;
    let last = m[2]!;
    const parts: string[] = [];
    const lineNo = i + 1;
    // Collect the continued lines and join once: re-slicing the growing value is quadratic.
    while (last.endsWith("\\") && i + 1 < lines.length) {
      parts.push(last.slice(0, -1));
      last = lines[++i]!.replace(/\r$/, "");
      offset += lines[i]!.length + 1;
    }
    parts.push(last);
    const value = parts.join(" ");
    out.push({ key: m[1]!, value, line: lineNo, valueStart: start + m[1]!.length + 1 });
  }
  return out;
}
