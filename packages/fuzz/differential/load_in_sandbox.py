"""Loads files with Python's real loaders, one forked process per file and loader, under an audit hook.

Part of modelgate's differential fuzzing (packages/fuzz/README.md). Run only by
`npm run fuzz:differential`, inside `bwrap` (no network, read-only file system, a tmpfs /tmp); never by
`npm test` or the product. Reads one file path per line on stdin and writes one JSON line per file on
stdout: for each loader, the audit events a payload would raise (blocked) and how the load ended.

Each child installs `sys.addaudithook` before loading: process, network, file-write, ctypes and
code-execution events are recorded and then blocked by raising, so a payload is seen but does not run.
A profile hook also records calls of payload functions that may raise no event (webbrowser.open with no
browser to start).
"""

import io
import json
import os
import resource
import select
import signal
import sys
import tempfile

import joblib
import numpy
import pickle
import torch

TIMEOUT_S = float(os.environ.get("LOAD_TIMEOUT_S", "10"))
MEMORY_BYTES = 3 * 1024 ** 3
SCRATCH = tempfile.gettempdir()  # loaders may use it (PyTorch's tar layout extracts there)

PROCESS = {"os.system", "subprocess.Popen", "os.exec", "os.posix_spawn", "os.spawn", "os.fork",
           "os.forkpty", "os.startfile", "pty.spawn", "os.kill", "os.killpg"}
NETWORK_PREFIXES = ("socket.", "urllib.", "http.client.", "webbrowser.", "ftplib.", "smtplib.",
                    "imaplib.", "poplib.", "telnetlib.", "nntplib.")
FILE_CHANGES = {"os.remove", "os.rename", "os.rmdir", "os.mkdir", "os.chmod", "os.chown", "os.truncate",
                "os.link", "os.symlink", "os.utime", "shutil.rmtree", "shutil.move", "shutil.copyfile",
                "shutil.copytree", "shutil.chown", "shutil.make_archive", "os.putenv", "os.unsetenv",
                "os.chdir"}
CODE = {"code.__new__", "marshal.loads", "marshal.load", "sys.addaudithook", "sys.settrace",
        "sys.setprofile", "builtins.input", "ctypes.dlopen"}
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


def in_scratch(path):
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    return isinstance(path, str) and os.path.abspath(path).startswith(SCRATCH + os.sep)


def payload_event(event, args):
    """The event's description when it is something a payload does, else None."""
    if event in PROCESS or event.startswith(NETWORK_PREFIXES) or event.startswith("ctypes."):
        return event
    if event in FILE_CHANGES:
        return None if args and in_scratch(args[0]) else event
    if event == "open" and len(args) >= 3:
        path, mode, flags = args[0], args[1], args[2]
        writes = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            isinstance(flags, int) and flags & WRITE_FLAGS)
        return f"open for writing" if writes and not in_scratch(path) else None
    if event == "exec" and args and hasattr(args[0], "co_filename"):
        # Module code run by an import has a real file or is frozen ("<frozen runpy>"); code a payload
        # compiles has "<string>".
        name = args[0].co_filename
        return "exec" if name.startswith("<") and not name.startswith("<frozen ") else None
    if event in CODE:
        # Importing a module loads its cached bytecode with marshal.loads: not a payload.
        caller = sys._getframe(2).f_code.co_filename
        return None if event.startswith("marshal.") and "importlib._bootstrap" in caller else event
    return None


def load(loader, path, data):
    if loader in ("pickle", "pickle-python"):
        # Every stream in the file, as pickle.load on a BytesIO reads them back to back.
        f = io.BytesIO(data)
        while f.tell() < len(data):
            (pickle.load(f) if loader == "pickle" else pickle._Unpickler(f).load())
    elif loader == "pickle-file":
        with open(path, "rb") as f:
            while f.peek(1):
                pickle.load(f)
    elif loader == "torch":
        torch.load(path, map_location="cpu")
    elif loader == "torch-bytesio":
        torch.load(io.BytesIO(data), map_location="cpu")
    elif loader == "numpy":
        loaded = numpy.load(path, allow_pickle=True)
        if hasattr(loaded, "files"):
            for name in loaded.files:
                loaded[name]
    elif loader == "joblib":
        joblib.load(path)


LOADERS = ["pickle", "pickle-python", "pickle-file", "torch", "torch-bytesio", "numpy", "joblib"]


