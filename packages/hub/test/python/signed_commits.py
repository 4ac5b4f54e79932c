"""Every way the hub writes a commit, driven by the official huggingface_hub client.

alice creates alice/signed, uploads files, tags a release, merges bob's pull request and squashes a
branch; packages/hub/test/hub-signatures.test.ts then clones the repository with git and checks
the hub's signature on every commit.
Run against a test hub (HF_ENDPOINT, HUB_TOKEN, HUB_OTHER_TOKEN).
"""
import os

from huggingface_hub import CommitOperationAdd, HfApi


def step(text):
    print(f"step: {text}", flush=True)


alice = HfApi(token=os.environ["HUB_TOKEN"])
bob = HfApi(token=os.environ["HUB_OTHER_TOKEN"])
repo = "alice/signed"

step("alice creates the repository and uploads a config")
alice.create_repo(repo)
info = alice.upload_file(path_or_fileobj=b'{"hidden_size": 4}', path_in_repo="config.json", repo_id=repo)
assert info.commit_message == "Upload config.json with huggingface_hub", info

step("alice tags a release with a message (an annotated tag) and starts a dev branch")
alice.create_tag(repo, tag="v1", tag_message="First release")
alice.create_branch(repo, branch="dev")

step("bob opens a pull request; alice merges it")
pr = bob.create_commit(
    repo,
    operations=[CommitOperationAdd("README.md", b"# signed\n")],
    commit_message="Add a card",
    create_pr=True,
)
alice.merge_pull_request(repo, pr.pr_num)

step("alice commits twice to dev, then squashes it")
alice.upload_file(path_or_fileobj=b"a", path_in_repo="a.txt", repo_id=repo, revision="dev")
alice.upload_file(path_or_fileobj=b"b", path_in_repo="b.txt", repo_id=repo, revision="dev")
alice.super_squash_history(repo, branch="dev", commit_message="Squash dev")

step("the commit titles the client reads are the ones it wrote")
titles = [c.title for c in alice.list_repo_commits(repo)]
# The merge's two parents are listed newest first; made within one second, their order is git's choice.
assert titles[0] == "Merge pull request #1: Add a card", titles
assert sorted(titles[1:3]) == ["Add a card", "Upload config.json with huggingface_hub"], titles
assert titles[3:] == ["initial commit"], titles
assert [c.title for c in alice.list_repo_commits(repo, revision="dev")] == ["Squash dev"]

step("done")
