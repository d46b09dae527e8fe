/** Reading directives the way a plugin's setup does: arguments on the directive's line, options in its block. */
import type { CorefileDirective, CorefileToken } from "../../parsers/corefile/index.js";

const isOpen = (t: CorefileToken) => t.text === "{" && !t.quoted;
const isClose = (t: CorefileToken) => t.text === "}" && !t.quoted;

// Several rules read the same directive: each reading is computed once per directive (a hostile
// Corefile's directive may hold millions of tokens). Callers do not modify the arrays.
const argsOf = new WeakMap<CorefileDirective, readonly CorefileToken[]>();
const optionsOf = new WeakMap<CorefileDirective, readonly BlockOption[]>();

/** Tokens after the directive name on its own line, before an opening brace. */
export function directiveArgs(d: CorefileDirective): readonly CorefileToken[] {
  let out = argsOf.get(d);
  if (out) return out;
  const tokens = d.tokens;
  const name = tokens[0];
  let end = 1;
  while (end < tokens.length && name) {
    const t = tokens[end]!;
    if (t.line !== name.line || t.file !== name.file || isOpen(t)) break;
    end++;
  }
  out = tokens.slice(1, end);
  argsOf.set(d, out);
  return out;
}

export interface BlockOption {
  name: CorefileToken;
  args: CorefileToken[];
}

/** The lines directly inside the directive's block (nested blocks skipped), each as name + arguments. */
export function blockOptions(d: CorefileDirective): readonly BlockOption[] {
  let out = optionsOf.get(d);
  if (!out) optionsOf.set(d, (out = readBlockOptions(d)));
  return out;
}

function readBlockOptions(d: CorefileDirective): BlockOption[] {
  const tokens = d.tokens;
  const open = tokens.findIndex((t, i) => i > 0 && isOpen(t));
  if (open === -1) return [];
  const out: BlockOption[] = [];
  let depth = 1;
  let current: BlockOption | null = null;
  for (let i = open + 1; i < tokens.length && depth > 0; i++) {
    const t = tokens[i]!;
    if (isOpen(t)) {
      depth++;
      continue;
    }
    if (isClose(t)) {
      depth--;
      continue;
    }
    if (depth !== 1) continue;
    if (!current || t.line !== current.name.line || t.file !== current.name.file) {
      current = { name: t, args: [] };
      out.push(current);
    } else current.args.push(t);
  }
  return out;
}

/** The opening brace of the directive's block, if it has one. */
export function blockOpen(d: CorefileDirective): CorefileToken | undefined {
  return d.tokens.find((t, i) => i > 0 && isOpen(t));
}

/** A directive name that is really a server key: a server block nested in another (`Unknown directive '.'`). */
export function looksLikeServerKey(name: string): boolean {
  return /^(\.|[a-z]+:\/\/|[^:]*:\d+$|.*\.(?:arpa|local|com|org|net|io)\.?(:\d+)?$)/i.test(name);
}
