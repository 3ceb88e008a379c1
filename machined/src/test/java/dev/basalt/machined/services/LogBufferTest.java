package dev.basalt.machined.services;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.machined.api.ServiceLog;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class LogBufferTest {
    @Test
    void tailReturnsTheNewestLinesOldestFirst() {
        LogBuffer log = new LogBuffer(3, 1_000);
        for (int i = 1; i <= 5; i++) {
            log.line("line " + i);
        }
        assertThat(log.tail(2)).containsExactly("line 4", "line 5");
        assertThat(log.tail(-1)).containsExactly("line 3", "line 4", "line 5");
        assertThat(log.tail(10)).containsExactly("line 3", "line 4", "line 5");
        assertThat(log.written()).isEqualTo(5);
    }

    @Test
    void evictsByBytesAsWellAsByLines() {
        LogBuffer log = new LogBuffer(100, 20);
        log.line("123456789");   // 10 bytes with newline
        log.line("abcdefghi");   // 20
        log.line("é");           // 3 more: the first line must go
        assertThat(log.tail(-1)).containsExactly("abcdefghi", "é");
        assertThat(log.heldBytes()).isEqualTo(13);
    }

    @Test
    void cutsOverlongLines() {
        LogBuffer log = new LogBuffer(10, 1 << 20);
        log.line("x".repeat(LogBuffer.MAX_LINE_CHARS + 10));
        assertThat(log.tail(1).getFirst()).endsWith("[line cut at 16384 characters]");
    }

    @Test
    void aFollowingCursorSeesLinesWrittenLater() throws Exception {
        LogBuffer log = new LogBuffer(10, 1_000);
        log.line("before");
        LogBuffer.Cursor cursor = log.cursor(1);
        assertThat(cursor.drain(10)).containsExactly("before");
        assertThat(cursor.next(Duration.ZERO)).isEmpty();

        CompletableFuture<Optional<String>> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return cursor.next(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(20);
        log.line("after");
        assertThat(waiting.get(10, TimeUnit.SECONDS)).contains("after");
    }

    @Test
    void aCursorThatFallsBehindSkipsToTheOldestHeldLine() {
        LogBuffer log = new LogBuffer(2, 1_000);
        LogBuffer.Cursor cursor = log.cursor(-1);
        for (int i = 1; i <= 5; i++) {
            log.line("l" + i);
        }
        assertThat(cursor.drain(10)).containsExactly("l4", "l5");
    }

    @Test
    void readAsAServiceLogCursorsStartAtTheRequestedTail() throws Exception {
        LogBuffer buffer = new LogBuffer(3, 1_000);
        ServiceLog log = buffer;
        for (int i = 1; i <= 5; i++) {
            buffer.line("line " + i);
        }
        assertThat(log.cursor(-1).drain(10)).containsExactly("line 3", "line 4", "line 5");
        assertThat(log.cursor(2).drain(10)).containsExactly("line 4", "line 5");
        ServiceLog.Cursor follower = log.cursor(0);
        assertThat(follower.drain(10)).isEmpty();
        buffer.line("line 6");
        assertThat(follower.next(Duration.ZERO)).contains("line 6");
    }

    @Property
    void neverHoldsMoreThanItsLimitsAndKeepsTheNewestLine(
            @ForAll @Size(max = 60) List<@StringLength(max = 40) String> lines,
            @ForAll @IntRange(min = 1, max = 8) int maxLines, @ForAll @IntRange(min = 1, max = 200) int maxBytes) {
        LogBuffer log = new LogBuffer(maxLines, maxBytes);
        lines.forEach(log::line);
        List<String> held = log.tail(-1);
        assertThat(held.size()).isLessThanOrEqualTo(maxLines);
        // A single line may exceed the byte limit on its own; otherwise the limit holds.
        assertThat(held.size() <= 1 || log.heldBytes() <= maxBytes).isTrue();
        if (!lines.isEmpty()) {
            assertThat(held).last().isEqualTo(lines.getLast());
            assertThat(lines).endsWith(held.toArray(String[]::new));
        }
    }
}
