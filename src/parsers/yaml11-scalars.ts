/**
 * YAML 1.1 resolution of plain scalars, as the yaml library's `yaml-1.1` schema does it (the tags
 * its composer tries on a plain value, in its order, with the same tests and conversions): null,
 * booleans (y, yes, on...), integers in base 2, 8, 10 and 16 with `_`, floats, `.inf`/`.nan`, and
 * sexagesimal numbers. Timestamps become Date objects there and are left to the library (UNSURE).
 * test/yaml-fast.test.ts compares it with the library's tags.
 */

/** The library must decide (a timestamp). */
export const UNSURE: unique symbol = Symbol("unsure");

// The library's tests for null (^(?:~|[Nn]ull|NULL)?$) and the booleans
// (^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$ and the false ones) match exactly these strings: sets
// spare compiling regular expressions for every key that starts with n, t, o or y.
const NULL = new Set(["", "~", "null", "Null", "NULL"]);
const TRUE = new Set(["Y", "y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"]);
const FALSE = new Set(["N", "n", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"]);
const INT_BIN = /^[-+]?0b[0-1_]+$/;
const INT_OCT = /^[-+]?0[0-7_]+$/;
const INT = /^[-+]?[0-9][0-9_]*$/;
const INT_HEX = /^[-+]?0x[0-9a-fA-F_]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/;
const INT_TIME = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+$/;
const FLOAT_TIME = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*$/;
const TIMESTAMP = /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:t|T|[ \t]+)([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2}(\.[0-9]+)?)(?:[ \t]*(Z|[-+][012]?[0-9](?::[0-9]{2})?))?)?$/;

function intOf(s: string, offset: number, radix: number): number {
  const sign = s[0];
  const digits = s.substring(sign === "-" || sign === "+" ? offset + 1 : offset).replace(/_/g, "");
  const n = parseInt(digits, radix);
  return sign === "-" ? -1 * n : n;
}

function sexagesimal(s: string): number {
  const sign = s[0];
  const parts = sign === "-" || sign === "+" ? s.substring(1) : s;
  const n = parts
    .replace(/_/g, "")
    .split(":")
    .reduce((acc, p) => acc * 60 + Number(p), 0);
  return sign === "-" ? -1 * n : n;
}

/** The value of a plain scalar (its text, trimmed) in YAML 1.1, or UNSURE. */
export function resolveYaml11Plain(s: string): unknown {
  if (NULL.has(s)) return null;
  if (TRUE.has(s)) return true;
  if (FALSE.has(s)) return false;
  // Only these first characters can start a number: digits, signs, `.`, and `e` (`e3` is a float, NaN).
  const c = s.charCodeAt(0);
  if (!((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e || c === 0x65 || c === 0x45)) return s;
  if (INT_BIN.test(s)) return intOf(s, 2, 2);
  if (INT_OCT.test(s)) return intOf(s, 1, 8);
  if (INT.test(s)) return intOf(s, 0, 10);
  if (INT_HEX.test(s)) return intOf(s, 2, 16);
  if (FLOAT_NAN.test(s)) return s.slice(-3).toLowerCase() === "nan" ? NaN : s[0] === "-" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (FLOAT_EXP.test(s) || FLOAT.test(s)) return parseFloat(s.replace(/_/g, ""));
  if (INT_TIME.test(s) || FLOAT_TIME.test(s)) return sexagesimal(s);
  if (TIMESTAMP.test(s)) return UNSURE;
  return s;
}
