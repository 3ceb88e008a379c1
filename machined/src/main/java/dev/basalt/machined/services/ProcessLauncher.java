package dev.basalt.machined.services;

import java.io.IOException;

/**
 * Starts an operating-system process. As PID 1, machined passes the reaper's launcher so the reaper knows the
 * process has an owner and leaves its exit status to the JDK; elsewhere {@link #DIRECT} is enough.
 */
@FunctionalInterface
public interface ProcessLauncher {
    ProcessLauncher DIRECT = ProcessBuilder::start;

    Process launch(ProcessBuilder builder) throws IOException;
}
