package dev.basalt.image.cpio;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a newc cpio archive written by {@link NewcWriter} or GNU cpio ({@code -H newc}). Stops at the
 * {@code TRAILER!!!} member.
 *
 * <p>Not thread-safe.
 */
public final class NewcReader {
    private final InputStream in;
    private long position;

    public NewcReader(InputStream in) {
        this.in = in;
    }

    public static List<CpioEntry> readAll(InputStream in) throws IOException {
        NewcReader reader = new NewcReader(in);
        List<CpioEntry> entries = new ArrayList<>();
        for (CpioEntry entry = reader.next(); entry != null; entry = reader.next()) {
            entries.add(entry);
        }
        return entries;
    }

    /** The next member, or {@code null} after the trailer. */
    public CpioEntry next() throws IOException {
        long headerAt = position;
        String header = new String(read(110), StandardCharsets.US_ASCII);
        if (!header.startsWith(NewcWriter.MAGIC)) {
            throw new IOException("not a newc cpio header at offset " + headerAt + ": magic '"
                    + header.substring(0, 6) + "' (expected 070701)");
        }
        long[] f = new long[13];
        for (int i = 0; i < 13; i++) {
            String field = header.substring(6 + i * 8, 14 + i * 8);
            try {
                f[i] = Long.parseLong(field, 16);
            } catch (NumberFormatException e) {
                throw new IOException("cpio header at offset " + headerAt + ": field " + i + " is not hex: '"
                        + field + "'");
            }
        }
        int nameSize = (int) f[11];
        if (nameSize < 1 || nameSize > 4096) {
            throw new IOException("cpio header at offset " + headerAt + ": name size " + nameSize
                    + " (expected 1..4096)");
        }
        byte[] nameBytes = read(nameSize);
        skipPadding();
        String name = new String(nameBytes, 0, nameSize - 1, StandardCharsets.UTF_8);
        long size = f[6];
        if (size > Integer.MAX_VALUE - 8) {
            throw new IOException("cpio member " + name + ": size " + size + " too large");
        }
        byte[] data = read((int) size);
        skipPadding();
        if (name.equals(NewcWriter.TRAILER)) {
            return null;
        }
        return new CpioEntry(name, (int) f[1], (int) f[2], (int) f[3], f[5], (int) f[9], (int) f[10], data);
    }

    private byte[] read(int n) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length != n) {
            throw new EOFException("cpio archive truncated at offset " + (position + bytes.length) + ": wanted "
                    + n + " bytes");
        }
        position += n;
        return bytes;
    }

    private void skipPadding() throws IOException {
        int pad = (int) ((4 - position % 4) % 4);
        if (pad > 0) {
            read(pad);
        }
    }
}
