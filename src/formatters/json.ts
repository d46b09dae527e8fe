import type { JsonReport } from "../engine/lint.js";
import { RESULTS_PER_PIECE, type FormatOutput } from "./index.js";

/** JSON.stringify(report, null, 2) and a newline; a report of more than RESULTS_PER_PIECE results in pieces. */
export function formatJson(report: JsonReport): FormatOutput {
  if (report.results.length <= RESULTS_PER_PIECE) return JSON.stringify(report, null, 2) + "\n";
  return { pieces: jsonPieces(report) };
}

/**
 * A piece's text is kept under V8's largest ordinary heap object (128 KiB: 64 Ki characters of
 * two-byte text). A longer string is a large object of its own, and the first read of a stringify
 * result that long (to slice it, to write it) costs several times the stringify itself: 0.5 s of
 * 300,000 findings at 2,000 results per piece. The number of results per piece follows the length
 * of the last piece; a piece that comes out too long is made again with half as many.
 */
const PIECE_CHARS = { low: 12_000, high: 48_000 };

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
  let per = 64;
  for (let from = 0; from < results.length; ) {
    const text = JSON.stringify({ results: results.slice(from, from + per) }, null, 2);
    // Too long: the same results again in a smaller piece (only where the findings grow longer).
    if (text.length > PIECE_CHARS.high && per > 1) {
      per >>= 1;
      continue;
    }
    yield from === 0 ? "\n" : ",\n";
    yield text.slice(head, text.length - tail);
    from += per;
    if (text.length < PIECE_CHARS.low && per < RESULTS_PER_PIECE) per <<= 1;
  }
  yield "\n  ]" + skeleton.slice(open + "\n    0\n  ]".length) + "\n";
}
