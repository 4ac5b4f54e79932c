"""What the workflow scripts share: the official client pointed at the hub under test.

python-client.test.ts starts the hub, writes the files to push into MODELGATE_FILES and runs each
script with Debian's python3 and the unmodified client (HF_ENDPOINT is the hub, HUB_TOKEN alice's
token). Every call goes through huggingface_hub; nothing here speaks HTTP itself.
"""

import os

from huggingface_hub import HfApi

ENDPOINT = os.environ["HF_ENDPOINT"]
TOKEN = os.environ["HUB_TOKEN"]
api = HfApi(endpoint=ENDPOINT, token=TOKEN)


def step(text):
    """Says which step runs, so a failure shows how far the workflow got (the last one is "done")."""
    print(f"step: {text}", flush=True)


def check(condition, message):
    """Fails the workflow with `message` when `condition` is false."""
    if not condition:
        raise AssertionError(message)


def local(*parts):
    """The path of a file the test wrote for the workflow to push."""
    return os.path.join(os.environ["MODELGATE_FILES"], *parts)


def read(path):
    with open(path, "rb") as f:
        return f.read()
