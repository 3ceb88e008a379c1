package dev.basalt.image;

import dev.basalt.image.build.Arch;
import dev.basalt.image.build.BuildOptions;
import dev.basalt.image.build.ImageBuild;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command-line entry of the image builder (run by {@code bin/build-image}):
 * <pre>
 *   image --arch amd64 --out _out --cache .cache --jdk JDK --init-jar JAR --machined-jars DIR
 *         [--mirror URL] [--suite trixie] [--keep-work]
 * </pre>
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Arch arch = Arch.AMD64;
        Path out = Path.of("_out");
        Path cache = Path.of(".cache");
        Path jdk = Path.of(System.getProperty("java.home"));
        Path initJar = null;
        Path machinedJars = null;
        String mirror = null;
        String suite = "trixie";
        boolean keep = false;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            switch (flag) {
                case "--arch" -> arch = Arch.parse(value(args, ++i, flag));
                case "--out" -> out = Path.of(value(args, ++i, flag));
                case "--cache" -> cache = Path.of(value(args, ++i, flag));
                case "--jdk" -> jdk = Path.of(value(args, ++i, flag));
                case "--init-jar" -> initJar = Path.of(value(args, ++i, flag));
                case "--machined-jars" -> machinedJars = Path.of(value(args, ++i, flag));
                case "--mirror" -> mirror = value(args, ++i, flag);
                case "--suite" -> suite = value(args, ++i, flag);
                case "--keep-work" -> keep = true;
                default -> throw new IllegalArgumentException("unknown flag '" + flag + "' (expected --arch, --out, "
                        + "--cache, --jdk, --init-jar, --machined-jars, --mirror, --suite, --keep-work)");
            }
        }
        if (initJar == null || !Files.isRegularFile(initJar)) {
            throw new IllegalArgumentException("--init-jar must name init's jar, got " + initJar);
        }
        if (machinedJars == null || !Files.isDirectory(machinedJars)) {
            throw new IllegalArgumentException("--machined-jars must name a directory of jars, got " + machinedJars);
        }
        if (mirror == null || mirror.isBlank()) {
            throw new IllegalArgumentException("--mirror must name the Debian archive to fetch packages from");
        }
        List<Path> jars = new ArrayList<>();
        try (var list = Files.list(machinedJars)) {
            list.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(jars::add);
        }
        BuildOptions options = new BuildOptions(arch, out.toAbsolutePath(), cache.toAbsolutePath(), mirror, suite,
                jdk, initJar.toAbsolutePath(), jars, keep);
        var manifest = new ImageBuild(options, System.out).run();
        System.out.println("build-image: done; artifacts in " + out);
        for (var artifact : manifest.artifacts()) {
            System.out.printf("  %-28s %8.1f MiB%n", artifact.name(), artifact.bytes() / 1048576.0);
        }
        System.out.println("  " + ("manifest-" + arch.debian + ".json"));
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }
}
