package dev.basalt.image.debian;

import dev.basalt.image.host.Command;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A private view of a Debian archive for one suite and architecture, kept under the build cache: its own
 * sources.list, package lists and .deb cache, so the host's apt state is never touched. The host's
 * {@code apt-get} is only the download client.
 *
 * <p>Not thread-safe: one build uses it at a time.
 */
public final class DebianArchive {
    private static final Duration LISTS_MAX_AGE = Duration.ofHours(24);

    private final Path directory;
    private final String mirror;
    private final String suite;
    private final String arch;

    /**
     * @param cache  the build cache ({@code .cache/} in the repository)
     * @param mirror the archive URL, e.g. Debian's standard mirror
     */
    public DebianArchive(Path cache, String mirror, String suite, String arch) {
        this.directory = cache.resolve("apt-" + suite + "-" + arch);
        this.mirror = mirror;
        this.suite = suite;
        this.arch = arch;
    }

    private List<String> options() {
        return List.of(
                "-o", "Dir::Etc::SourceList=" + directory.resolve("sources.list"),
                "-o", "Dir::Etc::SourceParts=/dev/null",
                "-o", "Dir::Etc::Preferences=/dev/null",
                "-o", "Dir::Etc::PreferencesParts=/dev/null",
                "-o", "Dir::State::Lists=" + directory.resolve("lists"),
                "-o", "Dir::State::status=" + directory.resolve("status"),
                "-o", "Dir::Cache=" + directory.resolve("cache"),
                "-o", "APT::Architecture=" + arch,
                "-o", "APT::Architectures=" + arch,
                "-o", "APT::Sandbox::User=root",
                "-o", "Debug::NoLocking=1");
    }

    /** Fetches the package lists unless a copy younger than a day is cached. */
    public void update() throws IOException {
        Files.createDirectories(directory.resolve("lists/partial"));
        Files.createDirectories(directory.resolve("cache/archives/partial"));
        Files.createDirectories(directory.resolve("debs"));
        String sources = "deb [arch=" + arch + "] " + mirror + " " + suite + " main\n";
        Path sourcesList = directory.resolve("sources.list");
        Path stamp = directory.resolve("lists.stamp");
        boolean fresh = Files.exists(stamp) && Files.exists(sourcesList)
                && Files.readString(sourcesList).equals(sources)
                && Files.getLastModifiedTime(stamp).toInstant().isAfter(Instant.now().minus(LISTS_MAX_AGE));
        if (fresh) {
            return;
        }
        Files.writeString(sourcesList, sources);
        if (!Files.exists(directory.resolve("status"))) {
            Files.writeString(directory.resolve("status"), "");
        }
        List<String> argv = new ArrayList<>(List.of("apt-get", "-q"));
        argv.addAll(options());
        argv.add("update");
        Command.run(directory, argv);
        Files.writeString(stamp, "");
        Files.setLastModifiedTime(stamp, FileTime.from(Instant.now()));
    }

    /** The package a metapackage depends on first (linux-image-amd64 -> linux-image-6.12.N+debM-amd64). */
    public String firstDependency(String name) throws IOException {
        for (String line : aptCache("depends", name).split("\n")) {
            String trimmed = line.trim();
            if (trimmed.startsWith("Depends:")) {
                return trimmed.substring("Depends:".length()).trim();
            }
        }
        throw new IOException("package " + name + " in " + suite + "/" + arch + " has no Depends line");
    }

    /** Downloads {@code names} (the candidate versions) into the cache, reusing files already there. */
    public List<DebianPackage> download(List<String> names) throws IOException {
        List<DebianPackage> packages = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String[]> resolved = new ArrayList<>();
        for (String name : names) {
            Map<String, String> fields = show(name);
            String filename = fields.get("Filename");
            if (filename == null) {
                throw new IOException("package " + name + " in " + suite + "/" + arch + " has no Filename field");
            }
            String file = filename.substring(filename.lastIndexOf('/') + 1);
            resolved.add(new String[] {name, fields.get("Version"), file});
            if (!Files.exists(directory.resolve("debs").resolve(file))) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            List<String> argv = new ArrayList<>(List.of("apt-get", "-q"));
            argv.addAll(options());
            argv.add("download");
            argv.addAll(missing);
            Command.run(directory.resolve("debs"), argv);
        }
        for (String[] r : resolved) {
            Path deb = directory.resolve("debs").resolve(r[2]);
            if (!Files.exists(deb)) {
                // apt-get names files with the epoch escaped (1%3a...); the Filename field does not carry it.
                deb = findDownloaded(r[0], r[1]);
            }
            packages.add(new DebianPackage(r[0], r[1], deb, Files.size(deb)));
        }
        return packages;
    }

    private Path findDownloaded(String name, String version) throws IOException {
        String escaped = version.replace(":", "%3a");
        Path candidate = directory.resolve("debs").resolve(name + "_" + escaped + "_" + arch + ".deb");
        if (Files.exists(candidate)) {
            return candidate;
        }
        Path all = directory.resolve("debs").resolve(name + "_" + escaped + "_all.deb");
        if (Files.exists(all)) {
            return all;
        }
        throw new IOException("downloaded " + name + " " + version + " but found no .deb for it in "
                + directory.resolve("debs"));
    }

    private Map<String, String> show(String name) throws IOException {
        String text = aptCache("show", "--no-all-versions", name);
        Map<String, String> fields = new java.util.HashMap<>();
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith(" ")) {
                fields.putIfAbsent(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        return fields;
    }

    private String aptCache(String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of("apt-cache"));
        argv.addAll(options());
        argv.addAll(List.of(args));
        return Command.run(directory, argv);
    }

    /** Unpacks {@code deb} into {@code target} (dpkg -x: files only, no maintainer scripts). */
    public static void extract(DebianPackage deb, Path target) throws IOException {
        Files.createDirectories(target);
        Command.run(null, List.of("dpkg", "-x", deb.file().toString(), target.toString()));
    }
}
