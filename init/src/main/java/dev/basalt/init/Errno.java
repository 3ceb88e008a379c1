package dev.basalt.init;

/**
 * Symbolic names for the Linux errno values init reports or reacts to (asm-generic/errno-base.h, errno.h).
 *
 * <p>Stateless; thread-safe.
 */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;
    public static final int ENOSYS = 38;

    private Errno() {
    }

    public static String name(int errno) {
        return switch (errno) {
            case EPERM -> "EPERM";
            case ENOENT -> "ENOENT";
            case 5 -> "EIO";
            case 6 -> "ENXIO";
            case 8 -> "ENOEXEC";
            case 9 -> "EBADF";
            case 12 -> "ENOMEM";
            case 13 -> "EACCES";
            case 14 -> "EFAULT";
            case EBUSY -> "EBUSY";
            case EEXIST -> "EEXIST";
            case ENODEV -> "ENODEV";
            case 20 -> "ENOTDIR";
            case EINVAL -> "EINVAL";
            case 25 -> "ENOTTY";
            case 30 -> "EROFS";
            case ENOSYS -> "ENOSYS";
            case 61 -> "ENODATA";
            case 74 -> "EBADMSG";
            case 95 -> "EOPNOTSUPP";
            default -> "errno " + errno;
        };
    }
}
