/**
 * The value of a pickle that is just an int (`[PROTO n] BININT1|BININT2|BININT|INT ... STOP`), as
 * `torch.save`'s old tar layout writes its counts. Undefined for anything else.
 */
export function readIntPickle(bytes: Uint8Array): number | undefined {
  let p = 0;
  if (bytes[p] === 0x80) p += 2;
  const op = bytes[p];
  let value: number | undefined;
  let end: number;
  if (op === 0x4b) {
    value = bytes[p + 1];
    end = p + 2;
  } else if (op === 0x4d) {
    value = (bytes[p + 1] ?? 0) | ((bytes[p + 2] ?? 0) << 8);
    end = p + 3;
  } else if (op === 0x4a) {
    value =
      (bytes[p + 1] ?? 0) |
      ((bytes[p + 2] ?? 0) << 8) |
      ((bytes[p + 3] ?? 0) << 16) |
      ((bytes[p + 4] ?? 0) << 24);
    end = p + 5;
  } else if (op === 0x49) {
    const nl = bytes.indexOf(0x0a, p);
    if (nl < 0) return undefined;
    const text = new TextDecoder().decode(bytes.subarray(p + 1, nl));
    value = /^\d+$/.test(text) ? Number(text) : undefined;
    end = nl + 1;
  } else return undefined;
  return bytes[end] === 0x2e && value !== undefined && end + 1 === bytes.length ? value : undefined;
}
