#!/usr/bin/python3
"""Copies the sample files other scanners ship with their test suites into this folder, with their
licences, and writes manifest.json (the label each project's own tests give each file).

Usage: collect.py PICKLESCAN_CHECKOUT MODELSCAN_CHECKOUT MODELAUDIT_CHECKOUT
(git checkouts of github.com/mmaitre314/picklescan, protectai/modelscan, promptfoo/modelaudit).
Run by hand; `npm test` reads the copied files. Nothing here loads a sample.

fickling (trailofbits/fickling) builds its test pickles in Python at test time; its one committed
sample (test/fixtures/squeezenet1_0_torchscript_v1_4.pt) is stored with Git LFS, so it is not here.
"""

import json
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
MAX_BYTES = 200_000  # larger samples (safetensors padding, big benign pickles) are left out

# project -> (folders with samples, how its tests label a file by name)
PROJECTS = {
    "picklescan": {
        "folders": ["tests/data", "tests/data2"],
        "source": "tests/test_scanner.py",
        "malicious": r"malicious|GHSA-|exploit|sploit|bypass|dns_exfiltration|io_FileIO|logging_FileHandler|types_CodeType|urllib_request|cloudpickle_codeinjection|broken_model",
        "benign": r"benign|int_array|object_array|pytorch_model\.bin|new_pytorch_model",
    },
    "modelscan": {
        "folders": ["tests/data"],
        "source": "tests/test_modelscan.py",
        "malicious": r"unsafe",
        "benign": r"password_protected",
    },
    "modelaudit": {
        "folders": [
            "tests/assets/exploits",
            "tests/assets/pickles",
            "tests/assets/samples/pickles",
            "tests/assets/samples/pytorch",
            "tests/assets/samples/archives",
            "tests/assets/samples/keras",
            "tests/assets/scenarios/security_scenarios",
            "tests/assets/scenarios/license_scenarios",
        ],
        "source": "tests/ (scanner tests over tests/assets)",
        "malicious": r"exploit|attack|malicious|evil|nested_pickle|decode_exec|dill_func|path_traversal",
        "benign": r"safe|simple_nested|mit_model|mixed_licenses|agpl|unlicensed",
    },
}
MODEL_FILE = re.compile(r"\.(pkl|pickle|pt|pth|bin|joblib|npy|npz|zip|7z|h5|keras|ckpt)$", re.I)


def main(argv):
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    manifest = {"about": "Sample files of other scanners' test suites, labelled as those tests expect. Licences beside each project's folder.", "projects": {}, "files": []}
    for (project, spec), checkout in zip(PROJECTS.items(), argv[1:]):
        dest = os.path.join(HERE, project)
        shutil.rmtree(dest, ignore_errors=True)
        os.makedirs(dest)
        shutil.copy(os.path.join(checkout, "LICENSE"), os.path.join(dest, "LICENSE"))
        commit = subprocess.run(["git", "-C", checkout, "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
        manifest["projects"][project] = {"commit": commit, "tests": spec["source"]}
        for folder in spec["folders"]:
            for root, _, files in os.walk(os.path.join(checkout, folder)):
                for name in sorted(files):
                    src = os.path.join(root, name)
                    rel = os.path.relpath(src, checkout)
                    if not MODEL_FILE.search(name) or os.path.getsize(src) > MAX_BYTES:
                        continue
                    label = "malicious" if re.search(spec["malicious"], rel) else "benign" if re.search(spec["benign"], rel) else "other"
                    out = os.path.join(dest, rel)
                    os.makedirs(os.path.dirname(out), exist_ok=True)
                    shutil.copy(src, out)
                    manifest["files"].append({"path": f"{project}/{rel}", "label": label})
    manifest["files"].sort(key=lambda f: f["path"])
    with open(os.path.join(HERE, "manifest.json"), "w") as fh:
        json.dump(manifest, fh, indent=2)
        fh.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
