package dev.basalt.machined.services;

/** Receives a service's output one line at a time (without the newline). Implementations must be thread-safe. */
@FunctionalInterface
public interface LineSink {
    void line(String line);
}
