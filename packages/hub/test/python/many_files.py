"""A dataset of many files: one upload_folder of 1,100 files, listed back page by page (the hub
pages trees by 1,000), then cleaned up file by file, folder by folder, and deleted."""

from workflow import api, check, local, step
from huggingface_hub.errors import RepositoryNotFoundError

REPO = "alice/many-files"
COUNT = 1100

step("create a dataset repository and upload 1,100 files in one commit")
api.create_repo(REPO, repo_type="dataset")
api.upload_folder(folder_path=local("many"), repo_id=REPO, repo_type="dataset", commit_message="Add shards")

step("list them back, past the 1,000-entry page")
files = api.list_repo_files(REPO, repo_type="dataset")
shards = [f for f in files if f.startswith("shards/")]
check(len(shards) == COUNT, f"list_repo_files gave {len(shards)} shards")
check(len(set(files)) == len(files), "a file was listed twice")
tree = list(api.list_repo_tree(REPO, path_in_repo="shards", repo_type="dataset"))
check(len(tree) == COUNT, f"list_repo_tree(shards) gave {len(tree)}")

step("delete one file, then a folder")
api.delete_file("shards/0000.txt", repo_id=REPO, repo_type="dataset")
check("shards/0000.txt" not in api.list_repo_files(REPO, repo_type="dataset"), "delete_file")
api.delete_folder("shards", repo_id=REPO, repo_type="dataset")
left = api.list_repo_files(REPO, repo_type="dataset")
check(not any(f.startswith("shards/") for f in left), f"delete_folder left {left[:5]}")

step("list datasets, then delete the repository")
check(REPO in [d.id for d in api.list_datasets(author="alice")], "list_datasets")
api.delete_repo(REPO, repo_type="dataset")
check(not api.repo_exists(REPO, repo_type="dataset"), "repo_exists after delete_repo")
try:
    api.dataset_info(REPO)
    check(False, "dataset_info of a deleted repository succeeded")
except RepositoryNotFoundError:
    pass
step("done")
