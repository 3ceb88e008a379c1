package dev.basalt.machined.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.machined.services.LogBuffer;
import dev.basalt.machinery.api.BuildInfo;
import dev.basalt.machinery.api.common.Data;
import dev.basalt.machinery.api.machine.LogsRequest;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MachineApiLogsTest {
    private final LogBuffer log = new LogBuffer(3, 1 << 20);
    private final MachineApi api = new MachineApi(LinuxHostFacts.system(Optional.of("node-1")),
            KmsgKernelLog.system(), new SelfServices(log, Instant.now()),
            new ProcessPower(() -> { }, Duration.ofSeconds(1)), new UnconfiguredNode(), BuildInfo.current(),
            "metal");

    /** Records what the API sends; cancels the call (as a client going away would) once the text ends with {@code last}. */
    static final class Recorder extends ServerCallStreamObserver<Data> {
        final List<String> texts = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> done = new CompletableFuture<>();
        private final Optional<String> last;
        private volatile boolean cancelled;

        Recorder(Optional<String> last) {
            this.last = last;
        }

        String text() {
            return String.join("", texts);
        }

        @Override
        public void onNext(Data value) {
            texts.add(value.getBytes().toString(StandardCharsets.UTF_8));
            if (last.isPresent() && text().endsWith(last.get())) {
                cancelled = true;
            }
        }

        @Override
        public void onError(Throwable t) {
            done.completeExceptionally(t);
        }

        @Override
        public void onCompleted() {
            done.complete(null);
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public void setOnCancelHandler(Runnable handler) {
        }

        @Override
        public void setCompression(String compression) {
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setOnReadyHandler(Runnable handler) {
        }

        @Override
        public void disableAutoInboundFlowControl() {
        }

        @Override
        public void request(int count) {
        }

        @Override
        public void setMessageCompression(boolean enable) {
        }
    }

    @Test
    void sendsTheLastTailLinesThatTheBufferStillHolds() throws Exception {
        for (int i = 1; i <= 5; i++) {
            log.line("line " + i);
        }
        Recorder lastTwo = new Recorder(Optional.empty());
        api.logs(LogsRequest.newBuilder().setId(SelfServices.MACHINED).setTailLines(2).build(), lastTwo);
        lastTwo.done.get(10, TimeUnit.SECONDS);
        assertThat(lastTwo.text()).isEqualTo("line 4\nline 5\n");

        Recorder all = new Recorder(Optional.empty());
        api.logs(LogsRequest.newBuilder().setId(SelfServices.MACHINED).setTailLines(-1).build(), all);
        all.done.get(10, TimeUnit.SECONDS);
        assertThat(all.text()).isEqualTo("line 3\nline 4\nline 5\n");
    }

    @Test
    void followSendsLinesWrittenAfterTheCallUntilTheCallerGoesAway() throws Exception {
        log.line("older");
        log.line("old");
        Recorder follower = new Recorder(Optional.of("new 2\n"));
        Thread call = Thread.ofVirtual().start(() -> api.logs(LogsRequest.newBuilder().setId(SelfServices.MACHINED)
                .setTailLines(1).setFollow(true).build(), follower));
        // the last old line arriving means the call holds its cursor: what is written now must follow
        for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                follower.texts.isEmpty() && System.nanoTime() < deadline; ) {
            Thread.sleep(5);
        }
        assertThat(follower.text()).isEqualTo("old\n");
        log.line("new 1");
        log.line("new 2");
        assertThat(call.join(Duration.ofSeconds(10))).isTrue();
        assertThat(follower.text()).isEqualTo("old\nnew 1\nnew 2\n");
        assertThat(follower.done).isNotDone();
    }

    @Test
    void anUnknownServiceIsNotFoundAndNamesTheRegisteredOnes() {
        Recorder out = new Recorder(Optional.empty());
        api.logs(LogsRequest.newBuilder().setId("etcd").build(), out);
        assertThat(out.done).isCompletedExceptionally();
        Status status = Status.fromThrowable(out.done.exceptionNow());
        assertThat(status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(status.getDescription()).contains("\"etcd\"").contains("[machined]");
    }
}
