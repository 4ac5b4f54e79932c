import { describe, expect, it } from "vitest";
import { classifyImport } from "./classify-import.js";
import { DEFAULT_RULES, defaultPolicy } from "./default-policy.js";
import { createPolicy } from "./policy.js";

const classify = (module: string, name: string) => classifyImport(defaultPolicy(), module, name).safety;
const split = (dotted: string): [string, string] => {
  const [module, name] = dotted.split(":");
  return [module ?? "", name ?? ""];
};

/** Published bypasses of other scanners and close relatives, written `module:name`. */
const DANGEROUS: readonly string[] = [
  // code execution and attribute access
  "builtins:eval",
  "builtins:exec",
  "builtins:compile",
  "builtins:getattr",
  "builtins:__import__",
  "builtins:open",
  "builtins:breakpoint",
  "builtins:vars",
  "marshal:loads",
  "types:CodeType",
  "types:FunctionType",
  "importlib:import_module",
  "importlib.util:module_from_spec",
  "inspect:getattr_static",
  "pkgutil:resolve_name",
  "pydoc:locate",
  "pydoc:pipepager",
  "operator:methodcaller",
  "operator:attrgetter",
  "operator:itemgetter",
  "_operator:attrgetter",
  "functools:partial",
  "functools:reduce",
  "code:InteractiveInterpreter.runcode",
  "codeop:compile_command",
  "runpy:_run_code",
  "runpy:run_path",
  "_interpreters:run_string",
  "_xxsubinterpreters:run_string",
  "_imp:create_dynamic",
  "_frozen_importlib:_load",
  "_frozen_importlib_external:SourceFileLoader",
  "cloudpickle.cloudpickle:_make_function",
  "dill._dill:_create_code",
  "pickle:loads",
  "_pickle:loads",
  "copyreg:add_extension",
  "warnings:_getcategory",
  "atexit:register",
  "pkg_resources:load_entry_point",
  "hydra.utils:instantiate",
  "sys:modules",
  "gc:get_objects",
  // processes
  "os:system",
  "posix:system",
  "nt:system",
  "subprocess:Popen",
  "subprocess:check_output",
  "_posixsubprocess:fork_exec",
  "pty:spawn",
  "_winapi:CreateProcess",
  "pipes:Template",
  "asyncio:create_subprocess_shell",
  "asyncio.unix_events:_UnixSubprocessTransport._start",
  "uuid:_get_command_stdout",
  "_osx_support:_read_output",
  "_aix_support:_read_cmd_output",
  "_pyrepl.pager:pipe_pager",
  "platform:_syscmd_file",
  "imaplib:IMAP4_stream",
  "test.support.script_helper:assert_python_ok",
  "threading:Thread",
  "_thread:start_new_thread",
  "multiprocessing:Process",
  "signal:signal",
  "faulthandler:_sigsegv",
  "ctypes:CDLL",
  "_ctypes:dlopen",
  // profilers, debuggers, test and IDE tooling
  "bdb:Bdb.run",
  "pdb:run",
  "profile:run",
  "cProfile:runctx",
  "trace:Trace.runctx",
  "timeit:timeit",
  "doctest:debug_script",
  "idlelib.pyshell:ModifiedInterpreter.runcode",
  "idlelib.calltip:get_entity",
  "lib2to3.pgen2.pgen:ParserGenerator.make_label",
  // packaging
  "pip:main",
  "pip._internal.cli.main:main",
  "ensurepip:_run_pip",
  "venv:create",
  "distutils.file_util:write_file",
  "setuptools.sandbox:run_setup",
  // files and network
  "_io:FileIO",
  "io:FileIO",
  "_pyio:open",
  "shutil:rmtree",
  "logging:FileHandler",
  "tempfile:mkstemp",
  "socket:create_connection",
  "ssl:get_server_certificate",
  "http.client:HTTPSConnection",
  "urllib.request:urlopen",
  "requests.api:get",
  "aiohttp:ClientSession",
  "webbrowser:open",
  "smtplib:SMTP",
  "xml.sax:parse",
  // ML libraries
  "torch:load",
  "torch.serialization:load",
  "torch.storage:_load_from_bytes",
  "torch.hub:load",
  "torch.utils.cpp_extension:load_inline",
  "torch.utils.collect_env:run",
  "torch.utils.collect_env:run_and_read_all",
  "torch.utils._config_module:ConfigModule.load_config",
  "torch.utils.bottleneck.__main__:run_cprofile",
  "torch.utils.data.datapipes.utils.decoder:basichandlers",
  "torch.utils.model_zoo:load_url",
  "torch.utils.benchmark:Timer",
  "torch._inductor.codecache:compile_file",
  "torch._dynamo.guards:GuardBuilder.get",
  "torch.fx.experimental.symbolic_shapes:ShapeEnv.evaluate_guards_expression",
  "torch.jit.unsupported_tensor_ops:execWrapper",
  "torch.multiprocessing:spawn",
  "torch.cuda.jiterator:_create_jit_fn",
  "numpy.testing._private.utils:runstring",
  "numpy.f2py.crackfortran:getlincoef",
  "numpy.f2py.crackfortran:_eval_length",
  "numpy.ctypeslib:load_library",
  "numpy:load",
  "pandas:read_pickle",
  "joblib:load",
  "joblib.externals.loky:get_reusable_executor",
  "sklearn.externals.joblib:load",
  "sklearn.utils._joblib:load",
  "transformers.dynamic_module_utils:get_class_from_dynamic_module",
  "fickling.hook:deactivate_safe_ml_environment",
  "picklescan.scanner:scan_pickle_bytes",
  // methods reached through innocuous classes
  "pathlib:Path.write_text",
  "pathlib:Path.rename",
  "pathlib:Path.unlink",
  "numpy:ndarray.tofile",
  "numpy:ndarray.dump",
  "torch:Tensor.__reduce_ex__",
];

