"""A file the hub holds back: an organisation with quarantine on receives a pickle that runs
os.system when loaded. Downloading it must fail with the hub's reason, not a connection error."""

import time

from workflow import TOKEN, api, check, local, step
from huggingface_hub import hf_hub_download
from huggingface_hub.errors import HfHubHTTPError

REPO = "acme/held-model"

step("push a dangerous pickle to a quarantined organisation")
api.create_repo(REPO)
api.upload_file(path_or_fileobj=local("held", "pytorch_model.bin"), path_in_repo="pytorch_model.bin", repo_id=REPO)
api.upload_file(path_or_fileobj=local("model", "config.json"), path_in_repo="config.json", repo_id=REPO)

step("wait for the scan (get_paths_info with expand shows securityFileStatus)")
status = None
for _ in range(200):
    [info] = api.get_paths_info(REPO, ["pytorch_model.bin"], expand=True)
    status = info.security["status"]
    if status not in ("queued", "scanning"):
        break
    time.sleep(0.1)
check(status == "unsafe" and info.security["safe"] is False, f"status {status}")
check(
    info.security["pickle_import_scan"]["highestSafetyLevel"] == "dangerous",
    f"pickle_import_scan {info.security['pickle_import_scan']}",
)

step("download it: refused, and the client says why")
try:
    hf_hub_download(REPO, "pytorch_model.bin", token=TOKEN)
    check(False, "a quarantined file was downloaded")
except HfHubHTTPError as err:
    message = str(err)
    print(message)
    check(err.response.status_code == 403, f"status {err.response.status_code}")
    check("pytorch_model.bin is quarantined: its scan found it unsafe" in message, f"message: {message}")

step("other files of the repository still download")
check(hf_hub_download(REPO, "config.json", token=TOKEN).endswith("config.json"), "config.json")
step("done")
