import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  type ClamavSignatureDatabase,
  clamavSignatures,
  type Policy,
  type PolicyRule,
} from "@modelgate/scanner";

/**
 * Writes the ModelGate pickle signature database (`modelgate-pickle.ldb`) into `dir` (created if
 * missing), for `modelgate clamav-signatures -o DIR [--policy FILE]` (default: the built-in
 * table; pass the Policy built from --policy to include the user's rules). Operators copy it into clamd's
 * DatabaseDirectory and reload (`clamdscan --reload`). Returns the database and the file's path.
 */
export async function writeClamavSignatures(
  dir: string,
  policy?: Policy | readonly PolicyRule[],
): Promise<{ path: string; database: ClamavSignatureDatabase }> {
  const database = policy === undefined ? clamavSignatures() : clamavSignatures(policy);
  await mkdir(dir, { recursive: true });
  const path = join(dir, database.fileName);
  await writeFile(path, database.text);
  return { path, database };
}
