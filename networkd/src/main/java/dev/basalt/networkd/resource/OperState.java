package dev.basalt.networkd.resource;

/** RFC 2863 operational state of a link, as the kernel reports it ({@code IF_OPER_*} in {@code linux/if.h}). */
public enum OperState {
    UNKNOWN, NOT_PRESENT, DOWN, LOWER_LAYER_DOWN, TESTING, DORMANT, UP;

    /** Maps the kernel's number; numbers it may add later read as {@link #UNKNOWN}. */
    public static OperState ofKernel(int value) {
        OperState[] all = values();
        return value >= 0 && value < all.length ? all[value] : UNKNOWN;
    }
}
