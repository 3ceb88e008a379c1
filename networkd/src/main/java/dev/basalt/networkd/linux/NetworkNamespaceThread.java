package dev.basalt.networkd.linux;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A dedicated platform thread that has joined another network namespace ({@code setns(2)}) and runs work there.
 *
 * <p>{@code setns} changes only the calling thread, and a virtual thread can move between carriers, so this must be a
 * platform thread that never leaves. Sockets opened by work run here stay in that namespace for their whole life and
 * may then be used from any thread, which is how the netlink, packet and UDP sockets of a test get into the namespace
 * under test. Thread-safe; {@link #close()} stops the thread.
 */
public final class NetworkNamespaceThread implements AutoCloseable {
    private static final int CLONE_NEWNET = 0x40000000;

    private final BlockingQueue<Runnable> work = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean running = true;

    private NetworkNamespaceThread(Path namespace) throws IOException {
        CompletableFuture<Void> joined = new CompletableFuture<>();
        thread = Thread.ofPlatform().daemon().name("netns-" + namespace.getFileName()).start(() -> {
            try {
                int fd = Libc.open(namespace.toString(), Libc.O_RDONLY | Libc.O_CLOEXEC);
                try {
                    Libc.setns(fd, CLONE_NEWNET);
                } finally {
                    Libc.close(fd);
                }
                joined.complete(null);
            } catch (Throwable t) {
                joined.completeExceptionally(t);
                return;
            }
            while (running) {
                try {
                    work.take().run();
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try {
            joined.get();
        } catch (ExecutionException e) {
            throw new IOException("cannot enter network namespace " + namespace, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted entering network namespace " + namespace, e);
        }
    }

    /** Starts a thread in the namespace bound at {@code namespace}, e.g. {@code /var/run/netns/NAME}. */
    public static NetworkNamespaceThread enter(Path namespace) throws IOException {
        return new NetworkNamespaceThread(namespace);
    }

    /** Starts a thread in the namespace created by {@code ip netns add name}. */
    public static NetworkNamespaceThread enterNamed(String name) throws IOException {
        return enter(Path.of("/var/run/netns", name));
    }

    /** Runs {@code task} in the namespace and returns its result, rethrowing what it threw. */
    public <T> T call(Callable<T> task) throws IOException {
        CompletableFuture<T> result = new CompletableFuture<>();
        work.add(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for work in " + thread.getName(), e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(cause);
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
