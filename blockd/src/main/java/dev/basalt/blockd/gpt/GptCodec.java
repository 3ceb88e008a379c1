package dev.basalt.blockd.gpt;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.zip.CRC32;

/**
 * Encodes and decodes the GPT on-disk structures byte for byte: the protective MBR (UEFI 2.10 section 5.2.3),
 * headers (5.3.2) and entry arrays (5.3.3). All integers little-endian; CRC32 is the IEEE 802.3 polynomial that
 * {@link CRC32} computes, as the spec requires.
 *
 * <p>Pure functions; thread-safe.
 */
public final class GptCodec {
    /** "EFI PART". */
    static final long SIGNATURE = 0x5452415020494645L;
    /** Revision 1.0. */
    static final int REVISION = 0x00010000;
    static final int HEADER_SIZE = 92;
    private static final int MBR_PARTITION_OFFSET = 446;
    private static final int OS_TYPE_GPT_PROTECTIVE = 0xEE;

    private GptCodec() {
    }

    /**
     * A protective MBR for a disk of {@code totalSectors}: one partition of type 0xEE from LBA 1 to the end
     * (capped at 2^32-1 sectors), boot signature 0x55AA. Returns one sector.
     */
    public static byte[] protectiveMbr(long totalSectors, int sectorSize) {
        byte[] mbr = new byte[sectorSize];
        ByteBuffer b = ByteBuffer.wrap(mbr).order(ByteOrder.LITTLE_ENDIAN);
        int p = MBR_PARTITION_OFFSET;
        mbr[p] = 0; // not bootable
        // Starting CHS 0/0/2, i.e. LBA 1.
        mbr[p + 1] = 0x00;
        mbr[p + 2] = 0x02;
        mbr[p + 3] = 0x00;
        mbr[p + 4] = (byte) OS_TYPE_GPT_PROTECTIVE;
        // Ending CHS: the spec allows 0xFFFFFF when the end is not representable, which is what sgdisk writes
        // for disks past 8 GiB; we write it always, as CHS is meaningless for GPT disks.
        mbr[p + 5] = (byte) 0xFF;
        mbr[p + 6] = (byte) 0xFF;
        mbr[p + 7] = (byte) 0xFF;
        b.putInt(p + 8, 1);
        b.putInt(p + 12, (int) Math.min(totalSectors - 1, 0xFFFFFFFFL));
        mbr[510] = 0x55;
        mbr[511] = (byte) 0xAA;
        return mbr;
    }

    /** Whether {@code sector} is an MBR with a protective (0xEE) partition. */
    public static boolean isProtectiveMbr(byte[] sector) {
        if (sector.length < 512 || sector[510] != 0x55 || sector[511] != (byte) 0xAA) {
            return false;
        }
        for (int i = 0; i < 4; i++) {
            if ((sector[MBR_PARTITION_OFFSET + 16 * i + 4] & 0xFF) == OS_TYPE_GPT_PROTECTIVE) {
                return true;
            }
        }
        return false;
    }

    /** The entry array of {@code table}: {@code entryCount * entrySize} bytes, unused entries zero. */
    public static byte[] entries(GptTable table) {
        byte[] array = new byte[table.entryCount() * table.entrySize()];
        for (GptPartition p : table.partitions()) {
            int off = (p.number() - 1) * table.entrySize();
            ByteBuffer b = ByteBuffer.wrap(array).order(ByteOrder.LITTLE_ENDIAN);
            GptGuid.write(p.type(), array, off);
            GptGuid.write(p.id(), array, off + 16);
            b.putLong(off + 32, p.firstLba());
            b.putLong(off + 40, p.lastLba());
            b.putLong(off + 48, p.attributes());
            byte[] name = p.name().getBytes(StandardCharsets.UTF_16LE);
            System.arraycopy(name, 0, array, off + 56, name.length);
        }
        return array;
    }

