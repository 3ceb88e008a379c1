package dev.basalt.blockd.meta;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The Talos ADV block, one copy of META's key-value store (siderolabs/talos
 * {@code internal/pkg/meta/internal/adv/talos}). A copy is {@value #BLOCK_SIZE} bytes, all big-endian:
 * <pre>
 *   0x0000            4   magic1 0x5a4b3c2d
 *   0x0004            ... records: tag (4), length (4), value (length); tag 0 ends the list
 *   size-0x24        32   SHA-256 of the whole block computed with these 32 bytes zero
 *   size-0x04         4   magic2 0xa5b4c3d2
 * </pre>
 * META holds two consecutive copies so a torn write leaves one intact.
 *
 * <p>Pure functions; thread-safe.
 */
public final class AdvCodec {
    public static final int BLOCK_SIZE = 256 * 1024;
    static final int MAGIC1 = 0x5a4b3c2d;
    static final int MAGIC2 = 0xa5b4c3d2;
    private static final int CHECKSUM_LENGTH = 32;
    private static final int CHECKSUM_OFFSET = BLOCK_SIZE - 4 - CHECKSUM_LENGTH;
    private static final int RECORD_HEADER = 8;
    /** Bytes available to records: everything between magic1 and the checksum. */
    public static final int DATA_CAPACITY = CHECKSUM_OFFSET - 4;

    private AdvCodec() {
    }

    /** Bytes {@code values} take as records. */
    public static long encodedSize(Map<Integer, byte[]> values) {
        return values.values().stream().mapToLong(v -> RECORD_HEADER + (long) v.length).sum();
    }

    /**
     * Encodes one copy. Tags are written in ascending order so equal maps give equal blocks.
     *
     * @throws IllegalArgumentException when a tag is outside 1..255 or the values do not fit
     */
    public static byte[] encode(Map<Integer, byte[]> values) {
        long size = encodedSize(values);
        if (size > DATA_CAPACITY) {
            throw new IllegalArgumentException("META values take " + size + " bytes, only " + DATA_CAPACITY
                    + " fit in an ADV block");
        }
        byte[] block = new byte[BLOCK_SIZE];
        ByteBuffer b = ByteBuffer.wrap(block).order(ByteOrder.BIG_ENDIAN);
        b.putInt(0, MAGIC1);
        int pos = 4;
        for (Map.Entry<Integer, byte[]> e : new TreeMap<>(values).entrySet()) {
            checkTag(e.getKey());
            b.putInt(pos, e.getKey());
            b.putInt(pos + 4, e.getValue().length);
            System.arraycopy(e.getValue(), 0, block, pos + RECORD_HEADER, e.getValue().length);
            pos += RECORD_HEADER + e.getValue().length;
        }
        b.putInt(BLOCK_SIZE - 4, MAGIC2);
        System.arraycopy(sha256(block), 0, block, CHECKSUM_OFFSET, CHECKSUM_LENGTH);
        return block;
    }

    /** Decodes one copy, checking both magics, the checksum and every record's bounds. */
    public static AdvDecode decode(byte[] block) {
        if (block.length != BLOCK_SIZE) {
            return new AdvDecode.Invalid("ADV block is " + block.length + " bytes, expected " + BLOCK_SIZE);
        }
        ByteBuffer b = ByteBuffer.wrap(block).order(ByteOrder.BIG_ENDIAN);
        if (b.getInt(0) != MAGIC1) {
            return new AdvDecode.Invalid(String.format("ADV magic1 is 0x%08x, expected 0x%08x", b.getInt(0),
                    MAGIC1));
        }
        if (b.getInt(BLOCK_SIZE - 4) != MAGIC2) {
            return new AdvDecode.Invalid(String.format("ADV magic2 is 0x%08x, expected 0x%08x",
                    b.getInt(BLOCK_SIZE - 4), MAGIC2));
        }
        byte[] stored = Arrays.copyOfRange(block, CHECKSUM_OFFSET, CHECKSUM_OFFSET + CHECKSUM_LENGTH);
        byte[] zeroed = block.clone();
        Arrays.fill(zeroed, CHECKSUM_OFFSET, CHECKSUM_OFFSET + CHECKSUM_LENGTH, (byte) 0);
        byte[] actual = sha256(zeroed);
        if (!MessageDigest.isEqual(stored, actual)) {
            return new AdvDecode.Invalid("ADV checksum is " + HexFormat.of().formatHex(stored) + ", computed "
                    + HexFormat.of().formatHex(actual));
        }
        SortedMap<Integer, byte[]> values = new TreeMap<>();
        int pos = 4;
        while (CHECKSUM_OFFSET - pos >= RECORD_HEADER) {
            int tag = b.getInt(pos);
            if (tag == 0) {
                break;
            }
            long len = Integer.toUnsignedLong(b.getInt(pos + 4));
            if (len > CHECKSUM_OFFSET - pos - RECORD_HEADER) {
                return new AdvDecode.Invalid("ADV record for tag " + Integer.toUnsignedString(tag) + " at offset "
                        + pos + " claims " + len + " bytes, beyond the data area");
            }
            values.put(tag, Arrays.copyOfRange(block, pos + RECORD_HEADER, pos + RECORD_HEADER + (int) len));
            pos += RECORD_HEADER + (int) len;
        }
        return new AdvDecode.Valid(values);
    }

    static void checkTag(int tag) {
        if (tag < 1 || tag > 255) {
            throw new IllegalArgumentException("META tag " + tag + " is out of range, expected 1..255");
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JDK", e);
        }
    }
}
