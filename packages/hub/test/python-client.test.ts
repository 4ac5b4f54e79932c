import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPythonClient, stepsOf } from "./python-client.js";
import { startTestHub, type TestHub } from "./start-test-hub.js";

// Drives the hub with the official Python client (huggingface_hub, ../shared/clients) over a socket.
describe("the official Python client against the hub", () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(async () => {
    await hub?.close();
  });

  const expectWorkflow = async (script: string) => {
    const run = await runPythonClient(hub, script);
    // The last step reached and Python's traceback make a failure readable.
    expect({ code: run.code, last: stepsOf(run).at(-1), stderr: run.code === 0 ? "" : run.stderr }).toEqual({
      code: 0,
      last: "done",
      stderr: "",
    });
  };

  it("branches and tags: create, list, download by branch, tag and commit, delete", async () => {
    await expectWorkflow("branches_and_tags.py");
  }, 120_000);

  it("pull requests and discussions: open by commit, push to refs/pr/N, comment, close, merge, conflicts", async () => {
    await expectWorkflow("pull_requests.py");
  }, 120_000);

  it("settings, renames and transfers (old names redirect), and history squashing", async () => {
    await expectWorkflow("settings_move_squash.py");
  }, 120_000);
});
