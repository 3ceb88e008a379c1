package dev.basalt.machined.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class ProcParsersTest {
    @Test
    void readsMeminfoValuesAndSkipsOddLines() {
        var m = ProcParsers.meminfo("MemTotal:       24684748 kB\nMemFree:        19582284 kB\n"
                + "HugePages_Total:       0\nweird line\nActive(anon):     123 kB\n");
        assertThat(m).containsEntry("MemTotal", 24684748L).containsEntry("HugePages_Total", 0L)
                .containsEntry("Active(anon)", 123L).hasSize(4);
    }

    @Test
    void readsStatWithParenthesesAndSpacesInTheCommand() {
        String stat = "4242 (my (odd) cmd) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 7 0 12345 "
                + "104857600 2560 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";
        var s = ProcParsers.stat(stat).orElseThrow();
        assertThat(s.pid()).isEqualTo(4242);
        assertThat(s.comm()).isEqualTo("my (odd) cmd");
        assertThat(s.state()).isEqualTo("S");
        assertThat(s.ppid()).isEqualTo(1);
        assertThat(s.utimeTicks()).isEqualTo(250);
        assertThat(s.stimeTicks()).isEqualTo(50);
        assertThat(s.threads()).isEqualTo(7);
        assertThat(s.vsizeBytes()).isEqualTo(104857600L);
        assertThat(s.rssPages()).isEqualTo(2560);
    }

    @Test
    void rejectsTruncatedStat() {
        assertThat(ProcParsers.stat("12 (x) S 1 2")).isEmpty();
        assertThat(ProcParsers.stat("garbage")).isEmpty();
    }

    @Test
    void unescapesMountPoints() {
        var m = ProcParsers.mountLine("/dev/sda1 /mnt/with\\040space ext4 rw 0 0").orElseThrow();
        assertThat(m.mountPoint()).isEqualTo("/mnt/with space");
        assertThat(m.type()).isEqualTo("ext4");
    }

    @Test
    void joinsCmdlineArguments() {
        assertThat(ProcParsers.cmdline("java\0-jar\0x.jar\0".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("java -jar x.jar");
    }

    @Test
    void findsBootTime() {
        assertThat(ProcParsers.bootTime("cpu 1 2 3\nbtime 1700000000\nprocesses 5\n")).contains(1700000000L);
    }

    @Property
    void kmsgHeaderRoundTrips(@ForAll @IntRange(min = 0, max = 191) int prio, @ForAll @LongRange(min = 0) long seq,
                              @ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 2000) long usec) {
        var r = KmsgRecord.parse(prio + "," + seq + "," + usec + ",-;hello, world\n SUBSYSTEM=x\n").orElseThrow();
        assertThat(r.facility()).isEqualTo(prio >> 3);
        assertThat(r.level()).isEqualTo(prio & 7);
        assertThat(r.sequence()).isEqualTo(seq);
        assertThat(r.micros()).isEqualTo(usec);
        assertThat(r.message()).isEqualTo("hello, world");
    }

    @Test
    void formatsKmsgLikeTheDmesgApi() {
        var r = KmsgRecord.parse("6,1,1500000,-;loop0: detected").orElseThrow();
        assertThat(r.format(1_700_000_000L)).isEqualTo("   kern:    info: [2023-11-14T22:13:21.500000Z]: loop0: detected");
        assertThat(KmsgRecord.parse("no header")).isEmpty();
    }
}
