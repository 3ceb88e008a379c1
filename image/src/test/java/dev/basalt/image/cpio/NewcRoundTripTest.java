package dev.basalt.image.cpio;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NewcRoundTripTest {
    static byte[] archive(List<CpioEntry> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (NewcWriter writer = new NewcWriter(out)) {
            for (CpioEntry e : entries) {
                writer.write(e);
            }
        }
        return out.toByteArray();
    }

    @Test
    void writesTheNewcHeaderLayoutByteForByte() throws IOException {
        byte[] bytes = archive(List.of(CpioEntry.file("init", 0755, "hi\n".getBytes(StandardCharsets.US_ASCII), 16)));
        String text = new String(bytes, StandardCharsets.US_ASCII);
        // magic, ino 1, mode 0100755, uid, gid, nlink 1, mtime 0x10, size 3, dev 0/0, rdev 0/0, namesize 5, check 0
        assertThat(text).startsWith("070701" + "00000001" + "000081ED" + "00000000" + "00000000" + "00000001"
                + "00000010" + "00000003" + "00000000" + "00000000" + "00000000" + "00000000" + "00000005"
                + "00000000" + "init\0" + "\0" + "hi\n\0");
        assertThat(bytes.length % 4).isZero();
        assertThat(text).contains("TRAILER!!!");
    }

    @Property(tries = 200)
    void roundTripsAnyEntries(@ForAll("entries") List<CpioEntry> entries) throws IOException {
        assertThat(NewcReader.readAll(new ByteArrayInputStream(archive(entries)))).isEqualTo(entries);
    }

    @Provide
    Arbitrary<List<CpioEntry>> entries() {
        Arbitrary<String> names = Arbitraries.strings().withCharRange('a', 'z').withChars('/', '.', '-', '_')
                .ofMinLength(1).ofMaxLength(60).filter(n -> !n.startsWith("/"));
        Arbitrary<byte[]> data = Arbitraries.bytes().array(byte[].class).ofMaxSize(700);
        Arbitrary<CpioEntry> files = Combinators.combine(names, Arbitraries.integers().between(0, 07777), data,
                Arbitraries.longs().between(0, 0xFFFFFFFFL)).as((n, p, d, t) -> CpioEntry.file(n, p, d, t));
        Arbitrary<CpioEntry> dirs = Combinators.combine(names, Arbitraries.integers().between(0, 07777))
                .as((n, p) -> CpioEntry.directory(n, p, 0));
        Arbitrary<CpioEntry> links = Combinators.combine(names, names).as((n, t) -> CpioEntry.symlink(n, t, 7));
        Arbitrary<CpioEntry> devices = Combinators.combine(names, Arbitraries.integers().between(0, 4095),
                Arbitraries.integers().between(0, 1 << 20)).as((n, ma, mi) -> CpioEntry.characterDevice(n, 0600, ma, mi, 0));
        return Arbitraries.oneOf(files, dirs, links, devices).list().ofMaxSize(12);
    }

    @Test
    void rejectsWhatTheFormatCannotHold() {
        assertThatThrownBy(() -> CpioEntry.file("/abs", 0644, new byte[0], 0)).hasMessageContaining("/abs");
        assertThatThrownBy(() -> new CpioEntry("fifo", 0010644, 0, 0, 0, 0, 0, null))
                .hasMessageContaining("unsupported file type");
        assertThatThrownBy(() -> archive(List.of(CpioEntry.file("x", 0644, new byte[0], -1))))
                .hasMessageContaining("out of range");
    }

    @Test
    void readerNamesTheOffsetOfACorruptHeader() throws IOException {
        byte[] bytes = archive(List.of(CpioEntry.file("a", 0644, new byte[] {1, 2, 3}, 0)));
        bytes[0] = 'X';
        assertThatThrownBy(() -> NewcReader.readAll(new ByteArrayInputStream(bytes)))
                .hasMessageContaining("offset 0").hasMessageContaining("070701");
        byte[] truncated = java.util.Arrays.copyOf(archive(List.of(CpioEntry.file("a", 0644, new byte[100], 0))), 150);
        assertThatThrownBy(() -> NewcReader.readAll(new ByteArrayInputStream(truncated)))
                .hasMessageContaining("truncated");
    }
}
