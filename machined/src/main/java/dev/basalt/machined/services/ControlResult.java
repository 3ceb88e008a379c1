package dev.basalt.machined.services;

import java.util.List;

/** The answer to a start, stop or restart request. */
public sealed interface ControlResult permits ControlResult.Done, ControlResult.UnknownService, ControlResult.Refused {
    /** The request was carried out; {@code message} says what happened. */
    record Done(String message) implements ControlResult {
    }

    /** No registered service has this id. */
    record UnknownService(String id, List<String> known) implements ControlResult {
        public UnknownService {
            known = List.copyOf(known);
        }
    }

    /** The service exists but the request does not apply now; {@code reason} says why. */
    record Refused(String reason) implements ControlResult {
    }
}
