"""Branches and tags with the official huggingface_hub client, as a person sharing a model uses them.

Run by packages/hub/test/python-client.test.ts against a test hub (HF_ENDPOINT, HUB_TOKEN).
Each step prints "step: ..." so a failure shows how far the workflow got.
"""
import json
import os

from huggingface_hub import HfApi, hf_hub_download
from huggingface_hub.errors import HfHubHTTPError, RevisionNotFoundError


def step(text):
    print(f"step: {text}", flush=True)


api = HfApi(token=os.environ["HUB_TOKEN"])
repo = "alice/refs-model"

step("create the repository and push config v1 to main")
api.create_repo(repo)
api.upload_file(path_or_fileobj=json.dumps({"hidden_size": 8}).encode(), path_in_repo="config.json", repo_id=repo)

step("tag main as v1.0 (annotated) and v1.0-light (lightweight); a second v1.0 is a conflict")
main_v1 = api.list_repo_refs(repo).branches[0].target_commit
api.create_tag(repo, tag="v1.0", tag_message="first release")
api.create_tag(repo, tag="v1.0-light", revision=main_v1)
api.create_tag(repo, tag="v1.0", exist_ok=True)
try:
    api.create_tag(repo, tag="v1.0")
    raise AssertionError("a second v1.0 tag was accepted")
except HfHubHTTPError as err:
    assert err.response.status_code == 409, err

step("create branch dev from main and push config v2 to it")
api.create_branch(repo, branch="dev")
api.create_branch(repo, branch="dev", exist_ok=True)
api.upload_file(
    path_or_fileobj=json.dumps({"hidden_size": 16}).encode(), path_in_repo="config.json", repo_id=repo, revision="dev"
)

step("create branch feature/old from the tag v1.0 (a name with a slash)")
api.create_branch(repo, branch="feature/old", revision="v1.0")

step("list_repo_refs shows the branches and tags, tags pointing at commits")
refs = api.list_repo_refs(repo)
branches = {b.name: b.target_commit for b in refs.branches}
tags = {t.name: t.target_commit for t in refs.tags}
assert sorted(branches) == ["dev", "feature/old", "main"], branches
assert tags == {"v1.0": main_v1, "v1.0-light": main_v1}, tags
assert branches["feature/old"] == main_v1 and branches["dev"] != main_v1
assert refs.converts == [] and refs.pull_requests is None

step("download config.json by branch, by tag and by commit")
def config_at(revision):
    with open(hf_hub_download(repo, "config.json", revision=revision)) as f:
        return json.load(f)["hidden_size"]

assert config_at("dev") == 16
assert config_at("v1.0") == 8
assert config_at("feature/old") == 8
assert config_at(main_v1) == 8
assert config_at("main") == 8
assert [f for f in api.list_repo_files(repo, revision="dev")] == [".gitattributes", "config.json"]
assert api.repo_info(repo, revision="v1.0").sha == main_v1

step("delete the tag and the branches; the default branch cannot be deleted")
api.delete_tag(repo, tag="v1.0-light")
api.delete_branch(repo, branch="feature/old")
try:
    api.delete_branch(repo, branch="main")
    raise AssertionError("deleting main was accepted")
except HfHubHTTPError as err:
    assert err.response.status_code == 403, err
try:
    api.delete_tag(repo, tag="v1.0-light")
    raise AssertionError("deleting a missing tag was accepted")
except RevisionNotFoundError:
    pass
refs = api.list_repo_refs(repo)
assert sorted(b.name for b in refs.branches) == ["dev", "main"]
assert [t.name for t in refs.tags] == ["v1.0"]
try:
    hf_hub_download(repo, "config.json", revision="v1.0-light", force_download=True)
    raise AssertionError("a deleted tag still downloads")
except RevisionNotFoundError:
    pass

step("done")
