package dev.basalt.image.build;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageBuildTest {
    @TempDir
    Path dir;

    @Test
    void copiesADataDirectoryWithSubdirectoriesPermissionsAndInnerLinks() throws IOException {
        Path source = dir.resolve("pool/usr/lib/grub/i386-pc");
        Files.createDirectories(source.resolve("sub"));
        Files.write(source.resolve("boot.img"), new byte[] {0x7f, 'E', 'L', 'F', 1});
        Files.setPosixFilePermissions(source.resolve("boot.img"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.writeString(source.resolve("sub/moddep.lst"), "xfs: fshelp\n");
        Files.createSymbolicLink(source.resolve("alias.img"), Path.of("boot.img"));
        Path target = dir.resolve("rootfs/usr/lib/grub/i386-pc");

        ImageBuild.copyDataDirectory(source, target);

        assertThat(target.resolve("boot.img")).hasBinaryContent(new byte[] {0x7f, 'E', 'L', 'F', 1});
        assertThat(Files.getPosixFilePermissions(target.resolve("boot.img")))
                .isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(target.resolve("sub/moddep.lst")).hasContent("xfs: fshelp");
        assertThat(Files.readSymbolicLink(target.resolve("alias.img"))).isEqualTo(Path.of("boot.img"));
    }

    @Test
    void aDataDirectoryLinkLeadingOutOfTheTreeFailsTheBuild() throws IOException {
        Path source = dir.resolve("pool/usr/lib/grub/x86_64-efi");
        Files.createDirectories(source);
        Files.createSymbolicLink(source.resolve("sh"), Path.of("../../../bin/sh"));

        assertThatThrownBy(() -> ImageBuild.copyDataDirectory(source, dir.resolve("rootfs/x")))
                .hasMessageContaining("links to ../../../bin/sh, outside");
    }

    @Test
    void aMissingDataDirectoryIsNamed() {
        Path source = dir.resolve("pool/usr/lib/grub/i386-pc");

        assertThatThrownBy(() -> ImageBuild.copyDataDirectory(source, dir.resolve("rootfs/x")))
                .hasMessageContaining("data directory " + source + " is missing");
    }

    @Test
    void linksACommandToItsMultiCallProgram() throws IOException {
        Path rootfs = dir.resolve("rootfs");
        Files.createDirectories(rootfs.resolve("usr/bin"));
        Files.writeString(rootfs.resolve("usr/bin/mtools"), "elf");

        ImageBuild.linkProgram(rootfs, "usr/bin/mcopy", "mtools");

        assertThat(Files.isSymbolicLink(rootfs.resolve("usr/bin/mcopy"))).isTrue();
        assertThat(Files.readSymbolicLink(rootfs.resolve("usr/bin/mcopy"))).isEqualTo(Path.of("mtools"));
        assertThat(rootfs.resolve("usr/bin/mcopy")).hasContent("elf");
    }

    @Test
    void aLinkToAProgramTheImageLacksFailsTheBuild() throws IOException {
        Path rootfs = dir.resolve("rootfs");
        Files.createDirectories(rootfs.resolve("usr/bin"));

        assertThatThrownBy(() -> ImageBuild.linkProgram(rootfs, "usr/bin/mmd", "mtools"))
                .hasMessageContaining("usr/bin/mmd -> mtools");
        assertThat(Files.exists(rootfs.resolve("usr/bin/mmd"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void everyProgramLinkPointsAtAProgramTheImageShips() {
        for (String[] link : ImageBuild.PROGRAM_LINKS) {
            String sibling = Path.of(link[0]).resolveSibling(link[1]).toString();
            assertThat(ImageBuild.PROGRAMS).as(link[0]).anyMatch(program -> program[1].equals(sibling));
        }
    }

    @Test
    void mtoolsIsConfiguredForAnImageWithoutGconvModules() throws IOException {
        Path rootfs = dir.resolve("rootfs");
        ImageBuild.stageSkeleton(rootfs);

        assertThat(rootfs.resolve("etc/mtools.conf")).content()
                .contains("DEFAULT_CODEPAGE=367").contains("mtools_skip_check=1");
        assertThat(rootfs.resolve("usr/share/locale")).isDirectory();
    }

    @Test
    void aShellInTheRootFilesystemFailsTheBuild() throws IOException {
        Path rootfs = dir.resolve("rootfs");
        ImageBuild.stageSkeleton(rootfs);
        ImageBuild.checkNoShell(rootfs);
        Files.writeString(rootfs.resolve("usr/bin/sh"), "");

        assertThatThrownBy(() -> ImageBuild.checkNoShell(rootfs)).hasMessageContaining("usr/bin/sh");
    }
}
