import type { HubContext } from "../context.js";
import { HubError } from "../hub-error.js";
import type { ScanRequest } from "../scan/scan-service.js";
import { type FileStatus, fileStatusOf } from "../scan/security-status.js";
import type { AddedFile } from "./apply-commit.js";

/** The statuses the `block` policy refuses. Fail closed: a file that could not be analysed is refused too. */
export function blockedUnderPolicy(status: FileStatus): boolean {
  return (
    status === "unsafe" ||
    status === "infected" ||
    status === "error" ||
    status === "secret" ||
    status === "unscanned"
  );
}

/** Under `block`, scans the new files before anything is written and refuses dangerous ones. */
export async function enforceBlockPolicy(
  ctx: HubContext,
  added: readonly AddedFile[],
  requests: readonly ScanRequest[],
): Promise<void> {
  for (const request of requests) await ctx.scans.enqueue(request);
  await Promise.all(requests.map((r) => ctx.scans.settled(r.key)));
  const refused: { path: string; status: string; reasons: string[] }[] = [];
  for (const f of added) {
    const scan = await ctx.db
      .selectFrom("scans")
      .select(["state", "verdict", "infected", "report", "error"])
      .where("key", "=", f.scanKey)
      .executeTakeFirst();
    const status = fileStatusOf(scan);
    if (blockedUnderPolicy(status)) {
      refused.push({ path: f.path, status, reasons: reasonsOf(scan?.report ?? null, scan?.error ?? null) });
    }
  }
  if (refused.length > 0) {
    throw new HubError(
      403,
      "BlockedByPolicy",
      `commit refused by the hub's block policy: ${refused.map((r) => `${r.path} (${r.status})`).join(", ")}`,
      { files: refused },
    );
  }
}

/** The dangerous findings (or the error) of a scan, for a refusal message. */
export function reasonsOf(reportJson: string | null, error: string | null): string[] {
  if (error) return [error];
  if (!reportJson) return [];
  const report = JSON.parse(reportJson) as { findings?: { severity: string; message: string }[] };
  return (report.findings ?? [])
    .filter((f) => f.severity === "dangerous" || f.severity === "error")
    .map((f) => f.message)
    .slice(0, 20);
}
