import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type HubSigningKey, openHubSigningKey } from "../hub-signing-key.js";

/** A hub signing key generated in a throw-away data folder (removed by `dispose`). */
export async function testSigningKey(): Promise<{
  key: HubSigningKey;
  dataDir: string;
  dispose(): Promise<void>;
}> {
  const dataDir = await mkdtemp(join(tmpdir(), "modelgate-signing-"));
  const key = await openHubSigningKey({ dataDir, host: "hub.example.test" });
  return { key, dataDir, dispose: () => rm(dataDir, { recursive: true, force: true }) };
}
