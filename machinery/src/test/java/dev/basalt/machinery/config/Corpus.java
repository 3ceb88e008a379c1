package dev.basalt.machinery.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Test fixtures under src/test/resources/config and the {@code # expect:} headers of the bad corpora. */
public final class Corpus {

    private static final Pattern EXPECT = Pattern.compile("#\\s*expect:\\s*(.*?)\\s*@\\s*line\\s*(\\d+)");

    private Corpus() {
    }

    /** What a bad fixture must be rejected with: a problem at this path (empty for the document) and line. */
    public record Expectation(String path, int line) {
    }

    public static Path dir(String name) {
        URL url = Corpus.class.getResource("/config/" + name);
        if (url == null) {
            throw new IllegalStateException("test resource directory config/" + name + " is missing");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static List<Path> files(String name) {
        try (Stream<Path> files = Files.list(dir(name))) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String read(String dir, String file) {
        return read(dir(dir).resolve(file));
    }

    public static Expectation expectation(String text) {
        Matcher m = EXPECT.matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("fixture has no '# expect: PATH @ line N' header");
        }
        String path = m.group(1).equals("(document)") ? "" : m.group(1);
        return new Expectation(path, Integer.parseInt(m.group(2)));
    }
}
