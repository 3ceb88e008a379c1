package dev.basalt.machinery.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Prints every problem of the bad corpus (visible in the surefire report) and checks each reads as one line. */
class ProblemMessagesTest {

    @Test
    void everyProblemIsOneLineNamingSourceLineAndPath() {
        for (Path file : Corpus.files("bad")) {
            String source = file.getFileName().toString();
            LoadResult result = ConfigLoader.load(Corpus.read(file), source);
            for (Problem problem : ((LoadResult.Rejected) result).errors()) {
                System.out.println(problem);
                assertThat(problem.toString()).doesNotContain("\n").startsWith(source + ":");
                assertThat(problem.message()).isNotBlank();
            }
        }
    }
}
