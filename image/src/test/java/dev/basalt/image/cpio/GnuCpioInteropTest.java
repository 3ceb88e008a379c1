package dev.basalt.image.cpio;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** GNU cpio (a host package) reads what we write, and we read what it writes. */
@Tag("integration")
class GnuCpioInteropTest {
    @TempDir
    Path dir;

    private static byte[] run(Path cwd, byte[] stdin, String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).directory(cwd.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        Thread feeder = Thread.ofVirtual().start(() -> {
            try (var in = p.getOutputStream()) {
                in.write(stdin);
            } catch (IOException ignored) {
                // cpio closed its input early; its exit code tells
            }
        });
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        feeder.join();
        assertThat(p.exitValue()).as(String.join(" ", argv)).isZero();
        return out;
    }

    @Test
    void gnuCpioListsAndExtractsOurArchive() throws Exception {
        byte[] payload = new byte[5000];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 31);
        }
        byte[] archive = NewcRoundTripTest.archive(List.of(
                CpioEntry.directory("usr", 0755, 0),
                CpioEntry.directory("usr/lib", 0755, 0),
                CpioEntry.file("usr/lib/data.bin", 0644, payload, 0),
                CpioEntry.file("init", 0755, "#!/usr/lib/basalt/jre/bin/java @args\n".getBytes(StandardCharsets.UTF_8), 0),
                CpioEntry.symlink("lib", "usr/lib", 0)));

        String listing = new String(run(dir, archive, "cpio", "-it", "--quiet"), StandardCharsets.UTF_8);
        assertThat(listing.lines()).containsExactly("usr", "usr/lib", "usr/lib/data.bin", "init", "lib");

        Path out = Files.createDirectory(dir.resolve("out"));
        run(out, archive, "cpio", "-idm", "--quiet", "--no-absolute-filenames");
        assertThat(Files.readAllBytes(out.resolve("usr/lib/data.bin"))).isEqualTo(payload);
        assertThat(Files.readSymbolicLink(out.resolve("lib"))).isEqualTo(Path.of("usr/lib"));
        assertThat(Files.isExecutable(out.resolve("init"))).isTrue();
    }

    @Test
    void weReadWhatGnuCpioWrites() throws Exception {
        Path src = Files.createDirectory(dir.resolve("src"));
        Files.createDirectories(src.resolve("etc"));
        Files.writeString(src.resolve("etc/hostname"), "basalt\n");
        Files.createSymbolicLink(src.resolve("link"), Path.of("etc/hostname"));
        byte[] names = "etc\netc/hostname\nlink\n".getBytes(StandardCharsets.US_ASCII);

        byte[] archive = run(src, names, "cpio", "-o", "-H", "newc", "--quiet");
        List<CpioEntry> entries = NewcReader.readAll(new ByteArrayInputStream(archive));

        assertThat(entries).extracting(CpioEntry::name).containsExactly("etc", "etc/hostname", "link");
        assertThat(new String(entries.get(1).data(), StandardCharsets.UTF_8)).isEqualTo("basalt\n");
        assertThat(entries.get(1).mode() & CpioEntry.S_IFMT).isEqualTo(CpioEntry.S_IFREG);
        assertThat(new String(entries.get(2).data(), StandardCharsets.UTF_8)).isEqualTo("etc/hostname");
        assertThat(entries.get(0).mode() & CpioEntry.S_IFMT).isEqualTo(CpioEntry.S_IFDIR);
    }
}
