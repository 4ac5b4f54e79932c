export type { ReadSecretsIgnoreOptions } from "./read-secrets-ignore.js";
export { readSecretsIgnore } from "./read-secrets-ignore.js";
