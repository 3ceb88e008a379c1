package dev.basalt.image.cpio;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes a newc cpio archive (the format the Linux kernel unpacks as initramfs; see the kernel's
 * Documentation/driver-api/early-userspace/buffer-format.rst): per member a 110-byte ASCII header
 * {@code 070701} + 13 eight-digit hex fields, the NUL-terminated name padded to 4 bytes, the data padded to 4 bytes;
 * the archive ends with a {@code TRAILER!!!} member.
 *
 * <p>Inode numbers are assigned in write order starting at 1, and every member has one link, so the archive is a
 * function of its entries alone (reproducible builds). Not thread-safe.
 */
public final class NewcWriter implements AutoCloseable {
    static final String MAGIC = "070701";
    static final String TRAILER = "TRAILER!!!";

    private final OutputStream out;
    private long written;
    private int nextInode = 1;
    private boolean finished;

    public NewcWriter(OutputStream out) {
        this.out = out;
    }

    public void write(CpioEntry entry) throws IOException {
        if (finished) {
            throw new IllegalStateException("archive already finished; cannot add " + entry.name());
        }
        int type = entry.mode() & CpioEntry.S_IFMT;
        writeMember(entry.name(), entry.mode(), entry.uid(), entry.gid(), type == CpioEntry.S_IFDIR ? 2 : 1,
                entry.mtime(), entry.rdevMajor(), entry.rdevMinor(), entry.dataUnsafe(), nextInode++);
    }

    /** Writes the trailer; the archive is complete afterwards. */
    public void finish() throws IOException {
        if (!finished) {
            writeMember(TRAILER, 0, 0, 0, 1, 0, 0, 0, new byte[0], 0);
            finished = true;
            out.flush();
        }
    }

    @Override
    public void close() throws IOException {
        finish();
        out.close();
    }

    public long bytesWritten() {
        return written;
    }

    private void writeMember(String name, int mode, int uid, int gid, int nlink, long mtime, int rdevMajor,
                             int rdevMinor, byte[] data, int inode) throws IOException {
        byte[] nameBytes = (name + "\0").getBytes(StandardCharsets.UTF_8);
        StringBuilder header = new StringBuilder(110).append(MAGIC);
        hex(header, inode);
        hex(header, mode);
        hex(header, uid);
        hex(header, gid);
        hex(header, nlink);
        hex(header, mtime);
        hex(header, data.length);
        hex(header, 0); // devmajor of the archived file's filesystem: not meaningful here
        hex(header, 0); // devminor
        hex(header, rdevMajor);
        hex(header, rdevMinor);
        hex(header, nameBytes.length);
        hex(header, 0); // check: only used by the "070702" crc format
        emit(header.toString().getBytes(StandardCharsets.US_ASCII));
        emit(nameBytes);
        pad();
        emit(data);
        pad();
    }

    private static void hex(StringBuilder header, long value) {
        if (value < 0 || value > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("cpio header field out of range: " + value
                    + " (expected 0..0xFFFFFFFF)");
        }
        String digits = Long.toHexString(value).toUpperCase(java.util.Locale.ROOT);
        header.append("0".repeat(8 - digits.length())).append(digits);
    }

    private void emit(byte[] bytes) throws IOException {
        out.write(bytes);
        written += bytes.length;
    }

    private void pad() throws IOException {
        while (written % 4 != 0) {
            out.write(0);
            written++;
        }
    }
}
