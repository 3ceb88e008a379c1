package dev.basalt.machinery.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.machinery.config.patch.Patch;
import dev.basalt.machinery.config.patch.PatchParseResult;
import dev.basalt.machinery.config.patch.PatchResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class BadCorpusTest {

    static Stream<Path> badConfigs() {
        return Corpus.files("bad").stream();
    }

    static Stream<Path> badPatches() {
        return Corpus.files("bad-patches").stream();
    }

    @Test
    void corporaAreLargeEnough() {
        assertThat(Corpus.files("bad")).hasSizeGreaterThanOrEqualTo(30);
        assertThat(Corpus.files("bad-patches")).hasSizeGreaterThanOrEqualTo(10);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badConfigs")
    void rejectsBadConfigAtTheExpectedPathAndLine(Path file) {
        String text = Corpus.read(file);
        Corpus.Expectation expected = Corpus.expectation(text);
        String source = file.getFileName().toString();

        LoadResult result = ConfigLoader.load(text, source, ValidationMode.METAL, false);

        assertThat(result).isInstanceOf(LoadResult.Rejected.class);
        List<Problem> errors = ((LoadResult.Rejected) result).errors();
        assertThat(errors)
                .as("errors of %s: %s", source, errors)
                .anySatisfy(p -> {
                    assertThat(p.path()).isEqualTo(expected.path());
                    assertThat(p.line()).isEqualTo(expected.line());
                    assertThat(p.source()).isEqualTo(source);
                    assertThat(p.toString()).startsWith(source + ":" + expected.line() + ":");
                });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badPatches")
    void rejectsBadPatchAtTheExpectedPathAndLine(Path file) {
        String text = Corpus.read(file);
        Corpus.Expectation expected = Corpus.expectation(text);
        String source = file.getFileName().toString();
        Map<String, Object> base = ((TreeResult.Parsed) ConfigLoader.parseTree(
                Corpus.read("good", "controlplane.yaml"), "controlplane.yaml")).tree();

        List<Problem> problems = switch (Patch.parse(text, source)) {
            case PatchParseResult.Rejected(List<Problem> rejected) -> rejected;
            case PatchParseResult.Parsed(Patch patch) -> switch (patch.applyTo(base)) {
                case PatchResult.Failed(List<Problem> failed) -> failed;
                case PatchResult.Applied applied -> List.of();
            };
        };

        assertThat(problems)
                .as("problems of %s: %s", source, problems)
                .anySatisfy(p -> {
                    assertThat(p.path()).isEqualTo(expected.path());
                    assertThat(p.line()).isEqualTo(expected.line());
                    assertThat(p.source()).isEqualTo(source);
                    assertThat(p.isError()).isTrue();
                });
    }
}
