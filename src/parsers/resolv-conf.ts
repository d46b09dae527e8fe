import { eachLine } from "./lines.js";

/** resolv.conf (resolver(5)): `nameserver`, `search`/`domain` and `options` lines; `#` and `;` start comments. */

export interface ResolvNameserver {
  address: string;
  line: number;
  start: number;
  end: number;
}

export interface ResolvConf {
  nameservers: ResolvNameserver[];
  search: string[];
  options: string[];
}

export function parseResolvConf(text: string): ResolvConf {
  const conf: ResolvConf = { nameservers: [], search: [], options: [] };
  for (const { text: raw, line, start } of eachLine(text)) {
    const m = /^(\s*)(nameserver|search|domain|options)\s+(.*)$/.exec(raw);
    if (!m) continue;
    const words = m[3]!.replace(/[#;].*$/, "").trim().split(/\s+/).filter(Boolean);
    if (m[2] === "nameserver" && words[0]) {
      const at = start + raw.indexOf(words[0], m[1]!.length + m[2].length);
      conf.nameservers.push({ address: words[0], line, start: at, end: at + words[0].length });
    } else if (m[2] === "search" || m[2] === "domain") {
      conf.search = words;
    } else if (m[2] === "options") {
      // One push per word: spreading a line of a million words overflows the call stack.
      for (const w of words) conf.options.push(w);
    }
  }
  return conf;
}

/** True when a resolv.conf content looks like one: at least one nameserver/search line and nothing foreign. */
export function looksLikeResolvConf(text: string): boolean {
  let sawDirective = false;
  for (const raw of text.split("\n")) {
    const l = raw.trim();
    if (l === "" || l.startsWith("#") || l.startsWith(";")) continue;
    if (/^(nameserver|search|domain|options|sortlist)(\s|$)/.test(l)) sawDirective = true;
    else return false;
  }
  return sawDirective;
}
