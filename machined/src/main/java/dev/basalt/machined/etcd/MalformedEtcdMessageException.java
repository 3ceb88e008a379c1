package dev.basalt.machined.etcd;

/** Bytes from etcd that do not decode as the expected message. */
public final class MalformedEtcdMessageException extends RuntimeException {
    public MalformedEtcdMessageException(String message) {
        super(message);
    }
}
