package dev.basalt.image.cpio;

import java.util.Arrays;

/**
 * One member of a newc ("070701") cpio archive: a regular file, directory, symbolic link or device node.
 *
 * <p>Immutable (the data array is copied in and out); thread-safe.
 *
 * @param name  path inside the archive, without a leading slash ({@code usr/lib/basalt/init.args})
 * @param mode  file type and permission bits, as st_mode ({@code 0100644} for a regular file)
 * @param data  file contents, or the link target for a symbolic link; empty otherwise
 * @param mtime seconds since the epoch (fixed for reproducible archives)
 */
public record CpioEntry(String name, int mode, int uid, int gid, long mtime, int rdevMajor, int rdevMinor,
                        byte[] data) {
    public static final int S_IFMT = 0170000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFLNK = 0120000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFBLK = 0060000;

    public CpioEntry {
        if (name == null || name.isEmpty() || name.startsWith("/") || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("cpio entry name must be a non-empty relative path without NUL, got '"
                    + name + "'");
        }
        int type = mode & S_IFMT;
        if (type != S_IFREG && type != S_IFDIR && type != S_IFLNK && type != S_IFCHR && type != S_IFBLK) {
            throw new IllegalArgumentException("cpio entry " + name + ": unsupported file type in mode 0"
                    + Integer.toOctalString(mode) + " (expected regular file, directory, symlink or device)");
        }
        data = data == null ? new byte[0] : data.clone();
        if ((type == S_IFDIR || type == S_IFCHR || type == S_IFBLK) && data.length != 0) {
            throw new IllegalArgumentException("cpio entry " + name + ": only files and symlinks carry data");
        }
    }

    public static CpioEntry file(String name, int permissions, byte[] data, long mtime) {
        return new CpioEntry(name, S_IFREG | permissions, 0, 0, mtime, 0, 0, data);
    }

    public static CpioEntry directory(String name, int permissions, long mtime) {
        return new CpioEntry(name, S_IFDIR | permissions, 0, 0, mtime, 0, 0, null);
    }

    public static CpioEntry symlink(String name, String target, long mtime) {
        return new CpioEntry(name, S_IFLNK | 0777, 0, 0, mtime, 0, 0,
                target.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public static CpioEntry characterDevice(String name, int permissions, int major, int minor, long mtime) {
        return new CpioEntry(name, S_IFCHR | permissions, 0, 0, mtime, major, minor, null);
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    int dataLength() {
        return data.length;
    }

    byte[] dataUnsafe() {
        return data;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CpioEntry e && name.equals(e.name) && mode == e.mode && uid == e.uid && gid == e.gid
                && mtime == e.mtime && rdevMajor == e.rdevMajor && rdevMinor == e.rdevMinor
                && Arrays.equals(data, e.data);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "CpioEntry[" + name + " mode=0" + Integer.toOctalString(mode) + " " + data.length + " bytes]";
    }
}
