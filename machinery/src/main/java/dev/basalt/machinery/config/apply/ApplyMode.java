package dev.basalt.machinery.config.apply;

import java.util.Locale;

/**
 * How a node takes a new config, as {@code apply-config --mode} names it. The order matches the wire enum
 * {@code machine.ApplyConfigurationRequest.Mode} (REBOOT = 0, AUTO = 1, NO_REBOOT = 2, STAGED = 3, TRY = 4).
 */
public enum ApplyMode {
    /** Store the config and reboot. */
    REBOOT,
    /** Apply without a reboot when every change can be applied live, else reboot. */
    AUTO,
    /** Apply live; refuse a config whose changes need a reboot. */
    NO_REBOOT,
    /** Store the config; it takes effect at the next boot. */
    STAGED,
    /** Apply live, and go back to the previous config unless confirmed before the timeout. */
    TRY;

    /** Parses the CLI spelling ({@code auto}, {@code no-reboot}, {@code reboot}, {@code staged}, {@code try}). */
    public static ApplyMode parse(String text) {
        for (ApplyMode mode : values()) {
            if (mode.cliName().equals(text)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown apply mode '" + text
                + "'; expected one of auto, no-reboot, reboot, staged, try");
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
