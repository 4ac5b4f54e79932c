import { describe, expect, it } from "vitest";
import { parseSignedCommit } from "./signed-commit.js";

const UNSIGNED = [
  "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904",
  "author Alice <alice@example.com> 1700000000 +0000",
  "committer Alice Ä <Alice@Example.com> 1700000000 +0000",
  "",
  "message",
  "",
].join("\n");

describe("parseSignedCommit", () => {
  it("takes the gpgsig header out (continuation lines unindented) and keeps every other byte", () => {
    const signed = UNSIGNED.replace(
      "\n\nmessage",
      "\ngpgsig -----BEGIN SSH SIGNATURE-----\n U1NIU0lH\n -----END SSH SIGNATURE-----\n\nmessage",
    );
    const parsed = parseSignedCommit(Buffer.from(signed, "utf8"));
    expect(parsed.payload.toString("utf8")).toBe(UNSIGNED);
    expect(parsed.signature).toBe("-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n-----END SSH SIGNATURE-----\n");
    expect(parsed.format).toBe("ssh");
    expect(parsed.committerEmail).toBe("alice@example.com");
    expect(parsed.committerName).toBe("Alice Ä");
  });

  it("reads an unsigned commit as unsigned, payload unchanged", () => {
    const parsed = parseSignedCommit(Buffer.from(UNSIGNED, "utf8"));
    expect(parsed.signature).toBeUndefined();
    expect(parsed.payload.toString("utf8")).toBe(UNSIGNED);
  });

  it("keeps a signature-looking line of the message in the payload", () => {
    const text = `${UNSIGNED}gpgsig not a header\n`;
    const parsed = parseSignedCommit(Buffer.from(text, "utf8"));
    expect(parsed.signature).toBeUndefined();
    expect(parsed.payload.toString("utf8")).toBe(text);
  });
});
