package dev.basalt.image.build;

import dev.basalt.image.debian.DebianPackage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The JSON record of what went into an image: packages with versions, kernel release and modules, JRE modules,
 * and every artifact with its size. Written to {@code _out/manifest-ARCH.json}.
 *
 * <p>Immutable; thread-safe.
 */
public record Manifest(Arch arch, String kernelRelease, List<DebianPackage> packages, Set<String> initJreModules,
                Set<String> rootfsJreModules, List<String> kernelModules, List<String> libraries,
                List<Artifact> artifacts) {

    /** A built file. */
    public record Artifact(String name, long bytes) {
    }

    String toJson() {
        StringBuilder json = new StringBuilder("{\n");
        json.append("  \"arch\": ").append(quote(arch.debian)).append(",\n");
        json.append("  \"kernelRelease\": ").append(quote(kernelRelease)).append(",\n");
        json.append("  \"artifacts\": [\n");
        for (int i = 0; i < artifacts.size(); i++) {
            Artifact a = artifacts.get(i);
            json.append("    {\"name\": ").append(quote(a.name())).append(", \"bytes\": ").append(a.bytes())
                    .append('}').append(i + 1 < artifacts.size() ? ",\n" : "\n");
        }
        json.append("  ],\n  \"packages\": [\n");
        for (int i = 0; i < packages.size(); i++) {
            DebianPackage p = packages.get(i);
            json.append("    {\"name\": ").append(quote(p.name())).append(", \"version\": ")
                    .append(quote(p.version())).append(", \"debBytes\": ").append(p.size()).append('}')
                    .append(i + 1 < packages.size() ? ",\n" : "\n");
        }
        json.append("  ],\n");
        json.append("  \"initJreModules\": ").append(array(initJreModules)).append(",\n");
        json.append("  \"rootfsJreModules\": ").append(array(rootfsJreModules)).append(",\n");
        json.append("  \"kernelModules\": ").append(array(kernelModules)).append(",\n");
        json.append("  \"libraries\": ").append(array(libraries)).append('\n');
        return json.append("}\n").toString();
    }

    void write(Path file) throws IOException {
        Files.writeString(file, toJson());
    }

    private static String array(Iterable<String> values) {
        StringBuilder out = new StringBuilder("[");
        boolean first = true;
        for (String v : values) {
            out.append(first ? "" : ", ").append(quote(v));
            first = false;
        }
        return out.append(']').toString();
    }

    static String quote(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
