// Pickle fixtures built byte by byte (protocol 2), for the unit and browser tests.

function pickle(
  build: (op: (...bytes: number[]) => void, ascii: (s: string) => void) => void,
): Uint8Array<ArrayBuffer> {
  const bytes: number[] = [0x80, 0x02]; // PROTO 2
  const op = (...b: number[]) => bytes.push(...b);
  const ascii = (s: string) => {
    for (const ch of s) bytes.push(ch.charCodeAt(0));
  };
  build(op, ascii);
  bytes.push(0x2e); // STOP
  return Uint8Array.from(bytes);
}

function global(op: (...b: number[]) => void, ascii: (s: string) => void, module: string, name: string) {
  op(0x63); // GLOBAL
  ascii(`${module}\n${name}\n`);
}

/** `collections.OrderedDict()`: an innocuous import, a safe file. */
export function safePickle(): Uint8Array<ArrayBuffer> {
  return pickle((op, ascii) => {
    global(op, ascii, "collections", "OrderedDict");
    op(0x29, 0x52); // EMPTY_TUPLE, REDUCE
  });
}

/** `mylib.helpers.Thing()`: an import the policy does not know, so suspicious. */
export function suspiciousPickle(): Uint8Array<ArrayBuffer> {
  return pickle((op, ascii) => {
    global(op, ascii, "mylib.helpers", "Thing");
    op(0x29, 0x52);
  });
}

/** `os.system("echo pwned")`: runs a shell command when loaded. */
export function dangerousPickle(command = "echo pwned"): Uint8Array<ArrayBuffer> {
  return pickle((op, ascii) => {
    global(op, ascii, "os", "system");
    op(0x58, command.length, 0, 0, 0); // BINUNICODE
    ascii(command);
    op(0x85, 0x52); // TUPLE1, REDUCE
  });
}
