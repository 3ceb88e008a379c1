package dev.basalt.machined.services;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A runner whose runs exit with scripted codes; once the script is used up, runs stay up until terminated. */
final class FakeRunner implements Runner {
    private final Deque<Integer> script;
    private final boolean ignoreTerm;
    final List<FakeRun> runs = new CopyOnWriteArrayList<>();
    final List<String> order;
    private final String name;
    volatile Exception failStart;

    FakeRunner(String name, List<String> order, boolean ignoreTerm, Integer... exits) {
        this.name = name;
        this.order = order;
        this.ignoreTerm = ignoreTerm;
        this.script = new ArrayDeque<>(List.of(exits));
    }

    FakeRunner(Integer... exits) {
        this("fake", new CopyOnWriteArrayList<>(), false, exits);
    }

    @Override
    public synchronized Run start(LineSink output) throws Exception {
        if (failStart != null) {
            throw failStart;
        }
        order.add(name);
        output.line(name + " run " + (runs.size() + 1));
        FakeRun run = new FakeRun(ignoreTerm);
        runs.add(run);
        Integer code = script.poll();
        if (code != null) {
            run.exit.complete(ExitStatus.ofCode(code));
        }
        return run;
    }

    @Override
    public String description() {
        return name;
    }

    static final class FakeRun implements Run {
        final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
        final boolean ignoreTerm;
        volatile boolean terminated;
        volatile boolean killed;

        FakeRun(boolean ignoreTerm) {
            this.ignoreTerm = ignoreTerm;
        }

        @Override
        public Optional<Long> pid() {
            return Optional.of(4242L);
        }

        @Override
        public ExitStatus awaitExit() throws InterruptedException {
            try {
                return exit.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public Optional<ExitStatus> awaitExit(Duration timeout) throws InterruptedException {
            try {
                return Optional.of(exit.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
            } catch (TimeoutException e) {
                return Optional.empty();
            } catch (ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void terminate() {
            terminated = true;
            if (!ignoreTerm) {
                exit.complete(ExitStatus.ofCode(143));
            }
        }

        @Override
        public void kill() {
            killed = true;
            exit.complete(ExitStatus.ofCode(137));
        }
    }
}
