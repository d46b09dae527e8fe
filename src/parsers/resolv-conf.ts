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
  let pos = 0;
  let line = 0;
  while (pos <= text.length) {
    line++;
    const nl = text.indexOf("\n", pos);
    const end = nl === -1 ? text.length : nl;
    const raw = text.slice(pos, end).replace(/\r$/, "");
    const m = /^(\s*)(nameserver|search|domain|options)\s+(.*)$/.exec(raw);
    if (m) {
      const body = m[3]!.replace(/[#;].*$/, "").trim();
      const words = body.split(/\s+/).filter(Boolean);
      if (m[2] === "nameserver" && words[0]) {
        const at = pos + raw.indexOf(words[0], m[1]!.length + m[2].length);
        conf.nameservers.push({ address: words[0], line, start: at, end: at + words[0].length });
      } else if (m[2] === "search" || m[2] === "domain") {
        conf.search = words;
      } else if (m[2] === "options") {
        conf.options.push(...words);
      }
    }
    if (nl === -1) break;
    pos = nl + 1;
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
