#!/usr/bin/python3
"""Lists functions and classes that turn strings into objects or code (resolver and evaluator gadgets).

Reads Python sources with the standard library's `ast` module only: nothing under study is imported
or run. For every module-level function, class and method of the given source trees it finds the
"sinks" it reaches -- __import__, importlib.import_module, getattr with a computed name, eval, exec,
compile, sys.modules lookups, subprocess, os.system/exec*/spawn*, pickle/marshal loads, code object
construction -- directly or through other functions of the same module (fixpoint over the module's
call graph), and whether the sink's argument comes from the function's parameters (what a pickle
controls when it calls the function) or from `self` (what BUILD controls before __setstate__ runs).

Writes one JSON object per line, sorted, to stdout:
  {"module", "name", "kind", "sinks", "fed", "via"}
`fed` is "param", "self" or "none"; only fed candidates are gadgets a pickle can drive. The reviewed
decisions live in resolver-gadgets.json beside this script (see README.md for the refresh steps).

Only fed candidates are written unless --all is given.

Usage: find-resolver-gadgets.py [--all] ROOT[=PACKAGE_PREFIX] ...
  e.g. find-resolver-gadgets.py /usr/lib/python3.11 /usr/lib/python3/dist-packages/torch=torch
"""

import ast
import json
import os
import sys

# Call targets that resolve names or run code, by their fully qualified name after import aliases.
SINKS = {
    "__import__": "import",
    "builtins.__import__": "import",
    "importlib.import_module": "import",
    "importlib.__import__": "import",
    "importlib.reload": "import",
    "importlib.util.spec_from_file_location": "import",
    "importlib.util.module_from_spec": "import",
    "importlib.util.find_spec": "import",
    "pkgutil.resolve_name": "resolve",
    "pydoc.locate": "resolve",
    "pydoc.safeimport": "import",
    "eval": "eval",
    "exec": "exec",
    "compile": "compile",
    "builtins.eval": "eval",
    "builtins.exec": "exec",
    "types.FunctionType": "code-object",
    "types.CodeType": "code-object",
    "types.LambdaType": "code-object",
    "marshal.loads": "unmarshal",
    "marshal.load": "unmarshal",
    "pickle.loads": "unpickle",
    "pickle.load": "unpickle",
    "pickle.Unpickler": "unpickle",
    "_pickle.loads": "unpickle",
    "dill.loads": "unpickle",
    "dill.load": "unpickle",
    "cloudpickle.loads": "unpickle",
    "torch.load": "unpickle",
    "joblib.load": "unpickle",
    "runpy.run_path": "run",
    "runpy.run_module": "run",
    "os.system": "shell",
    "os.popen": "shell",
    "subprocess.Popen": "process",
    "subprocess.run": "process",
    "subprocess.call": "process",
    "subprocess.check_call": "process",
    "subprocess.check_output": "process",
    "subprocess.getoutput": "shell",
    "subprocess.getstatusoutput": "shell",
    "pty.spawn": "process",
    "ctypes.CDLL": "native",
    "ctypes.PyDLL": "native",
    "ctypes.cdll.LoadLibrary": "native",
}
SINK_PREFIXES = {"os.exec": "process", "os.spawn": "process", "os.posix_spawn": "process"}
# Methods a pickle makes the loader call on an instance of a class it names: REDUCE of the class runs
# __init__ (and __new__), BUILD runs __setstate__, SETITEMS/APPENDS run __setitem__/append/extend.
ENTRY_METHODS = ("__new__", "__init__", "__setstate__", "__setitem__", "append", "extend")
# __setstate__ sees attacker data through `self`; the others through their parameters.
SELF_FED_ENTRIES = ("__setstate__",)


def module_name(root, prefix, path):
    rel = os.path.relpath(path, root)[: -len(".py")].split(os.sep)
    if rel[-1] == "__init__":
        rel = rel[:-1]
    parts = ([prefix] if prefix else []) + rel
    return ".".join(p for p in parts if p)


def aliases_of(tree, module):
    """Maps local names to the dotted names they were imported as."""
    names = {}
    pkg = module.rsplit(".", 1)[0] if "." in module else module
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                names[a.asname or a.name.split(".")[0]] = a.name if a.asname else a.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = pkg.split(".")
                up = up[: len(up) - (node.level - 1)] if node.level > 1 else up
                base = ".".join(up + ([base] if base else []))
            for a in node.names:
                names[a.asname or a.name] = f"{base}.{a.name}" if base else a.name
    return names


def dotted(node):
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = dotted(node.value)
        return f"{inner}.{node.attr}" if inner else None
    return None


def qualify(name, aliases):
    if name is None:
        return None
    head, _, rest = name.partition(".")
    base = aliases.get(head, head)
    return f"{base}.{rest}" if rest else base


def sink_of(call, aliases):
    target = qualify(dotted(call.func), aliases)
    if target is None:
        return None
    if target in ("getattr", "builtins.getattr"):
        # getattr(obj, "constant") reaches one known attribute, and getattr(self, "visit_" + kind)
        # only methods named with that prefix (a dispatcher); any other computed name reaches anything.
        if len(call.args) >= 2 and not isinstance(call.args[1], ast.Constant) and not is_prefixed(call.args[1]):
            return "getattr"
        return None
    if target in SINKS:
        return SINKS[target]
    for prefix, kind in SINK_PREFIXES.items():
        if target.startswith(prefix):
            return kind
    return None


def is_prefixed(name):
    """A name built as "constant prefix" + something: f"visit_{x}" or "do_" + x."""
    if isinstance(name, ast.JoinedStr):
        first = name.values[0] if name.values else None
        return isinstance(first, ast.Constant) and bool(first.value)
    if isinstance(name, ast.BinOp) and isinstance(name.op, ast.Add):
        return isinstance(name.left, ast.Constant) and bool(name.left.value)
    return False


