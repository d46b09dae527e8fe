import type { JsonReport } from "../engine/lint.js";
import { RESULTS_PER_PIECE, type FormatOutput } from "./index.js";

/** JSON.stringify(report, null, 2) and a newline, in pieces of RESULTS_PER_PIECE results. */
export function formatJson(report: JsonReport): FormatOutput {
  if (report.results.length <= RESULTS_PER_PIECE) return JSON.stringify(report, null, 2) + "\n";
  return { pieces: jsonPieces(report) };
}

function* jsonPieces(report: JsonReport): Iterable<string> {
  // The report with one placeholder result: the text around it is the text around the results.
  const skeleton = JSON.stringify({ ...report, results: [0] }, null, 2);
  const placeholder = skeleton.lastIndexOf('"results": [\n    0\n  ]');
  const open = placeholder + '"results": ['.length;
  yield skeleton.slice(0, open);
  const { results } = report;
  for (let i = 0; i < results.length; i += RESULTS_PER_PIECE) {
    // Joined, not concatenated one by one: one flat string per piece, not a tree to flatten later.
    const piece: string[] = [];
    for (let j = i; j < Math.min(i + RESULTS_PER_PIECE, results.length); j++) {
      // Items of a top-level array are indented by four spaces; JSON strings hold no raw newline.
      piece.push(j === 0 ? "\n    " : ",\n    ", JSON.stringify(results[j], null, 2).replace(/\n/g, "\n    "));
    }
    yield piece.join("");
  }
  yield "\n  ]" + skeleton.slice(open + "\n    0\n  ]".length) + "\n";
}
