export type { Finding, Severity, SourceRange } from "./types.js";
