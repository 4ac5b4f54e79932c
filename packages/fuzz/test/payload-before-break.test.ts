import { describe, expect, it } from "vitest";
import { ascii, concat, fromHex, le } from "../src/bytes.js";
import { payloadBeforeBreak } from "../src/oracle/payload-before-break.js";

// pickle.dumps(P(), protocol=N) from CPython 3.11, where P.__reduce__ returns (os.system, ('true',)).
const REDUCE_OS_SYSTEM = [
  "63706f7369780a73797374656d0a70300a2856747275650a70310a7470320a5270330a2e",
  "63706f7369780a73797374656d0a71002858040000007472756571017471025271032e",
  "800263706f7369780a73797374656d0a710058040000007472756571018571025271032e",
  "800363706f7369780a73797374656d0a710058040000007472756571018571025271032e",
  "8004951f000000000000008c05706f736978948c0673797374656d9493948c047472756594859452942e",
  "8005951f000000000000008c05706f736978948c0673797374656d9493948c047472756594859452942e",
].map(fromHex);
// pickle.dumps({'a': [1, 2.5, 'x'], 'b': (None, True)}) with protocols 4 and 0.
const BENIGN = [
  "80049524000000000000007d94288c0161945d94284b014740040000000000008c017894658c0162944e888694752e",
  "286470300a56610a70310a286c70320a49310a6146322e350a6156780a70330a617356620a70340a284e4930310a7470350a732e",
].map(fromHex);

