package dev.basalt.machinery.config;

import java.util.Locale;

/**
 * Where the config will run, which decides what it must and must not contain: bare metal installs to a disk (so it
 * needs one), a container has no disk and no kernel of its own, a cloud image is already installed.
 */
public enum ValidationMode {
    METAL, CONTAINER, CLOUD;

    /** Parses {@code metal}, {@code container} or {@code cloud} (any case). */
    public static ValidationMode parse(String text) {
        if (text != null) {
            for (ValidationMode mode : values()) {
                if (mode.name().equalsIgnoreCase(text.strip())) {
                    return mode;
                }
            }
        }
        throw new IllegalArgumentException("unknown validation mode '" + text + "'; expected one of metal, container, cloud");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
