/** Notices about what a run passed over: unrendered templates and charts, vendored and test-data directories. */
import type { DiscoveryResult } from "../model/discover.js";
import type { RawInput } from "../model/load.js";
import { templateNotices } from "../model/templates.js";

export function discoveryNotices(found: Pick<DiscoveryResult, "templates" | "skippedDirs">, raw: Pick<RawInput, "templates">): string[] {
  const out = templateNotices([...found.templates, ...(raw.templates ?? [])]);
  const dirs = found.skippedDirs;
  if (dirs.length) {
    const list = dirs.length <= 3 ? dirs.join(", ") : `${dirs.slice(0, 3).join(", ")} and ${dirs.length - 3} more`;
    out.push(
      `${dirs.length} vendor/, node_modules/ or testdata/ director${dirs.length === 1 ? "y was" : "ies were"} not read (${list}): ` +
        `other projects' copies and test inputs are not the repository's clusters; --include-vendored (or includeVendored: true in .kube-netlint.yaml) reads them`,
    );
  }
  return out;
}
