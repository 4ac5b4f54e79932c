import { createPolicy, type Policy } from "./policy.js";

/** The built-in policy (stub until the table lands). */
export function defaultPolicy(): Policy {
  return createPolicy([]);
}
