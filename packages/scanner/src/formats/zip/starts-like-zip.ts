/**
 * True when `head` starts with a zip local header (`PK\3\4`) or an empty archive's end record
 * (`PK\5\6`): the two prefixes `torch.load` and `numpy.load` test (a zip with data prepended is
 * not taken for a zip by either).
 */
export function startsLikeZip(head: Uint8Array): boolean {
  return (
    head[0] === 0x50 &&
    head[1] === 0x4b &&
    ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6))
  );
}
