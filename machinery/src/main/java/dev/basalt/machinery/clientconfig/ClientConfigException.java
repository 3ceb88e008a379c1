package dev.basalt.machinery.clientconfig;

/** A client config file is missing, unreadable or malformed; the message names the file and field. */
public final class ClientConfigException extends RuntimeException {
    public ClientConfigException(String message) {
        super(message);
    }

    public ClientConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
