"""A person who trains a model and shares it: create the repository, write its card, push the
weights and the tokenizer, then download it all back the ways people do."""

import os

from workflow import ENDPOINT, TOKEN, api, check, local, read, step
from huggingface_hub import (
    HfFileSystem,
    ModelCard,
    hf_hub_download,
    snapshot_download,
)

REPO = "alice/tiny-bert"

step("create the repository")
url = api.create_repo(REPO)
check(url == f"{ENDPOINT}/{REPO}", f"create_repo returned {url}")
# push_to_hub calls this every time: the second call must find the repository, not fail.
again = api.create_repo(REPO, exist_ok=True)
check(again == url, f"create_repo(exist_ok=True) returned {again}")

step("write the model card (README.md: the client has the hub validate its YAML first)")
card = ModelCard(
    "---\nlicense: apache-2.0\nlanguage: en\ntags:\n- modelgate-test\n---\n\n# tiny-bert\n\nA test model.\n"
)
# As transformers' push_to_hub does: a commit adding README.md, which the client checks with
# POST /api/validate-yaml on the endpoint. (ModelCard.push_to_hub would first call validate(), which
# the client sends to huggingface.co itself whatever the endpoint.)
api.upload_file(path_or_fileobj=str(card).encode(), path_in_repo="README.md", repo_id=REPO, commit_message="Add model card")
step("a card with broken YAML is refused by the hub's validation, before any upload")
try:
    api.upload_file(path_or_fileobj=b"---\nlicense: [mit\n---\n", path_in_repo="README.md", repo_id=REPO)
    check(False, "a card with invalid YAML was accepted")
except ValueError as err:
    check("Invalid metadata in README.md" in str(err), f"validation error: {err}")

step("push the weights (safetensors, LFS) and the config")
api.upload_file(path_or_fileobj=local("model", "model.safetensors"), path_in_repo="model.safetensors", repo_id=REPO)
api.upload_file(path_or_fileobj=local("model", "config.json"), path_in_repo="config.json", repo_id=REPO)

step("push the tokenizer folder (a multi-MB tokenizer.json sent inline)")
commit = api.upload_folder(folder_path=local("tokenizer"), path_in_repo="", repo_id=REPO, commit_message="Add tokenizer")
weights_commit = commit.oid

step("look at it: list_models, model_info, list_repo_tree with expand, get_paths_info, file_exists")
models = [m.id for m in api.list_models(author="alice")]
check(REPO in models, f"list_models(author='alice') gave {models}")
info = api.model_info(REPO, files_metadata=True)
names = sorted(s.rfilename for s in info.siblings)
expected = ["README.md", "config.json", "model.safetensors", "special_tokens_map.json", "tokenizer.json", "vocab.txt"]
check(names == sorted(expected + [".gitattributes"]), f"siblings {names}")
tree = list(api.list_repo_tree(REPO, recursive=True, expand=True))
weights = next(e for e in tree if e.path == "model.safetensors")
check(weights.lfs is not None and weights.lfs.size == os.path.getsize(local("model", "model.safetensors")), f"lfs {weights.lfs}")
check(weights.last_commit is not None and weights.last_commit.title.startswith("Upload model.safetensors"), f"last_commit {weights.last_commit}")
check(weights.security is not None and weights.security["status"] in ("safe", "queued", "scanning"), f"security {weights.security}")
paths = api.get_paths_info(REPO, ["tokenizer.json", "config.json", "nope.txt"], expand=True)
check(sorted(p.path for p in paths) == ["config.json", "tokenizer.json"], f"paths-info {paths}")
tokenizer_size = os.path.getsize(local("tokenizer", "tokenizer.json"))
check(next(p for p in paths if p.path == "tokenizer.json").size == tokenizer_size, "tokenizer.json size")
check(api.file_exists(REPO, "config.json"), "file_exists(config.json)")
check(not api.file_exists(REPO, "nope.txt"), "file_exists(nope.txt)")

step("download everything: snapshot_download")
folder = snapshot_download(REPO, token=TOKEN)
for name, source in [
    ("model.safetensors", local("model", "model.safetensors")),
    ("tokenizer.json", local("tokenizer", "tokenizer.json")),
    ("vocab.txt", local("tokenizer", "vocab.txt")),
]:
    check(read(os.path.join(folder, name)) == read(source), f"snapshot {name} differs")
check(b"# tiny-bert" in read(os.path.join(folder, "README.md")), "README.md content")

step("download one file by branch and by commit: hf_hub_download")
by_branch = hf_hub_download(REPO, "config.json", revision="main", force_download=True, token=TOKEN)
check(read(by_branch) == read(local("model", "config.json")), "config.json by branch")
by_commit = hf_hub_download(REPO, "tokenizer.json", revision=weights_commit, force_download=True, token=TOKEN)
check(read(by_commit) == read(local("tokenizer", "tokenizer.json")), "tokenizer.json by commit")

step("read it as a file system: HfFileSystem ls and open")
fs = HfFileSystem(endpoint=ENDPOINT, token=TOKEN)
listed = sorted(e["name"] for e in fs.ls(REPO, detail=True))
check(f"{REPO}/config.json" in listed and f"{REPO}/model.safetensors" in listed, f"ls {listed}")
with fs.open(f"{REPO}/vocab.txt", "rb") as f:
    check(f.read() == read(local("tokenizer", "vocab.txt")), "HfFileSystem open")
with fs.open(f"{REPO}/model.safetensors", "rb") as f:
    f.seek(8)
    check(f.read(1) == b"{", "ranged read of the safetensors header")

step("card read back by the client")
check(ModelCard.load(REPO, token=TOKEN).data.license == "apache-2.0", "card metadata")
step("done")
