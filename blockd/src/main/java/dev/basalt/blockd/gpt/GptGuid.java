package dev.basalt.blockd.gpt;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.UUID;

/**
 * The on-disk form of GUIDs in GPT: the first three fields little-endian, the last eight bytes as written
 * (UEFI 2.10, appendix A "EFI_GUID"). {@code C12A7328-F81F-11D2-BA4B-00A0C93EC93B} is stored as
 * {@code 28 73 2A C1 1F F8 D2 11 BA 4B 00 A0 C9 3E C9 3B}.
 *
 * <p>Stateless; thread-safe.
 */
public final class GptGuid {
    /** Length of an encoded GUID. */
    public static final int LENGTH = 16;

    private GptGuid() {
    }

    public static void write(UUID guid, byte[] dst, int offset) {
        long msb = guid.getMostSignificantBits();
        ByteBuffer b = ByteBuffer.wrap(dst, offset, LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt((int) (msb >>> 32));
        b.putShort((short) (msb >>> 16));
        b.putShort((short) msb);
        b.order(ByteOrder.BIG_ENDIAN).putLong(guid.getLeastSignificantBits());
    }

    public static byte[] toBytes(UUID guid) {
        byte[] out = new byte[LENGTH];
        write(guid, out, 0);
        return out;
    }

    public static UUID read(byte[] src, int offset) {
        ByteBuffer b = ByteBuffer.wrap(src, offset, LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        long d1 = b.getInt() & 0xFFFFFFFFL;
        long d2 = b.getShort() & 0xFFFFL;
        long d3 = b.getShort() & 0xFFFFL;
        long lsb = b.order(ByteOrder.BIG_ENDIAN).getLong();
        return new UUID((d1 << 32) | (d2 << 16) | d3, lsb);
    }
}
