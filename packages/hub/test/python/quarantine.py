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

step("wait for both scans (get_paths_info with expand shows securityFileStatus)")
# Under quarantine a file is held until its scan ends, config.json too: wait for both.
statuses = {}
for _ in range(600):
    infos = api.get_paths_info(REPO, ["pytorch_model.bin", "config.json"], expand=True)
    statuses = {i.path: i.security["status"] for i in infos}
    if not {"queued", "scanning"} & set(statuses.values()):
        break
    time.sleep(0.1)
info = next(i for i in infos if i.path == "pytorch_model.bin")
status = statuses["pytorch_model.bin"]
check(status == "unsafe" and info.security["safe"] is False, f"status {status}")
check(statuses["config.json"] == "safe", f"config.json {statuses['config.json']}")
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
