package dev.basalt.image.build;

import java.nio.file.Path;
import java.util.List;

/**
 * What to build and from what.
 *
 * @param arch         target architecture
 * @param out          where artifacts go ({@code _out/})
 * @param cache        downloads and scratch space ({@code .cache/})
 * @param mirror       Debian archive URL
 * @param suite        Debian suite (trixie)
 * @param jdk          the JDK whose run-time image jlink links from
 * @param initJar      init's jar
 * @param machinedJars machined's jar and its runtime dependencies
 * @param keepWork     keep the staging trees for inspection
 */
public record BuildOptions(Arch arch, Path out, Path cache, String mirror, String suite, Path jdk, Path initJar,
                           List<Path> machinedJars, boolean keepWork) {
    public BuildOptions {
        machinedJars = List.copyOf(machinedJars);
    }
}
