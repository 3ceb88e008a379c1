package dev.basalt.blockd.install;

import dev.basalt.blockd.gpt.GptTable;
import java.util.List;

/** How an install request ended. Failures after the disk was touched are thrown as {@link InstallException}. */
public sealed interface InstallOutcome {
    /**
     * The disk now holds a bootable Basalt.
     *
     * @param steps what was done, in order, for the console
     */
    record Installed(GptTable table, List<String> steps) implements InstallOutcome {
    }

    /** The request was refused before anything was written; {@code reason} names the value and what was expected. */
    record Rejected(String reason) implements InstallOutcome {
    }
}
