# Writes the decompression bombs of issue 13 into the folder given (Python standard library, and
# python3-lz4 for the lz4 file when it is installed): 1 GiB of output each, zeros with 4 pseudo-random
# bytes per KiB (about 120 times smaller deflated, under the 1,000 ratio limit), as a deflated zip
# member (named weights.bin and data.pkl), a gzip, xz, bzip2, .lzma (alone) and lz4 file; and a zip of
# 20,000 entries sharing one 50 MiB deflated kernel (1 TB extracted).
import bz2, lzma, os, random, struct, sys, zlib

try:
    import lz4.frame
except ImportError:
    lz4 = None

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
G = 1 << 30
rnd = random.Random(1)
block = bytearray(1 << 20)
raw = zlib.compressobj(6, zlib.DEFLATED, -15)
gz = zlib.compressobj(6, zlib.DEFLATED, 31)
xz = lzma.LZMACompressor(preset=0)
deflated, crc = [], 0
# Compressors of the other single-file formats joblib writes, with their file names.
others = {"bomb.bz2": bz2.BZ2Compressor(9), "bomb.lzma": lzma.LZMACompressor(lzma.FORMAT_ALONE, preset=0)}
if lz4 is not None:
    others["bomb.lz4"] = lz4.frame.LZ4FrameCompressor()
files = {name: open(os.path.join(out, name), "wb") for name in others}
with open(os.path.join(out, "bomb.gz"), "wb") as fg, open(os.path.join(out, "bomb.xz"), "wb") as fx:
    for name, c in others.items():
        if name == "bomb.lz4":
            files[name].write(c.begin())
    for _ in range(G // len(block)):
        for j in range(0, len(block), 1024):
            block[j:j + 4] = rnd.randbytes(4)
        b = bytes(block)
        crc = zlib.crc32(b, crc)
        deflated.append(raw.compress(b))
        fg.write(gz.compress(b))
        fx.write(xz.compress(b))
        for name, c in others.items():
            files[name].write(c.compress(b))
    deflated.append(raw.flush())
    fg.write(gz.flush())
    fx.write(xz.flush())
    for name, c in others.items():
        files[name].write(c.flush())
        files[name].close()
data = b"".join(deflated)


def zip_of(entries, local_name, data, crc, size):
    """One local header and data, and a central directory entry for each name, all pointing at it."""
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(data), size, len(local_name), 0)
    central = b"".join(
        struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(data), size, len(n), 0, 0, 0, 0, 0, 0) + n
        for n in entries
    )
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), len(local) + len(local_name) + len(data), 0)
    return local + local_name + data + central + end


for name in (b"weights.bin", b"data.pkl"):
    with open(os.path.join(out, "bomb-%s.zip" % name.decode()), "wb") as f:
        f.write(zip_of([name], name, data, crc, G))
kernel = b"A" * (50 << 20)
with open(os.path.join(out, "overlap.zip"), "wb") as f:
    f.write(zip_of([b"f%05d" % i for i in range(20000)], b"f00000", zlib.compress(kernel, 9)[2:-4], zlib.crc32(kernel), len(kernel)))
