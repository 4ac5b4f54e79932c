/**
 * Test fixture builder: the smallest HDF5 file h5py-compatible readers open, built byte by byte
 * (superblock version 0, a root object header version 1) whose root group holds the given string
 * attributes as fixed-length UTF-8 strings. Extra raw header messages can be appended, and the root
 * object header moved further into the file (`rootAt`, at least 96).
 * Spec: HDF5 File Format Specification version 2, sections II.A (superblock) and IV.A (object headers).
 */
export function buildHdf5(
  attrs: Record<string, string>,
  extraMessages: { type: number; body: Uint8Array }[] = [],
  rootAt = 96,
): Uint8Array {
  const enc = new TextEncoder();
  const messages = [
    ...Object.entries(attrs).map(([name, value]) => ({
      type: 0x000c,
      body: attributeBody(enc.encode(name), enc.encode(value)),
    })),
    ...extraMessages,
  ];
  const headerSize = messages.reduce((n, m) => n + 8 + m.body.length, 0);
  const total = rootAt + 16 + headerSize;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a], 0);
  // Versions 0, offsets and lengths of 8 bytes.
  out.set([0, 0, 0, 0, 0, 8, 8, 0], 8);
  view.setUint16(16, 4, true); // group leaf node K
  view.setUint16(18, 16, true); // group internal node K
  view.setBigUint64(24, 0n, true); // base address
  view.setBigUint64(32, 0xffffffffffffffffn, true); // no free-space info
  view.setBigUint64(40, BigInt(total), true); // end of file
  view.setBigUint64(48, 0xffffffffffffffffn, true); // no driver info
  // Root group symbol table entry: link name offset 0, object header at rootAt, no cache.
  view.setBigUint64(64, BigInt(rootAt), true);
  // Object header version 1.
  out[rootAt] = 1;
  view.setUint16(rootAt + 2, messages.length, true);
  view.setUint32(rootAt + 4, 1, true);
  view.setUint32(rootAt + 8, headerSize, true);
  let at = rootAt + 16;
  for (const m of messages) {
    view.setUint16(at, m.type, true);
    view.setUint16(at + 2, m.body.length, true);
    out.set(m.body, at + 8);
    at += 8 + m.body.length;
  }
  return out;
}

const pad8 = (n: number) => Math.ceil(n / 8) * 8;

/** Attribute message version 1: a scalar fixed-length UTF-8 string. */
function attributeBody(name: Uint8Array, value: Uint8Array): Uint8Array {
  const nameSize = name.length + 1;
  const body = new Uint8Array(8 + pad8(nameSize) + 8 + 8 + pad8(value.length));
  const view = new DataView(body.buffer);
  body[0] = 1;
  view.setUint16(2, nameSize, true);
  view.setUint16(4, 8, true);
  view.setUint16(6, 8, true);
  body.set(name, 8);
  let at = 8 + pad8(nameSize);
  body.set([0x13, 0x11, 0, 0], at); // datatype version 1, class string; null-padded, UTF-8
  view.setUint32(at + 4, value.length, true);
  at += 8;
  body.set([1, 0, 0, 0, 0, 0, 0, 0], at); // dataspace version 1, scalar
  at += 8;
  body.set(value, at);
  return body;
}