def payload_callables():
    """Functions a payload calls that may leave no audit event (webbrowser.open with no browser)."""
    import builtins, runpy, socket, subprocess, webbrowser
    # By id: a c_call's argument may be a bound method of an unhashable object.
    c_functions = {id(f): f.__name__ for f in (os.system, builtins.eval, builtins.exec)}
    python_functions = [subprocess.Popen.__init__, subprocess.run, subprocess.call, subprocess.check_call,
                        subprocess.check_output, subprocess.getoutput, subprocess.getstatusoutput,
                        webbrowser.open, webbrowser.open_new, webbrowser.open_new_tab, runpy._run_code,
                        runpy.run_path, runpy.run_module, socket.create_connection, os.popen]
    return c_functions, {f.__code__: f.__qualname__ for f in python_functions}


def child(loader, path, data, out_fd):
    events = []
    c_functions, python_codes = payload_callables()

    def profile(frame, event, arg):
        # Module code run by an import goes through exec too: not a payload.
        if event == "c_call" and id(arg) in c_functions and "importlib._bootstrap" not in frame.f_code.co_filename:
            events.append({"event": f"call {c_functions[id(arg)]}", "args": ""})
        elif event == "call" and frame.f_code in python_codes:
            events.append({"event": f"call {python_codes[frame.f_code]}", "args": ""})

    def hook(event, args):
        what = payload_event(event, args)
        if what is not None:
            events.append({"event": what, "args": repr(args)[:300]})
            raise RuntimeError(f"blocked by the differential check's audit hook: {event}")

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    sys.setprofile(profile)  # before the hook, which blocks sys.setprofile
    sys.addaudithook(hook)
    outcome = "loaded"
    try:
        load(loader, path, data)
    except BaseException as err:  # a payload's own exceptions included
        outcome = f"{type(err).__name__}: {str(err)[:200]}"
    os.write(out_fd, json.dumps({"events": events, "outcome": outcome}).encode())
    os._exit(0)


def run(loader, path, data):
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        try:
            child(loader, path, data, w)
        finally:
            os._exit(1)
    os.close(w)
    chunks, deadline = [], TIMEOUT_S
    while deadline > 0:
        ready, _, _ = select.select([r], [], [], min(deadline, 0.5))
        if ready:
            chunk = os.read(r, 65536)
            if not chunk:
                break
            chunks.append(chunk)
        else:
            deadline -= 0.5
    os.close(r)
    if deadline <= 0:
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    if not chunks:
        return {"events": [], "outcome": "timeout" if deadline <= 0 else f"died ({status})"}
    try:
        return json.loads(b"".join(chunks))
    except ValueError:
        return {"events": [], "outcome": "unreadable result"}


def warm_up():
    """Loads benign files made here, so lazy imports happen before any hook, and checks they raise nothing."""
    d = tempfile.mkdtemp()
    samples = {
        "p.pkl": lambda p: open(p, "wb").write(pickle.dumps({"a": [1, 2.5]}, protocol=4)),
        "t.pt": lambda p: torch.save({"w": torch.zeros(2)}, p),
        "tl.pt": lambda p: torch.save({"w": torch.zeros(2)}, p, _use_new_zipfile_serialization=False),
        "n.npy": lambda p: numpy.save(p, numpy.array([{"a": 1}], dtype=object), allow_pickle=True),
        "z.npz": lambda p: numpy.savez(p, a=numpy.zeros(2)),
        "j.joblib": lambda p: joblib.dump({"a": numpy.zeros(3)}, p, compress=3),
    }
    for name, write in samples.items():
        path = os.path.join(d, name)
        write(path)
        with open(path, "rb") as f:
            data = f.read()
        for loader in LOADERS:
            try:
                load(loader, path, data)
            except Exception:
                pass
            result = run(loader, path, data)
            if result["events"]:
                sys.exit(f"warm-up: benign {name} raised payload events under {loader}: {result['events']}")


def main():
    warm_up()
    print(json.dumps({"ready": True, "torch": torch.__version__, "numpy": numpy.__version__,
                      "joblib": joblib.__version__}), flush=True)
    for line in sys.stdin:
        path = line.rstrip("\n")
        if not path:
            continue
        with open(path, "rb") as f:
            data = f.read()
        results = {loader: run(loader, path, data) for loader in LOADERS}
        print(json.dumps({"path": path, "loaders": results}), flush=True)


if __name__ == "__main__":
    main()