def feeds(node, params):
    """How the arguments of `node` depend on the function's inputs: param, self or none."""
    fed = "none"
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name) and sub.id in params:
            return "param"
        if isinstance(sub, ast.Attribute) and isinstance(sub.value, ast.Name) and sub.value.id == "self":
            fed = "self"
    return fed


class Function:
    def __init__(self, name, node, cls):
        self.name = name
        self.node = node
        self.cls = cls
        args = node.args
        every = args.posonlyargs + args.args + args.kwonlyargs
        every += [a for a in (args.vararg, args.kwarg) if a]
        self.params = {a.arg for a in every} - {"self", "cls"}
        self.sinks = {}  # kind -> fed
        self.calls = []  # (callee function name, fed)
        self.via = set()


def rank(fed):
    return {"none": 0, "self": 1, "param": 2}[fed]


def analyse_module(module, tree):
    aliases = aliases_of(tree, module)
    functions = {}
    classes = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            functions[node.name] = Function(node.name, node, None)
        elif isinstance(node, ast.ClassDef):
            methods = {}
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    f = Function(f"{node.name}.{item.name}", item, node.name)
                    methods[item.name] = f
                    functions[f.name] = f
            classes[node.name] = methods
    # A call `x.name(...)` on an object of unknown type goes to the module's one method of that name, if unique.
    by_method = {}
    for methods in classes.values():
        for mname, m in methods.items():
            by_method.setdefault(mname, []).append(m.name)
    for f in functions.values():
        for sub in ast.walk(f.node):
            if isinstance(sub, ast.Call):
                fed = feeds(ast.Tuple(elts=list(sub.args) + [k.value for k in sub.keywords]), f.params)
                kind = sink_of(sub, aliases)
                if kind:
                    if rank(fed) >= rank(f.sinks.get(kind, "none")):
                        f.sinks[kind] = fed
                callee = dotted(sub.func)
                if callee:
                    if callee.startswith(("self.", "cls.")) and f.cls:
                        callee = f"{f.cls}.{callee.split('.', 1)[1]}"
                    elif callee in classes:
                        callee = f"{callee}.__init__"
                    elif "." in callee and callee not in functions:
                        owners = by_method.get(callee.rsplit(".", 1)[1], [])
                        if len(owners) == 1:
                            callee = owners[0]
                    f.calls.append((callee, fed))
            elif isinstance(sub, ast.Subscript):
                # sys.modules[name] resolves a module named by a string.
                if qualify(dotted(sub.value), aliases) == "sys.modules" and not isinstance(
                    sub.slice, ast.Constant
                ):
                    fed = feeds(sub.slice, f.params)
                    if rank(fed) >= rank(f.sinks.get("sys-modules", "none")):
                        f.sinks["sys-modules"] = fed
    # Fixpoint: a call passing our inputs to a function that feeds a sink from its parameters feeds it too.
    changed = True
    while changed:
        changed = False
        for f in functions.values():
            for callee, fed in f.calls:
                g = functions.get(callee)
                if g is None or g is f:
                    continue
                for kind, gfed in list(g.sinks.items()):
                    eff = fed if gfed == "param" else ("self" if gfed == "self" and f.cls == g.cls else "none")
                    if rank(eff) > rank(f.sinks.get(kind, "none")) or kind not in f.sinks:
                        if kind in f.sinks and rank(eff) <= rank(f.sinks[kind]):
                            continue
                        f.sinks[kind] = eff
                        f.via.add(callee)
                        changed = True
    out = []
    for f in functions.values():
        if not f.sinks:
            continue
        fed = max(f.sinks.values(), key=rank)
        out.append(
            {
                "module": module,
                "name": f.name,
                "kind": "method" if f.cls else "function",
                "sinks": sorted(f.sinks),
                "fed": fed,
                "via": sorted(f.via),
            }
        )
    for cname, methods in classes.items():
        best = "none"
        sinks = set()
        via = set()
        for entry in ENTRY_METHODS:
            m = methods.get(entry)
            if m is None or not m.sinks:
                continue
            for kind, fed in m.sinks.items():
                ok = fed == "param" or (fed == "self" and entry in SELF_FED_ENTRIES)
                if ok:
                    sinks.add(kind)
                    via.add(m.name)
                    if rank(fed) > rank(best):
                        best = fed
        if sinks:
            out.append(
                {"module": module, "name": cname, "kind": "class", "sinks": sorted(sinks), "fed": best, "via": sorted(via)}
            )
    return out


SKIP_DIRS = {"test", "tests", "testing", "__pycache__", "site-packages", "dist-packages", "idle_test", "benchmarks"}


def walk(root, prefix):
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith("."))
        for fn in sorted(filenames):
            if fn.endswith(".py"):
                yield os.path.join(dirpath, fn), module_name(root, prefix, os.path.join(dirpath, fn))


def main(argv):
    every = "--all" in argv[1:]
    specs = [a for a in argv[1:] if a != "--all"]
    if not specs:
        print(__doc__, file=sys.stderr)
        return 2
    rows = []
    for spec in specs:
        root, _, prefix = spec.partition("=")
        for path, module in walk(root, prefix):
            try:
                with open(path, "rb") as fh:
                    tree = ast.parse(fh.read(), filename=path)
            except (SyntaxError, ValueError) as err:
                print(f"skipped {path}: {err}", file=sys.stderr)
                continue
            rows.extend(analyse_module(module, tree))
    rows.sort(key=lambda r: (r["module"], r["name"]))
    for row in rows:
        if row["fed"] == "none" and not every:
            continue
        print(json.dumps(row, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
