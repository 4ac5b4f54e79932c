import { afterEach, describe, expect, it } from "vitest";
import { api, file, header } from "./http-helpers.js";
import { startTestHub, type TestHub, waitFor } from "./start-test-hub.js";

/** Waits for a file's scan to finish and returns the file page's answer. */
async function fileScan(hub: TestHub, token: string, repo: string, path: string) {
  return waitFor(async () => {
    const res = await api(hub, token).get(`/api/models/${repo}/scan/main/${path}`);
    const body = (await res.json()) as { status: string; report: { path: string } | null };
    return body.status === "queued" || body.status === "scanning" ? undefined : body;
  });
}

/** An AWS secret access key assigned to its usual name: a key-name (contextual) detector finds it. */
const AWS_SECRET = 'aws_secret_access_key = "Qx7pLm2RtV9sKw4ZbN8cYh3JdF6gT1uAeXo5Wi0B"\n';

describe("scan results shared by content never carry another repository's facts", () => {
  let hub: TestHub | undefined;
  afterEach(async () => {
    await hub?.close();
    hub = undefined;
  });

  it("a private path pushed first does not appear in another user's report of the same bytes", async () => {
    hub = await startTestHub();
    const secretPath = "projects/acquire-acme/terms.json";
    const bytes = JSON.stringify({ price: 1234, parties: ["a", "b"] });
    await api(hub).post("/api/repos/create", { name: "deals", private: true });
    expect((await api(hub).commit("alice/deals", [header(), file(secretPath, bytes)])).status).toBe(200);
    await fileScan(hub, hub.token, "alice/deals", secretPath);

    const bob = api(hub, hub.otherToken);
    await bob.post("/api/repos/create", { name: "mine" });
    expect((await bob.commit("bob/mine", [header(), file("data.json", bytes)])).status).toBe(200);
    const page = await fileScan(hub, hub.otherToken, "bob/mine", "data.json");
    expect(page.status).toBe("safe");
    expect(page.report?.path).toBe("data.json");
    const answers = [
      JSON.stringify(page),
      await (await bob.get("/api/models/bob/mine/scan")).text(),
      await (await bob.get("/api/models/bob/mine/tree/main?recursive=true&expand=true")).text(),
      await (await bob.get("/api/models/bob/mine?securityStatus=true&blobs=true")).text(),
    ];
    for (const text of answers) expect(text).not.toContain("acquire-acme");
  });

  it("a path-sensitive verdict is not dodged by pushing the bytes under a lenient name first", async () => {
    hub = await startTestHub({ policy: "block" });
    await api(hub).post("/api/repos/create", { name: "keys" });
    // A lock file skips key-name detectors, so the bytes are safe there...
    expect((await api(hub).commit("alice/keys", [header(), file("poetry.lock", AWS_SECRET)])).status).toBe(
      200,
    );
    expect((await fileScan(hub, hub.token, "alice/keys", "poetry.lock")).status).toBe("safe");
    // ...but as prod.env they are a leaked key: refused under block, as a fresh scan would refuse them.
    const res = await api(hub).commit("alice/keys", [header(), file("prod.env", AWS_SECRET)]);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("prod.env (secret)");
  });

  it("under warn, the same bytes as a non-lock file are flagged and raise a secret event", async () => {
    hub = await startTestHub();
    await api(hub).post("/api/repos/create", { name: "keys" });
    await api(hub).commit("alice/keys", [header(), file("poetry.lock", AWS_SECRET)]);
    expect((await fileScan(hub, hub.token, "alice/keys", "poetry.lock")).status).toBe("safe");
    await api(hub).commit("alice/keys", [header(), file("prod.env", AWS_SECRET)]);
    expect((await fileScan(hub, hub.token, "alice/keys", "prod.env")).status).toBe("secret");
    const events = (await (await api(hub).get("/api/events")).json()) as { path: string; kind: string }[];
    expect(events.map((e) => `${e.kind} ${e.path}`)).toEqual(["secret-found prod.env"]);
  });
});
