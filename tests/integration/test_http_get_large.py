"""`netius http get -o` of a 2 GiB file from nginx: the sha256 matches, the content streams
(bounded memory), and the file appears only once complete."""
import glob
import hashlib
import os
import resource
import shutil
import struct
import tempfile
import unittest

from harness import TempDirTest, run
from peers import Nginx

SIZE = 2 << 30
BLOCK = 1 << 20


class LargeDownloadTest(TempDirTest):
    def setUp(self):
        super().setUp()
        self.www = tempfile.mkdtemp(prefix="netius-www-")
        self.addCleanup(shutil.rmtree, self.www, True)
        os.chmod(self.www, 0o755)
        # Every 1 MiB block starts with its index, so a lost, repeated or reordered block
        # changes the digest.
        digest = hashlib.sha256()
        block = bytearray(os.urandom(BLOCK))
        with open(os.path.join(self.www, "big.bin"), "wb") as f:
            for i in range(SIZE // BLOCK):
                block[:8] = struct.pack(">Q", i)
                f.write(block)
                digest.update(block)
        self.want = digest.hexdigest()

    def test_two_gib_sha256(self):
        out = self.path("big.bin")
        with Nginx(self.www) as nginx:
            r = run(["http", "get", "-o", out, nginx.url("/big.bin")], timeout=240)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(os.path.getsize(out), SIZE)
        digest = hashlib.sha256()
        with open(out, "rb") as f:
            while chunk := f.read(BLOCK * 8):
                digest.update(chunk)
        self.assertEqual(digest.hexdigest(), self.want)
        self.assertEqual(glob.glob(os.path.join(self.dir, ".netius-*")), [])
        # The content streamed to the file: the client never held more than a few buffers.
        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        self.assertMemoryBelow(peak_kib, 64 * 1024, "peak RSS of a child: %d KiB" % peak_kib)


if __name__ == "__main__":
    unittest.main()