    /**
     * One header sector of {@code table}: the primary (at LBA 1, entries at LBA 2) or the backup (at the backup
     * header LBA, entries right before it), with {@code entriesCrc} and its own CRC filled in.
     */
    public static byte[] header(GptTable table, boolean primary, int entriesCrc) {
        byte[] sector = new byte[table.sectorSize()];
        ByteBuffer b = ByteBuffer.wrap(sector).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, SIGNATURE);
        b.putInt(8, REVISION);
        b.putInt(12, HEADER_SIZE);
        b.putInt(16, 0);
        b.putInt(20, 0);
        b.putLong(24, primary ? 1 : table.backupHeaderLba());
        b.putLong(32, primary ? table.backupHeaderLba() : 1);
        b.putLong(40, table.firstUsableLba());
        b.putLong(48, table.lastUsableLba());
        GptGuid.write(table.diskId(), sector, 56);
        b.putLong(72, primary ? 2 : table.backupEntriesLba());
        b.putInt(80, table.entryCount());
        b.putInt(84, table.entrySize());
        b.putInt(88, entriesCrc);
        b.putInt(16, crc32(sector, 0, HEADER_SIZE));
        return sector;
    }

    /**
     * Decodes and checks a header sector read from {@code lba}: signature, size, CRC, that it says it lives at
     * {@code lba}, and that its entry array shape is sane.
     */
    public static GptHeader decodeHeader(byte[] sector, long lba, int sectorSize) throws GptFormatException {
        ByteBuffer b = ByteBuffer.wrap(sector).order(ByteOrder.LITTLE_ENDIAN);
        String where = "GPT header at LBA " + lba;
        if (b.getLong(0) != SIGNATURE) {
            throw new GptFormatException(where + ": no \"EFI PART\" signature");
        }
        int size = b.getInt(12);
        if (size < HEADER_SIZE || size > sectorSize) {
            throw new GptFormatException(where + ": header size " + size + ", expected " + HEADER_SIZE + ".."
                    + sectorSize);
        }
        int stored = b.getInt(16);
        byte[] copy = Arrays.copyOf(sector, size);
        Arrays.fill(copy, 16, 20, (byte) 0);
        int actual = crc32(copy, 0, size);
        if (stored != actual) {
            throw new GptFormatException(where + ": header CRC32 is " + hex(stored) + ", computed " + hex(actual));
        }
        long myLba = b.getLong(24);
        if (myLba != lba) {
            throw new GptFormatException(where + ": header says it lives at LBA " + myLba);
        }
        int entryCount = b.getInt(80);
        int entrySize = b.getInt(84);
        if (entrySize < 128 || Integer.bitCount(entrySize) != 1 || entryCount < 1
                || (long) entryCount * entrySize > 16L * 1024 * 1024) {
            throw new GptFormatException(where + ": entry array of " + Integer.toUnsignedString(entryCount)
                    + " entries of " + entrySize + " bytes, expected entry size 128*2^n and at most 16 MiB");
        }
        return new GptHeader(myLba, b.getLong(32), b.getLong(40), b.getLong(48), GptGuid.read(sector, 56),
                b.getLong(72), entryCount, entrySize, b.getInt(88));
    }

    /** Decodes the used entries of an entry array whose CRC matched. */
    public static List<GptPartition> decodeEntries(byte[] array, int entryCount, int entrySize)
            throws GptFormatException {
        List<GptPartition> out = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(array).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < entryCount; i++) {
            int off = i * entrySize;
            UUID type = GptGuid.read(array, off);
            if (type.equals(GptPartition.UNUSED)) {
                continue;
            }
            int nameEnd = off + 56;
            while (nameEnd + 1 < off + 128 && (array[nameEnd] != 0 || array[nameEnd + 1] != 0)) {
                nameEnd += 2;
            }
            String name = new String(array, off + 56, nameEnd - off - 56, StandardCharsets.UTF_16LE);
            try {
                out.add(new GptPartition(i + 1, type, GptGuid.read(array, off + 16), b.getLong(off + 32),
                        b.getLong(off + 40), b.getLong(off + 48), name));
            } catch (IllegalArgumentException e) {
                throw new GptFormatException("GPT entry " + (i + 1) + ": " + e.getMessage());
            }
        }
        return out;
    }

    public static int crc32(byte[] data, int offset, int length) {
        CRC32 crc = new CRC32();
        crc.update(data, offset, length);
        return (int) crc.getValue();
    }

    static String hex(int value) {
        return String.format("0x%08x", value);
    }
}
