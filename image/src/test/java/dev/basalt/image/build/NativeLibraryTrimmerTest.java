package dev.basalt.image.build;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

class NativeLibraryTrimmerTest {
    @Test
    void keepsOnlyTheLinuxBuildForTheTargetCpu() {
        assertThat(NativeLibraryTrimmer.foreignNative(
                "META-INF/native/libio_grpc_netty_shaded_netty_tcnative_linux_x86_64.so", Arch.AMD64)).isFalse();
        assertThat(NativeLibraryTrimmer.foreignNative(
                "META-INF/native/libio_grpc_netty_shaded_netty_tcnative_linux_aarch_64.so", Arch.AMD64)).isTrue();
        assertThat(NativeLibraryTrimmer.foreignNative(
                "META-INF/native/libio_grpc_netty_shaded_netty_tcnative_osx_x86_64.jnilib", Arch.AMD64)).isTrue();
        assertThat(NativeLibraryTrimmer.foreignNative(
                "META-INF/native/io_grpc_netty_shaded_netty_tcnative_windows_x86_64.dll", Arch.AMD64)).isTrue();
        assertThat(NativeLibraryTrimmer.foreignNative(
                "META-INF/native/libio_grpc_netty_shaded_netty_tcnative_linux_x86_64.so", Arch.ARM64)).isTrue();
        assertThat(NativeLibraryTrimmer.foreignNative("io/grpc/Foo.class", Arch.AMD64)).isFalse();
    }

    @Test
    void rewritesOnlyJarsThatBundleForeignNatives(@TempDir Path dir) throws IOException {
        Path jar = dir.resolve("in.jar");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(jar))) {
            for (String name : new String[] {"a/B.class", "META-INF/native/libx_linux_x86_64.so",
                    "META-INF/native/libx_osx_x86_64.jnilib"}) {
                out.putNextEntry(new ZipEntry(name));
                out.write(new byte[1000]);
                out.closeEntry();
            }
        }
        Path trimmed = dir.resolve("out.jar");
        assertThat(NativeLibraryTrimmer.copy(jar, trimmed, Arch.AMD64)).isPositive();
        try (ZipFile zip = new ZipFile(trimmed.toFile())) {
            assertThat(zip.stream().map(ZipEntry::getName))
                    .containsExactly("a/B.class", "META-INF/native/libx_linux_x86_64.so");
        }
    }
}
