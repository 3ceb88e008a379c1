package dev.basalt.ctl.cluster;

/** The Docker engine refused a request or could not be reached; the message says which and why. */
public final class DockerException extends Exception {
    private final int status;

    public DockerException(int status, String message) {
        super(message);
        this.status = status;
    }

    public DockerException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    /** The HTTP status, or 0 when the engine did not answer. */
    public int status() {
        return status;
    }
}
