"""Pull requests and discussions with the official huggingface_hub client, as on the Hub.

alice owns alice/pr-model; bob, who cannot write to it, proposes changes by pull request.
Run by packages/hub/test/python-client.test.ts against a test hub (HF_ENDPOINT, HUB_TOKEN, HUB_OTHER_TOKEN).
"""
import json
import os
import struct

from huggingface_hub import CommitOperationAdd, HfApi, hf_hub_download
from huggingface_hub.errors import EntryNotFoundError, HfHubHTTPError


def step(text):
    print(f"step: {text}", flush=True)


def safetensors_bytes(values):
    """A real safetensors file: one F32 tensor (header length, JSON header, little-endian data)."""
    data = struct.pack(f"<{len(values)}f", *values)
    header = json.dumps({"w": {"dtype": "F32", "shape": [len(values)], "data_offsets": [0, len(data)]}}).encode()
    header += b" " * (-len(header) % 8)
    return struct.pack("<Q", len(header)) + header + data


def status_of(error):
    return error.response.status_code


alice = HfApi(token=os.environ["HUB_TOKEN"])
bob = HfApi(token=os.environ["HUB_OTHER_TOKEN"])
repo = "alice/pr-model"

step("alice creates the repository with a config and a tokenizer")
alice.create_repo(repo)
alice.create_commit(
    repo,
    operations=[
        CommitOperationAdd("config.json", json.dumps({"hidden_size": 4}).encode()),
        CommitOperationAdd("tokenizer.json", json.dumps({"model": {"vocab": {"a": 0}}}).encode()),
    ],
    commit_message="Initial model",
)

step("bob cannot push to main, so he opens a pull request with weights and a new config")
try:
    bob.upload_file(path_or_fileobj=b"x", path_in_repo="x.txt", repo_id=repo)
    raise AssertionError("bob pushed to main")
except HfHubHTTPError as err:
    assert status_of(err) == 403, err
pr = bob.create_commit(
    repo,
    operations=[
        CommitOperationAdd("model.safetensors", safetensors_bytes([0.5, 1.5, 2.5, 3.5])),
        CommitOperationAdd("config.json", json.dumps({"hidden_size": 4, "torch_dtype": "float32"}).encode()),
    ],
    commit_message="Add weights",
    commit_description="Trained for 3 epochs.",
    create_pr=True,
)
assert pr.pr_num == 1 and pr.pr_revision == "refs/pr/1", pr
assert pr.pr_url.endswith(f"/{repo}/discussions/1"), pr.pr_url

step("bob pushes a second commit to refs/pr/1")
bob.upload_file(
    path_or_fileobj=b"# pr-model\nweights added\n", path_in_repo="NOTES.md", repo_id=repo, revision=pr.pr_revision
)

step("the pull request's files download from refs/pr/1, not from main")
with open(hf_hub_download(repo, "config.json", revision="refs/pr/1")) as f:
    assert json.load(f)["torch_dtype"] == "float32"
assert sorted(alice.list_repo_files(repo, revision="refs/pr/1")) == [
    ".gitattributes", "NOTES.md", "config.json", "model.safetensors", "tokenizer.json"
]
try:
    hf_hub_download(repo, "model.safetensors", revision="main")
    raise AssertionError("the PR's file is on main")
except EntryNotFoundError:
    pass
refs = alice.list_repo_refs(repo, include_pull_requests=True)
assert [(r.name, r.ref) for r in refs.pull_requests] == [("refs/pr/1", "refs/pr/1")], refs.pull_requests
assert alice.list_repo_refs(repo).pull_requests is None

step("the details show the description, both commits and the diff against main")
details = alice.get_discussion_details(repo, 1)
assert details.is_pull_request and details.status == "open" and details.author == "bob", details
assert details.title == "Add weights" and details.target_branch == "refs/heads/main"
assert details.conflicting_files == [] and details.merge_commit_oid is None
assert [e.type for e in details.events] == ["comment", "commit", "commit"], details.events
assert details.events[0].content == "Trained for 3 epochs."
assert details.events[1].summary == "Add weights" and details.events[1].oid == pr.oid
assert "config.json" in details.diff and "NOTES.md" in details.diff

step("alice comments, bob closes it with a comment and reopens it")
comment = alice.comment_discussion(repo, 1, "Thanks! Could you add the dtype?")
assert comment.content == "Thanks! Could you add the dtype?" and comment.author == "alice"
closed = bob.change_discussion_status(repo, 1, "closed", comment="Wrong base, closing")
assert closed.new_status == "closed"
assert alice.get_discussion_details(repo, 1).status == "closed"
bob.change_discussion_status(repo, 1, "open")
assert [d.num for d in alice.get_repo_discussions(repo, discussion_status="open")] == [1]

step("bob cannot merge; alice merges, and main now has the weights")
try:
    bob.merge_pull_request(repo, 1)
    raise AssertionError("bob merged")
except HfHubHTTPError as err:
    assert status_of(err) == 403, err
alice.merge_pull_request(repo, 1, comment="Merged, thanks")
merged = alice.get_discussion_details(repo, 1)
assert merged.status == "merged" and merged.merge_commit_oid, merged
assert alice.repo_info(repo).sha == merged.merge_commit_oid
with open(hf_hub_download(repo, "model.safetensors")) as f:
    pass
commits = alice.list_repo_commits(repo)
assert commits[0].title == "Merge pull request #1: Add weights", commits[0]
assert {"Add weights", "Upload NOTES.md with huggingface_hub"} <= {c.title for c in commits}

step("a plain discussion and a draft pull request; bob's first commit opens the draft")
question = bob.create_discussion(repo, title="Which tokenizer?", description="Is it byte-level?")
assert question.num == 2 and not question.is_pull_request and question.status == "open"
alice.comment_discussion(repo, 2, "Yes, byte-level BPE.")
alice.rename_discussion(repo, 2, "Which tokenizer is used?")
assert alice.get_discussion_details(repo, 2).title == "Which tokenizer is used?"
draft = bob.create_pull_request(repo, title="Bigger hidden size")
assert draft.num == 3 and draft.is_pull_request and draft.status == "draft", draft
bob.create_commit(
    repo,
    operations=[CommitOperationAdd("config.json", json.dumps({"hidden_size": 8}).encode())],
    commit_message="hidden_size 8",
    revision="refs/pr/3",
)
assert alice.get_discussion_details(repo, 3).status == "open"

step("main changes config.json too: the pull request conflicts and cannot be merged")
alice.upload_file(path_or_fileobj=json.dumps({"hidden_size": 16}).encode(), path_in_repo="config.json", repo_id=repo)
assert alice.get_discussion_details(repo, 3).conflicting_files == ["config.json"]
try:
    alice.merge_pull_request(repo, 3)
    raise AssertionError("a conflicting pull request was merged")
except HfHubHTTPError as err:
    assert status_of(err) == 409, err

step("listing and filters: all, pull requests only, by author")
nums = lambda **kw: [d.num for d in alice.get_repo_discussions(repo, **kw)]
assert nums() == [3, 2, 1]
assert nums(discussion_type="pull_request") == [3, 1]
assert nums(discussion_type="discussion") == [2]
assert nums(discussion_status="closed") == [1]
assert nums(author="alice") == []

step("tag the merged main as v1.0 and download the weights by tag")
alice.create_tag(repo, tag="v1.0", revision=merged.merge_commit_oid)
assert open(hf_hub_download(repo, "model.safetensors", revision="v1.0"), "rb").read() == safetensors_bytes(
    [0.5, 1.5, 2.5, 3.5]
)

step("done")