describe("payloadBeforeBreak (the fuzz oracle)", () => {
  it("accepts CPython's own benign pickles", () => {
    for (const p of BENIGN) expect(payloadBeforeBreak(p)).toBeUndefined();
  });

  it.each(REDUCE_OS_SYSTEM.map((p, proto) => [proto, p] as const))(
    "finds posix.system in CPython's protocol %i pickle",
    (_proto, p) => {
      expect(payloadBeforeBreak(p)).toMatchObject({ module: "posix", name: "system" });
    },
  );

  it("stops at an unknown opcode before the import", () => {
    const p = REDUCE_OS_SYSTEM[2] as Uint8Array;
    expect(
      payloadBeforeBreak(concat(p.subarray(0, 2), new Uint8Array([0xff]), p.subarray(2))),
    ).toBeUndefined();
  });

  it("stops at a protocol CPython does not know (6 and above), not at 5", () => {
    const body = (REDUCE_OS_SYSTEM[4] as Uint8Array).subarray(2);
    expect(payloadBeforeBreak(concat(new Uint8Array([0x80, 6]), body))).toBeUndefined();
    expect(payloadBeforeBreak(concat(new Uint8Array([0x80, 5]), body))).toBeDefined();
  });

  it("stops where the stack underflows: STACK_GLOBAL with one string", () => {
    expect(payloadBeforeBreak(fromHex("8c066f732e70617468930a"))).toBeUndefined();
    expect(payloadBeforeBreak(fromHex("8c026f738c0673797374656d93"))).toMatchObject({ module: "os" });
  });

  it("STACK_GLOBAL through memo gets", () => {
    // 'os' MEMOIZE 'system' MEMOIZE POP POP GET 0 GET 1 STACK_GLOBAL
    const p = fromHex("8c026f73948c0673797374656d9430306800680193");
    expect(payloadBeforeBreak(p)).toMatchObject({ module: "os", name: "system" });
  });

  it("INST needs its mark before it imports; GLOBAL does not", () => {
    expect(payloadBeforeBreak(ascii("ios\nsystem\n"))).toBeUndefined();
    expect(payloadBeforeBreak(ascii("(ios\nsystem\n"))).toMatchObject({ module: "os" });
    expect(payloadBeforeBreak(ascii("cos\nsystem\n"))).toMatchObject({ module: "os" });
  });

  it("a GLOBAL whose names are not UTF-8, or whose module is not an identifier, breaks the stream", () => {
    expect(
      payloadBeforeBreak(concat(ascii("F1.5\ncsubprocess\n"), new Uint8Array([0x93]), ascii("Popen\n"))),
    ).toBeUndefined();
    expect(payloadBeforeBreak(ascii("csu\x00cess\nPopen\n(tR.cos\nsystem\n"))).toBeUndefined();
    expect(payloadBeforeBreak(ascii("F1.5\ncsubprocess\nPopen\n"))).toMatchObject({ module: "subprocess" });
  });

  it("an import whose attribute is not a dotted identifier breaks the stream, as getattr raises (CI fuzz false alarms)", () => {
    // Shapes of what the CI run saved: runpy._Nport os, webbrowser.ox', __builtin__.gl{...}obals, _codecs.e\b\0ode.
    expect(payloadBeforeBreak(ascii("Ncrunpy\n_Nport os\ntRp0\n0."))).toBeUndefined();
    expect(payloadBeforeBreak(ascii("cwebbrowser\nox'\ntR."))).toBeUndefined();
    expect(
      payloadBeforeBreak(ascii("c__builtin__\ngl{'a': 1}obals\n(tRp1\n0cos\nsystem\n(S'x'\ntR.")),
    ).toBeUndefined();
    expect(payloadBeforeBreak(ascii("(i_codecs\ne\b\x00ode\np0\ncbuiltins\neval\n(Vid\ntR"))).toBeUndefined();
    expect(payloadBeforeBreak(ascii("\x80\x04\x8c\x05runpy\x8c\x04r n_\x93."))).toBeUndefined();
    // Unicode identifiers resolve in Python, so they do not break the stream.
    expect(payloadBeforeBreak(ascii("cfoo\nbär\n0cos\nsystem\n"))).toBeUndefined(); // latin-1 bytes: not UTF-8
    expect(payloadBeforeBreak(new TextEncoder().encode("cfoo\nbär\n0cos\nsystem\n"))).toMatchObject({
      module: "os",
    });
    expect(payloadBeforeBreak(ascii("\x80\x04\x8c\x05runpy\x8c\x08run_code\x93."))).toMatchObject({
      module: "runpy",
    });
  });

  it("a SHORT_BINUNICODE that is not UTF-8 (surrogates allowed) breaks the stream (CI fuzz false alarm)", () => {
    const push = (b: number[]) => [0x8c, b.length, ...b];
    const os = [...push([...ascii("os")]), ...push([...ascii("system")]), 0x93];
    expect(
      payloadBeforeBreak(new Uint8Array([0x80, 0x04, ...push([0xd4, 0x65]), 0x30, ...os])),
    ).toBeUndefined();
    // 'surrogatepass': an encoded lone surrogate is read, so the stream goes on to the payload.
    expect(
      payloadBeforeBreak(new Uint8Array([0x80, 0x04, ...push([0xed, 0xa0, 0x80]), 0x30, ...os])),
    ).toMatchObject({
      module: "os",
    });
  });

  it("a STRING argument without quotes breaks the stream (found by the fuzzer: an oracle false alarm)", () => {
    expect(payloadBeforeBreak(ascii("(Sq'curl x|sh'\nios\nsystem\np0\n."))).toBeUndefined();
    expect(payloadBeforeBreak(ascii("(S'curl x|sh'\nios\nsystem\np0\n."))).toMatchObject({ module: "os" });
  });

  it("an INT, LONG or FLOAT line that is not a number breaks the stream (found by the CI fuzz run: an oracle false alarm)", () => {
    // int(b'O"...', 0) raises ValueError in both unpicklers: the GLOBAL after it is never reached.
    expect(payloadBeforeBreak(ascii('IO"x\n(cos\nsystem\nV1\no.'))).toBeUndefined();
    expect(payloadBeforeBreak(ascii("Lzz\n(cos\nsystem\nV1\no."))).toBeUndefined();
    expect(payloadBeforeBreak(ascii("F1.5.2\n(cos\nsystem\nV1\no."))).toBeUndefined();
    for (const number of ["I0x1f", "I 12 ", "L123L", "F-1e5", "Finf", "F.5"]) {
      expect(payloadBeforeBreak(ascii(`${number}\n(cos\nsystem\nV1\no.`)), number).toMatchObject({
        module: "os",
      });
    }
  });

  it("a GET of a memo entry never stored breaks the stream", () => {
    expect(payloadBeforeBreak(ascii("h\x05cos\nsystem\n"))).toBeUndefined();
  });

  it("reads pickles back to back", () => {
    const p = concat(BENIGN[0] as Uint8Array, REDUCE_OS_SYSTEM[2] as Uint8Array);
    expect(payloadBeforeBreak(p)).toMatchObject({
      module: "posix",
      offset: (BENIGN[0] as Uint8Array).length + 2,
    });
  });

  it("starts the next stream at the frame's end too (issue 13's FRAME/STOP reproduction)", () => {
    // M = \x80\x04\x8c\x02os\x8c\x06system\x93\x8c\x04true\x85R.; F = ]\x94.C<len(M)-1>
    const m = concat(
      fromHex("8004"),
      fromHex("8c026f73"),
      fromHex("8c0673797374656d93"),
      fromHex("8c047472756585522e"),
    );
    const f = new Uint8Array([0x5d, 0x94, 0x2e, 0x43, m.length - 1]);
    const file = concat(fromHex("800495"), le(8, f.length), f, m);
    expect(payloadBeforeBreak(file)).toMatchObject({ module: "os", name: "system", afterFrameStop: true });
    // Read only from the next byte, the same bytes hold a bytes object and no import.
    expect(payloadBeforeBreak(concat(fromHex("8004"), f, m))).toBeUndefined();
  });
});
