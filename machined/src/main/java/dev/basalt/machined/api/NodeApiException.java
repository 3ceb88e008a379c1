package dev.basalt.machined.api;

/**
 * A node-API call that cannot be answered, with the code the caller sees. Mapped onto a gRPC status only at
 * the edge ({@link MachineApi}).
 */
public final class NodeApiException extends Exception {
    /** Closed set of failure kinds the node API reports. */
    public enum Code { INVALID_ARGUMENT, NOT_FOUND, FAILED_PRECONDITION, UNAVAILABLE, INTERNAL }

    private final Code code;

    public NodeApiException(Code code, String message) {
        super(message);
        this.code = code;
    }

    public Code code() {
        return code;
    }
}
