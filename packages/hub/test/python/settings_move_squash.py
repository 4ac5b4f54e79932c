"""Repository settings, renames and transfers, and history squashing with the official client.

Run by packages/hub/test/python-client.test.ts against a test hub (HF_ENDPOINT, HUB_TOKEN, HUB_OTHER_TOKEN).
"""
import json
import os
import tempfile

from huggingface_hub import HfApi, hf_hub_download
from huggingface_hub.errors import BadRequestError, GatedRepoError, HfHubHTTPError, RepositoryNotFoundError


def step(text):
    print(f"step: {text}", flush=True)


def expect_error(kind, call, status=None):
    try:
        call()
    except kind as err:
        if status is not None:
            assert err.response.status_code == status, err
        return
    raise AssertionError(f"expected {kind.__name__}")


def fresh_download(repo_id, filename, token):
    """Downloads into an empty cache, so the answer is the hub's and never a cached copy."""
    return hf_hub_download(repo_id, filename, token=token, cache_dir=tempfile.mkdtemp())


alice = HfApi(token=os.environ["HUB_TOKEN"])
bob = HfApi(token=os.environ["HUB_OTHER_TOKEN"])
anonymous = HfApi(token=False)
repo = "alice/settings-model"

step("alice creates a public repository with a config")
alice.create_repo(repo)
alice.upload_file(path_or_fileobj=json.dumps({"hidden_size": 4}).encode(), path_in_repo="config.json", repo_id=repo)
assert anonymous.repo_info(repo).private is False

step("make it private: only alice sees it; then public again")
alice.update_repo_settings(repo, private=True)
assert alice.repo_info(repo).private is True
expect_error(RepositoryNotFoundError, lambda: anonymous.repo_info(repo))
expect_error(RepositoryNotFoundError, lambda: bob.repo_info(repo))
alice.update_repo_settings(repo, private=False)
assert anonymous.repo_info(repo).private is False

step("gate downloads: auto needs a token, manual needs membership, False opens them")
alice.update_repo_settings(repo, gated="auto")
assert anonymous.repo_info(repo).gated == "auto"
expect_error(GatedRepoError, lambda: fresh_download(repo, "config.json", False))
fresh_download(repo, "config.json", os.environ["HUB_OTHER_TOKEN"])
alice.update_repo_settings(repo, gated="manual")
expect_error(GatedRepoError, lambda: fresh_download(repo, "config.json", os.environ["HUB_OTHER_TOKEN"]))
fresh_download(repo, "config.json", os.environ["HUB_TOKEN"])
alice.update_repo_settings(repo, gated=False)
assert anonymous.repo_info(repo).gated is False
fresh_download(repo, "config.json", False)

step("rename: the new name works, the old name redirects for the API, downloads and uploads")
alice.move_repo(repo, "alice/renamed-model")
assert alice.repo_info("alice/renamed-model").id == "alice/renamed-model"
assert anonymous.repo_info(repo).id == "alice/renamed-model"
with open(fresh_download(repo, "config.json", False)) as f:
    assert json.load(f) == {"hidden_size": 4}
alice.upload_file(path_or_fileobj=b"notes", path_in_repo="NOTES.md", repo_id=repo)
assert "NOTES.md" in alice.list_repo_files("alice/renamed-model")

step("transfer to the organisation acme; both old names still lead there")
alice.move_repo("alice/renamed-model", "acme/renamed-model")
assert alice.repo_info("acme/renamed-model").author == "acme"
assert alice.repo_info("alice/renamed-model").id == "acme/renamed-model"
assert alice.repo_info(repo).id == "acme/renamed-model"

step("bob cannot move it, nobody can move onto an existing name, and bob cannot transfer into acme")
expect_error(HfHubHTTPError, lambda: bob.move_repo("acme/renamed-model", "bob/stolen"), 403)
alice.create_repo("alice/other")
expect_error(HfHubHTTPError, lambda: alice.move_repo("alice/other", "acme/renamed-model"), 409)
bob.create_repo("bob/mine")
expect_error(HfHubHTTPError, lambda: bob.move_repo("bob/mine", "acme/mine"), 403)

step("a new repository at an old name replaces the redirect")
alice.create_repo(repo)
assert alice.repo_info(repo).id == repo
assert alice.list_repo_files(repo) == [".gitattributes"]

step("squash: three commits become one root commit with the same files")
target = "acme/renamed-model"
for i in range(3):
    alice.upload_file(path_or_fileobj=f"epoch {i}".encode(), path_in_repo="log.txt", repo_id=target)
files_before = sorted(alice.list_repo_files(target))
assert len(alice.list_repo_commits(target)) >= 5
alice.super_squash_history(target, commit_message="Squash history")
commits = alice.list_repo_commits(target)
assert [c.title for c in commits] == ["Squash history"], commits
assert sorted(alice.list_repo_files(target)) == files_before
with open(fresh_download(target, "log.txt", os.environ["HUB_TOKEN"])) as f:
    assert f.read() == "epoch 2"

step("squashing a tag is refused; a branch other than main can be squashed")
alice.create_tag(target, tag="v1")
expect_error(BadRequestError, lambda: alice.super_squash_history(target, branch="v1"))
alice.create_branch(target, branch="dev")
alice.upload_file(path_or_fileobj=b"dev", path_in_repo="dev.txt", repo_id=target, revision="dev")
alice.super_squash_history(target, branch="dev")
assert len(alice.list_repo_commits(target, revision="dev")) == 1

step("done")
