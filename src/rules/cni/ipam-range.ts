import { defineRule, type RuleReport } from "../../engine/rule.js";
import { formatPath } from "../lib/config-problem.js";
import { parseCIDR, parseIP } from "../../parsers/net.js";
import { canonical, formatBig, hostLocalConfs, isMappedSubnet, networkText, subnetOf, type Located, type RangeConf, type Subnet } from "./lib/host-local.js";
import { nodeLoc } from "./lib/json.js";
import { parsedCniFiles, pluginsOf } from "./lib/plugins.js";

interface Checked {
  range: RangeConf;
  subnet: Subnet;
  text: string;
  /** host-local's allocation interval after its defaults: network+1 .. last usable. */
  start: bigint;
  end: bigint;
}

const PLACEHOLDER = /^__[A-Z0-9_]+__$/;

const CNI_030 = ["0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"];

export default defineRule({
  meta: { id: "cni/ipam-range", severity: "error", summary: "A host-local IPAM range that host-local rejects or that cannot be meant (host bits, /31, outside the subnet, overlaps)" },
  check({ cluster, report }) {
    for (const { artifact } of parsedCniFiles(cluster)) {
      const name = artifact.result.file;
      for (const conf of hostLocalConfs(pluginsOf(artifact))) {
        const at = (l: Located, message: string, severity?: "warning"): RuleReport => ({
          loc: nodeLoc(artifact, l.node),
          field: formatPath(l.path),
          message: `${name}: host-local ${message}`,
          ...(severity ? { severity } : {}),
        });
        if (conf.ranges.length === 0) {
          if (!conf.rangesFromElsewhere) {
            report({ loc: nodeLoc(artifact, conf.ipam), field: formatPath(conf.ipamPath), message: `${name}: host-local IPAM has no subnet and no ranges ("no IP ranges specified"), and the plugin does not ask the runtime for the node's range (capabilities.ipRanges): every pod setup fails` });
          }
          continue;
        }
        const valid: Checked[] = [];
        for (const range of conf.ranges) {
          // An installer's template (`__IPAM_SUBNET__`) is filled in before it reaches a conf dir: not a value to judge.
          if (PLACEHOLDER.test(range.subnet.value)) continue;
          const cidr = parseCIDR(range.subnet.value);
          if (!cidr) {
            report(at(range.subnet, `subnet ${JSON.stringify(range.subnet.value)} is not a CIDR (Go net.ParseCIDR rejects it): the config does not decode and every pod setup fails`));
            continue;
          }
          if (isMappedSubnet(cidr)) continue;
          const subnet = subnetOf(cidr);
          const net = networkText(cidr);
          if (subnet.prefix > subnet.bits - 2) {
            report(at(range.subnet, `subnet ${range.subnet.value} is too small to allocate from ("Network ${net} too small to allocate from"): a /${subnet.bits - 1} or /${subnet.bits} has no usable address`));
            continue;
          }
          if (subnet.ip !== subnet.network) {
            report(at(range.subnet, `subnet ${range.subnet.value} has host bits set ("Network has host bits set. For a subnet mask of length ${subnet.prefix} the network address is ${formatBig(subnet.network, subnet.v4)}"): write ${net}`));
            continue;
          }
          const inSubnet = (l: Located): { ok: boolean; value?: bigint; why?: string } => {
            const ip = parseIP(l.value);
            if (!ip) return { ok: false, why: `${JSON.stringify(l.value)} is not an IP address` };
            const c = canonical(ip);
            if (c.v4 !== subnet.v4) return { ok: false, value: c.value, why: `${l.value} is not the same address family as subnet ${net}` };
            if (c.value < subnet.network || c.value > subnet.broadcast) return { ok: false, value: c.value, why: `${l.value} is not in subnet ${net}` };
            return { ok: true, value: c.value };
          };
          if (range.gateway) {
            const g = inSubnet(range.gateway);
            if (!g.ok) {
              const decode = g.value === undefined;
              report(at(range.gateway, decode ? `gateway ${g.why}: the config does not decode and every pod setup fails` : `gateway ${g.why}: pods get a default route via an address outside their own network, which the bridge cannot reach as a gateway`, decode ? undefined : "warning"));
            }
          }
          let start = subnet.network + 1n;
          let end = subnet.v4 ? subnet.broadcast - 1n : subnet.broadcast;
          let bad = false;
          if (range.rangeStart) {
            const s = inSubnet(range.rangeStart);
            if (!s.ok) {
              report(at(range.rangeStart, `rangeStart ${s.why} ("RangeStart ${range.rangeStart.value} not in network ${net}"): every pod setup fails`));
              bad = true;
            } else start = s.value!;
          }
          if (range.rangeEnd) {
            const e = inSubnet(range.rangeEnd);
            if (!e.ok) {
              report(at(range.rangeEnd, `rangeEnd ${e.why} ("RangeEnd ${range.rangeEnd.value} not in network ${net}"): every pod setup fails`));
              bad = true;
            } else end = e.value!;
          }
          if (bad) continue;
          if (range.rangeStart && range.rangeEnd && start > end) {
            // range.go Canonicalize checks rangeEnd with Contains(), which already compares it with rangeStart.
            report(at(range.rangeEnd, `rangeEnd ${range.rangeEnd.value} comes before rangeStart ${range.rangeStart.value} ("RangeEnd ${range.rangeEnd.value} not in network ${net}"): host-local rejects the config and every pod setup fails`));
            continue;
          }
          valid.push({ range, subnet, text: range.subnet.value, start, end });
        }
        // Ranges of one family must not share an address (range_set.go Canonicalize, config.go "range set %d overlaps with %d").
        for (let i = 0; i < valid.length; i++) {
          const b = valid[i]!;
          const a = valid.slice(0, i).find((x) => x.subnet.v4 === b.subnet.v4 && x.start <= b.end && b.start <= x.end);
          if (!a) continue;
          const where = a.range.set === b.range.set ? "in the same range set" : "in another range set";
          report(at(b.range.subnet, `range ${b.text} (${formatBig(b.start, b.subnet.v4)}-${formatBig(b.end, b.subnet.v4)}) overlaps range ${a.text} ${where} (${formatBig(a.start, a.subnet.v4)}-${formatBig(a.end, a.subnet.v4)}): host-local rejects the config and every pod setup fails`));
        }
        // One range set per family before CNI 0.3.0 (config.go: "CNI version %v does not support more than 1 address per family").
        const version = artifact.result.cniVersion ?? "";
        if (!CNI_030.includes(version)) {
          const firstOfSet = new Map<number, Checked>();
          for (const c of valid) if (!firstOfSet.has(c.range.set)) firstOfSet.set(c.range.set, c);
          for (const v4 of [true, false]) {
            const sets = [...firstOfSet.values()].filter((c) => c.subnet.v4 === v4);
            if (sets.length > 1) report(at(sets[1]!.range.subnet, `gets ${sets.length} IPv${v4 ? 4 : 6} range sets, but cniVersion ${JSON.stringify(version)} allows one address per family ("CNI version ${version} does not support more than 1 address per family"): every pod setup fails`));
          }
        }
      }
    }
  },
});
