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
  // A chunk of results as the value of a top-level key: its items come out indented by four spaces,
  // as in the whole report; one native stringify per piece, no re-indenting.
  const head = '{\n  "results": [\n'.length;
  const tail = "\n  ]\n}".length;
  for (let i = 0; i < results.length; i += RESULTS_PER_PIECE) {
    const text = JSON.stringify({ results: results.slice(i, i + RESULTS_PER_PIECE) }, null, 2);
    // Two pieces, not one joined string: the writer need not copy a megabyte to flatten it.
    yield i === 0 ? "\n" : ",\n";
    yield text.slice(head, text.length - tail);
  }
  yield "\n  ]" + skeleton.slice(open + "\n    0\n  ]".length) + "\n";
}
