package dev.basalt.machined.system;

import java.io.IOException;
import java.util.List;

/**
 * A process that leaves an orphan: it starts a copy of itself that lingers for a moment, and halts at once, so the
 * kernel re-parents the copy to PID 1. Used by the {@link TestHook#ORPHAN} hook to exercise the {@link Reaper}.
 */
public final class OrphanMaker {
    private OrphanMaker() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length == 2 && args[0].equals("--linger")) {
            Thread.sleep(Long.parseLong(args[1]));
            return;
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        new ProcessBuilder(List.of(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), OrphanMaker.class.getName(), "--linger", "500"))
                .inheritIO().start();
        // halt, not exit: nothing may wait for the child on the way out.
        Runtime.getRuntime().halt(0);
    }
}