/** Python 2 names and dotted names whose real target is dangerous. */
const DANGEROUS_BY_RESOLUTION: readonly string[] = [
  "__builtin__:eval",
  "__builtin__:getattr",
  "__builtin__:execfile",
  "__builtin__:vars",
  "__builtin__:reduce",
  "exceptions:eval",
  "commands:getoutput",
  "copy_reg:add_extension",
  "cPickle:loads",
  "urllib2:urlopen",
  "SocketServer:TCPServer",
  "httplib:HTTPConnection",
  "torch:os.system",
  "pathlib:os.system",
  "builtins:getattr.__self__",
  "numpy:__builtins__",
  "numpy:size.__globals__",
  "collections:OrderedDict.__init__.__globals__",
  "torch.nn.modules.module:torch.hub.load",
  "torch.nn.modules.module:torch.load",
  "sklearn.base:np.load",
  "sklearn.base:os.system",
  "sklearn.utils:_joblib.load",
  "torch:storage._load_from_bytes",
  "torch._utils:_rebuild_tensor_v2.__globals__",
];

const INNOCUOUS: readonly string[] = [
  "torch._utils:_rebuild_tensor_v2",
  "torch._utils:_rebuild_parameter",
  "torch:FloatStorage",
  "torch:HalfStorage",
  "torch:BFloat16Storage",
  "torch:Size",
  "torch:device",
  "torch.nn.modules.linear:Linear",
  "torch.nn.modules.container:Sequential",
  "collections:OrderedDict",
  "collections:defaultdict",
  "numpy.core.multiarray:_reconstruct",
  "numpy._core.multiarray:_reconstruct",
  "numpy.core.multiarray:scalar",
  "numpy:ndarray",
  "numpy:dtype",
  "numpy.dtypes:Float64DType",
  "copyreg:_reconstructor",
  "copy_reg:_reconstructor",
  "copyreg:__newobj__",
  "_codecs:encode",
  "builtins:set",
  "builtins:frozenset",
  "builtins:bytearray",
  "builtins:slice",
  "builtins:complex",
  "builtins:range",
  "__builtin__:set",
  "__builtin__:xrange",
  "__builtin__:unicode",
  "datetime:datetime",
  "decimal:Decimal",
  "argparse:Namespace",
  "uuid:UUID",
  "pathlib:PosixPath",
  "transformers.training_args:TrainingArguments",
  "transformers.trainer_utils:IntervalStrategy",
  "sklearn.linear_model._logistic:LogisticRegression",
  "sklearn.tree._tree:Tree",
  "joblib.numpy_pickle:NumpyArrayWrapper",
  "sklearn.externals.joblib.numpy_pickle:NumpyArrayWrapper",
];

const SUSPICIOUS: readonly string[] = [
  "mymodel.layers:Block",
  "__main__:Net",
  "builtins:print",
  "builtins:type",
  "torch:Tensor.to",
  "sklearn:base.BaseEstimator",
  "collections:OrderedDict.fromkeys",
  "copyreg._extension_registry:1",
  "joblib.numpy_pickle:NDArrayWrapper",
];

describe("default policy", () => {
  it.each(DANGEROUS)("%s is dangerous", (dotted) => {
    expect(classify(...split(dotted))).toBe("dangerous");
  });
  it.each(DANGEROUS_BY_RESOLUTION)("%s is dangerous by what it resolves to", (dotted) => {
    expect(classify(...split(dotted))).toBe("dangerous");
  });
  it.each(INNOCUOUS)("%s is innocuous", (dotted) => {
    expect(classify(...split(dotted))).toBe("innocuous");
  });
  it.each(SUSPICIOUS)("%s is suspicious", (dotted) => {
    expect(classify(...split(dotted))).toBe("suspicious");
  });

  it("gives every dangerous rule a one-line reason", () => {
    for (const rule of DEFAULT_RULES) {
      if (rule.safety !== "dangerous") continue;
      expect(rule.reason, `${rule.module}.${rule.name}`).toMatch(/^[^\n]{8,100}$/);
    }
  });

  it("says why a Python 2 or dotted name is dangerous", () => {
    expect(classifyImport(defaultPolicy(), "__builtin__", "reduce").reason).toMatch(/functools\.reduce/);
    expect(classifyImport(defaultPolicy(), "torch", "os.system").reason).toMatch(/os\.system/);
  });

  it("classifies a very long attribute path at once, as dangerous", () => {
    const deep = Array.from({ length: 2000 }, () => "a").join(".");
    const started = Date.now();
    expect(classify("torch", deep)).toBe("dangerous");
    expect(Date.now() - started).toBeLessThan(1000);
    expect(classify("torch", Array.from({ length: 32 }, () => "a").join("."))).toBe("suspicious");
    expect(classify("torch", Array.from({ length: 33 }, () => "a").join("."))).toBe("dangerous");
  });

  it("lets a user rule allow a name without hiding a dotted walk through it", () => {
    const policy = createPolicy(DEFAULT_RULES, [{ module: "mylib", name: "*", safety: "innocuous" }]);
    expect(classifyImport(policy, "mylib.models", "Net").safety).toBe("innocuous");
    expect(classifyImport(policy, "mylib", "os.system").safety).toBe("dangerous");
    expect(classifyImport(policy, "mylib", "helpers.load").safety).toBe("dangerous");
  });
});
