/** Validators compiled ahead of time from the JSON Schemas (scripts/gen-validators.mjs). */
export interface ValidatorError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}
export interface Validator {
  (data: unknown): boolean;
  errors?: ValidatorError[] | null;
}
export const validateConfig: Validator;
export const validateKubeProxyConfig: Validator;
export const validateKubeletConfig: Validator;
