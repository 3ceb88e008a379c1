package dev.basalt.image.elf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the dynamic loader needs to run an ELF file: its program interpreter (PT_INTERP) and the shared libraries
 * it names (DT_NEEDED), read from a 64-bit little-endian ELF (x86-64 or AArch64). See the System V gABI, "Program
 * Header" and "Dynamic Section".
 *
 * <p>Immutable; thread-safe.
 *
 * @param machine     e_machine (62 = x86-64, 183 = AArch64)
 * @param interpreter the PT_INTERP path, if the file has one
 * @param needed      DT_NEEDED sonames in file order; empty for a static file
 */
public record ElfDynamicInfo(int machine, Optional<String> interpreter, List<String> needed) {
    public static final int EM_X86_64 = 62;
    public static final int EM_AARCH64 = 183;
    private static final int PT_LOAD = 1;
    private static final int PT_DYNAMIC = 2;
    private static final int PT_INTERP = 3;
    private static final long DT_NULL = 0;
    private static final long DT_NEEDED = 1;
    private static final long DT_STRTAB = 5;

    public ElfDynamicInfo {
        needed = List.copyOf(needed);
    }

    /** Whether {@code file} starts with the ELF magic. */
    public static boolean isElf(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer magic = ByteBuffer.allocate(4);
            channel.read(magic, 0);
            return magic.position() == 4 && magic.get(0) == 0x7f && magic.get(1) == 'E' && magic.get(2) == 'L'
                    && magic.get(3) == 'F';
        }
    }

    public static ElfDynamicInfo read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size > Integer.MAX_VALUE) {
                throw new IOException(file + ": larger than 2 GiB, not an ELF this reader handles");
            }
            ByteBuffer buffer = channel.map(FileChannel.MapMode.READ_ONLY, 0, size).order(ByteOrder.LITTLE_ENDIAN);
            return parse(buffer, file.toString());
        }
    }

    static ElfDynamicInfo parse(ByteBuffer b, String what) throws IOException {
        b = b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (b.limit() < 64 || b.get(0) != 0x7f || b.get(1) != 'E' || b.get(2) != 'L' || b.get(3) != 'F') {
            throw new IOException(what + ": not an ELF file");
        }
        if (b.get(4) != 2 || b.get(5) != 1) {
            throw new IOException(what + ": ELF class " + b.get(4) + ", data " + b.get(5)
                    + " (expected 2 = 64-bit, 1 = little-endian)");
        }
        int machine = Short.toUnsignedInt(b.getShort(18));
        long phoff = b.getLong(32);
        int phentsize = Short.toUnsignedInt(b.getShort(54));
        int phnum = Short.toUnsignedInt(b.getShort(56));
        List<long[]> loads = new ArrayList<>(); // {vaddr, offset, filesz}
        long dynOffset = -1;
        long dynSize = 0;
        Optional<String> interpreter = Optional.empty();
        for (int i = 0; i < phnum; i++) {
            int ph = checkedIndex(b, phoff + (long) i * phentsize, 56, what);
            int type = b.getInt(ph);
            long offset = b.getLong(ph + 8);
            long vaddr = b.getLong(ph + 16);
            long filesz = b.getLong(ph + 32);
            switch (type) {
                case PT_LOAD -> loads.add(new long[] {vaddr, offset, filesz});
                case PT_DYNAMIC -> {
                    dynOffset = offset;
                    dynSize = filesz;
                }
                case PT_INTERP -> interpreter = Optional.of(cString(b, offset, what));
                default -> {
                }
            }
        }
        if (dynOffset < 0) {
            return new ElfDynamicInfo(machine, interpreter, List.of());
        }
        List<Long> neededOffsets = new ArrayList<>();
        long strtabAddress = -1;
        for (long at = dynOffset; at + 16 <= dynOffset + dynSize; at += 16) {
            int entry = checkedIndex(b, at, 16, what);
            long tag = b.getLong(entry);
            long value = b.getLong(entry + 8);
            if (tag == DT_NULL) {
                break;
            } else if (tag == DT_NEEDED) {
                neededOffsets.add(value);
            } else if (tag == DT_STRTAB) {
                strtabAddress = value;
            }
        }
        if (neededOffsets.isEmpty()) {
            return new ElfDynamicInfo(machine, interpreter, List.of());
        }
        if (strtabAddress < 0) {
            throw new IOException(what + ": DT_NEEDED entries but no DT_STRTAB");
        }
        long strtab = -1;
        for (long[] load : loads) {
            if (strtabAddress >= load[0] && strtabAddress < load[0] + load[2]) {
                strtab = strtabAddress - load[0] + load[1];
            }
        }
        if (strtab < 0) {
            throw new IOException(what + ": DT_STRTAB address 0x" + Long.toHexString(strtabAddress)
                    + " is in no PT_LOAD segment");
        }
        List<String> needed = new ArrayList<>();
        for (long offset : neededOffsets) {
            needed.add(cString(b, strtab + offset, what));
        }
        return new ElfDynamicInfo(machine, interpreter, needed);
    }

    private static int checkedIndex(ByteBuffer b, long offset, int length, String what) throws IOException {
        if (offset < 0 || offset + length > b.limit()) {
            throw new IOException(what + ": ELF structure at offset " + offset + " runs past the end ("
                    + b.limit() + " bytes)");
        }
        return (int) offset;
    }

    private static String cString(ByteBuffer b, long offset, String what) throws IOException {
        int start = checkedIndex(b, offset, 1, what);
        int end = start;
        while (end < b.limit() && b.get(end) != 0) {
            end++;
        }
        if (end == b.limit()) {
            throw new IOException(what + ": unterminated string at offset " + offset);
        }
        byte[] bytes = new byte[end - start];
        b.get(start, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
