/** The shape of src/generated/coredns-versions.ts (written by scripts/gen-coredns-versions.mjs). */
export interface CorednsOptionHistory {
  accepted: string;
  ignored?: string;
  ignoredLeavesArgs?: string;
  deprecated?: string;
  deprecatedOverArgs?: string;
  deprecatedOverArgsCount?: number;
}

export interface CorednsPluginHistory {
  present: string;
  external?: string;
  stub?: string;
  once?: string;
  closed?: Partial<Record<"unknown-property" | "arg-error" | "error", string>>;
  options?: Record<string, CorednsOptionHistory>;
}

export interface CorednsHistory {
  releases: string[];
  plugins: Record<string, CorednsPluginHistory>;
  /** plugin.cfg order of the newest release. */
  order: string[];
}
