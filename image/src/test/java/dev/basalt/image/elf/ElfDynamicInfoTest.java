package dev.basalt.image.elf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ElfDynamicInfoTest {
    /** The JDK's own launcher is an ELF with DT_NEEDED entries on every machine that runs these tests. */
    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

    private static List<String> readelfNeeded(Path file) throws Exception {
        Process p = new ProcessBuilder("readelf", "-d", file.toString()).redirectErrorStream(true).start();
        List<String> needed = new ArrayList<>();
        for (String line : new String(p.getInputStream().readAllBytes()).split("\n")) {
            if (line.contains("(NEEDED)")) {
                needed.add(line.substring(line.indexOf('[') + 1, line.indexOf(']')));
            }
        }
        p.waitFor();
        return needed;
    }

    @Test
    void readsTheSameNeededLibrariesAsReadelf() throws Exception {
        ElfDynamicInfo info = ElfDynamicInfo.read(JAVA);
        assertThat(info.needed()).isNotEmpty().containsExactlyElementsOf(readelfNeeded(JAVA));
        assertThat(info.interpreter()).hasValueSatisfying(i -> assertThat(i).contains("ld-linux"));
        assertThat(info.machine()).isIn(ElfDynamicInfo.EM_X86_64, ElfDynamicInfo.EM_AARCH64);
    }

    @Test
    void sharedLibraryWithoutInterpreter() throws Exception {
        Path libjava = Path.of(System.getProperty("java.home"), "lib", "libjava.so");
        ElfDynamicInfo info = ElfDynamicInfo.read(libjava);
        assertThat(info.interpreter()).isEmpty();
        assertThat(info.needed()).containsExactlyElementsOf(readelfNeeded(libjava));
    }

    @Test
    void rejectsNonElfAndTruncatedFiles(@TempDir Path dir) throws IOException {
        Path text = Files.writeString(dir.resolve("script"), "#!/bin/sh\necho hi\n");
        assertThat(ElfDynamicInfo.isElf(text)).isFalse();
        assertThatThrownBy(() -> ElfDynamicInfo.read(text)).hasMessageContaining("not an ELF");
        byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(JAVA), 80);
        Path truncated = Files.write(dir.resolve("truncated"), head);
        assertThatThrownBy(() -> ElfDynamicInfo.read(truncated)).hasMessageContaining("past the end");
    }
}
