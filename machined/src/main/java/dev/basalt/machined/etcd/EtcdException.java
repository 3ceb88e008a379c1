package dev.basalt.machined.etcd;

/**
 * A refused or failed etcd operation; {@link #reason()} tells the API layer which gRPC code to answer with and
 * the message names the node, the value and what was expected.
 */
public final class EtcdException extends Exception {
    /** Why an operation did not happen. */
    public enum Reason {
        /** The request does not apply to this node now (worker, already bootstrapped, not a member). */
        FAILED_PRECONDITION,
        /** etcd did not answer within the deadline or refused the connection. */
        UNAVAILABLE,
        /** The member or service named does not exist. */
        NOT_FOUND,
        /** The request itself is malformed. */
        INVALID_ARGUMENT,
        /** etcd answered with an error. */
        FAILED
    }

    private final Reason reason;

    public EtcdException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public EtcdException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
