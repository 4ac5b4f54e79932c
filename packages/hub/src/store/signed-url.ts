import { createHmac, timingSafeEqual } from "node:crypto";

/** What a signed LFS URL allows: one upload of one object into one repository, until `expires`. */
export interface LfsGrant {
  repoId: number;
  oid: string;
  size: number;
  /** Unix seconds. */
  expires: number;
}

function payload(grant: LfsGrant): string {
  return `lfs-upload\n${grant.repoId}\n${grant.oid}\n${grant.size}\n${grant.expires}`;
}

/** Signs a grant (HMAC-SHA256 with the hub's key): the upload URL carries its own authorisation. */
export function signGrant(key: Buffer, grant: LfsGrant): string {
  return createHmac("sha256", key).update(payload(grant)).digest("base64url");
}

/** True when `signature` is the grant's and the grant has not expired. */
export function verifyGrant(key: Buffer, grant: LfsGrant, signature: string, nowSeconds: number): boolean {
  if (!Number.isSafeInteger(grant.expires) || grant.expires < nowSeconds) return false;
  const expected = Buffer.from(signGrant(key, grant));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
