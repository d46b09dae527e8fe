import { defineRule } from "../../engine/rule.js";
import { nodeOf } from "../../model/load.js";
import { matchSymptom, type PatternMatch } from "../../model/observed/patterns.js";
import type { ObservedEvent } from "../../model/observed/types.js";
import { causeFindings, causeRelated, causeSentence, entryLoc, quote, sentence, type Related } from "../lib/symptoms.js";

export default defineRule({
  meta: { id: "cni/sandbox-failed", severity: "error", symptom: true, summary: "Pod sandboxes fail to be created with a CNI error (one finding per cause, not per event)" },
  check({ cluster, report, findings }) {
    const groups = new Map<string, { match: PatternMatch; events: ObservedEvent[] }>();
    for (const e of cluster.observed.events) {
      if (e.reason !== "FailedCreatePodSandBox") continue;
      const m = matchSymptom("sandbox", e.message);
      if (!m) continue;
      const key = `${m.pattern.id}\0${m.groups.join("\0")}`;
      const g = groups.get(key);
      if (g) g.events.push(e);
      else groups.set(key, { match: m, events: [e] });
    }
    for (const { match: m, events } of groups.values()) {
      const first = events[0]!;
      const total = events.reduce((n, e) => n + e.count, 0);
      const pods = [...new Set(events.map((e) => (e.involved ? `${e.involved.namespace}/${e.involved.name}` : "?")))];
      const hosts = [...new Set(events.map((e) => e.host).filter(Boolean))];
      const causes = causeFindings(findings, m.pattern.causeRules, (f) => {
        const node = nodeOf(f.loc.file.path)?.node;
        return !node || hosts.length === 0 || hosts.includes(node);
      });
      const podsText = `${pods.length} pod${pods.length === 1 ? "" : "s"} (${pods.slice(0, 4).join(", ")}${pods.length > 4 ? ", ..." : ""})`;
      const on = hosts.length ? ` on ${hosts.length === 1 ? "node" : "nodes"} ${hosts.join(", ")}` : "";
      const text = first.message.replace(/^\(combined from similar events\): /, "");
      const message = `Pod sandbox creation fails ${total} time${total === 1 ? "" : "s"} for ${podsText}${on}: ${m.meaning} (${quote(text)}).${causes.length ? causeSentence(causes) : ` ${sentence(m.pattern.next)}`}`;
      const related: Related[] = events.slice(1, 6).map((e) => ({ loc: entryLoc(e.object), message: `${e.involved?.name ?? "event"}: the same failure (${e.count}x)` }));
      report({ loc: entryLoc(first.object), message, related: [...related, ...causeRelated(causes)] });
    }
  },
});
