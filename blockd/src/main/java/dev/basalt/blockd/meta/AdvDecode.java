package dev.basalt.blockd.meta;

import java.util.SortedMap;

/** The result of decoding one ADV copy. */
public sealed interface AdvDecode {
    /** The copy's magics and checksum are right; {@code values} maps tag to value. */
    record Valid(SortedMap<Integer, byte[]> values) implements AdvDecode {
    }

    /** The copy is unusable; {@code reason} says which check failed. */
    record Invalid(String reason) implements AdvDecode {
    }
}
