package dev.basalt.blockd.gpt;

import dev.basalt.blockd.device.BlockDevice;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Reads and writes whole GPTs on a {@link BlockDevice}: protective MBR, primary header and entry array at the
 * start, backup entry array and header at the end (UEFI 2.10 section 5.3.1).
 *
 * <p>Reading validates each copy's header CRC, location and entry-array CRC and falls back to the backup when
 * the primary is damaged (5.3.2: "If the primary GPT is corrupt, software must check the last LBA of the device
 * to see if it has a valid GPT Header").
 *
 * <p>Stateless; thread-safe as long as callers do not share a device between threads.
 */
public final class Gpt {
    private Gpt() {
    }

    /** Writes {@code table} (both copies and the protective MBR) and syncs the device. */
    public static void write(BlockDevice device, GptTable table) throws IOException {
        int ss = device.sectorSize();
        if (ss != table.sectorSize()) {
            throw new IllegalArgumentException("table is for " + table.sectorSize() + "-byte sectors but "
                    + device.path() + " has " + ss + "-byte sectors");
        }
        long sectors = device.sectorCount();
        if (table.backupHeaderLba() >= sectors) {
            throw new IllegalArgumentException("table needs " + (table.backupHeaderLba() + 1) + " sectors but "
                    + device.path() + " has " + sectors);
        }
        byte[] entries = GptCodec.entries(table);
        int crc = GptCodec.crc32(entries, 0, entries.length);
        byte[] paddedEntries = pad(entries, (int) (table.entryArraySectors() * ss));
        device.write(0, GptCodec.protectiveMbr(sectors, ss));
        device.write(2L * ss, paddedEntries);
        device.write(table.backupEntriesLba() * ss, paddedEntries);
        device.write(table.backupHeaderLba() * ss, GptCodec.header(table, false, crc));
        device.write(ss, GptCodec.header(table, true, crc));
        device.sync();
    }

    /** Reads the table, preferring the primary copy and falling back to the backup. */
    public static GptReadOutcome read(BlockDevice device) throws IOException {
        int ss = device.sectorSize();
        long lastLba = device.sectorCount() - 1;
        if (lastLba < 3) {
            return new GptReadOutcome.Absent(device.path() + " is too small for a GPT", "");
        }
        GptTable primary = null;
        String primaryProblem = null;
        Optional<Long> alternate = Optional.empty();
        try {
            GptHeader h = GptCodec.decodeHeader(device.read(ss, ss), 1, ss);
            alternate = Optional.of(h.alternateLba());
            primary = tableOf(device, h, h.alternateLba(), lastLba);
        } catch (GptFormatException e) {
            primaryProblem = "primary: " + e.getMessage();
        }
        // The backup is where the primary says; when the primary is gone, at the last LBA.
        long backupLba = alternate.filter(a -> a > 1 && a <= lastLba).orElse(lastLba);
        GptTable backup = null;
        String backupProblem = null;
        try {
            GptHeader h = GptCodec.decodeHeader(device.read(backupLba * ss, ss), backupLba, ss);
            backup = tableOf(device, h, backupLba, lastLba);
        } catch (GptFormatException e) {
            backupProblem = "backup: " + e.getMessage();
        }
        if (primary != null) {
            return new GptReadOutcome.Valid(primary, Optional.ofNullable(backupProblem));
        }
        if (backup != null) {
            return new GptReadOutcome.RecoveredFromBackup(backup, primaryProblem);
        }
        return new GptReadOutcome.Absent(primaryProblem, backupProblem);
    }

    private static GptTable tableOf(BlockDevice device, GptHeader h, long backupHeaderLba, long lastLba)
            throws IOException, GptFormatException {
        int ss = device.sectorSize();
        long arrayBytes = (long) h.entryCount() * h.entrySize();
        long arraySectors = (arrayBytes + ss - 1) / ss;
        if (h.entriesLba() < 2 || h.entriesLba() + arraySectors - 1 > lastLba) {
            throw new GptFormatException("GPT header at LBA " + h.myLba() + ": entry array at LBA "
                    + h.entriesLba() + " (" + arraySectors + " sectors) is outside the disk");
        }
        byte[] array = device.read(h.entriesLba() * ss, (int) arrayBytes);
        int crc = GptCodec.crc32(array, 0, array.length);
        if (crc != h.entriesCrc()) {
            throw new GptFormatException("GPT entry array at LBA " + h.entriesLba() + ": CRC32 is "
                    + GptCodec.hex(crc) + ", header says " + GptCodec.hex(h.entriesCrc()));
        }
        List<GptPartition> parts = GptCodec.decodeEntries(array, h.entryCount(), h.entrySize());
        long backupLba = h.myLba() == 1 ? backupHeaderLba : h.myLba();
        try {
            return new GptTable(h.diskId(), ss, backupLba, h.firstUsableLba(), h.lastUsableLba(), h.entryCount(),
                    h.entrySize(), parts);
        } catch (IllegalArgumentException e) {
            throw new GptFormatException("GPT header at LBA " + h.myLba() + ": " + e.getMessage());
        }
    }

    private static byte[] pad(byte[] data, int length) {
        if (data.length == length) {
            return data;
        }
        byte[] out = new byte[length];
        System.arraycopy(data, 0, out, 0, data.length);
        return out;
    }
}
