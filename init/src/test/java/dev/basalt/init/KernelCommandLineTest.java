package dev.basalt.init;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KernelCommandLineTest {
    @Test
    void splitsKeysValuesFlagsAndQuotes() {
        KernelCommandLine cmdline = KernelCommandLine.parse(
                "console=ttyS0 quiet basalt.test=orphan panic=-1 msg=\"two words\" console=tty0\n");
        assertThat(cmdline.get("basalt.test")).contains("orphan");
        assertThat(cmdline.get("quiet")).contains("");
        assertThat(cmdline.get("msg")).contains("two words");
        assertThat(cmdline.get("console")).contains("tty0");
        assertThat(cmdline.get("missing")).isEmpty();
    }
}
