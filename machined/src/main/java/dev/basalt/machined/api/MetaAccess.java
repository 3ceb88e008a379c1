package dev.basalt.machined.api;

import java.io.IOException;
import java.util.Map;

/**
 * The node's META key-value store as the machine API reaches it: list, write and delete keys (tags 1..255, Talos'
 * numbering). Which keys the API may change is decided by {@link MetaKeys} before an implementation is called;
 * an implementation checks only what depends on the store itself (that there is one, that a value fits).
 *
 * <p>Implementations must be thread-safe.
 */
public interface MetaAccess {
    /** Every key and its value, key ascending. */
    Map<Integer, byte[]> list() throws IOException, NodeApiException;

    /**
     * Sets {@code key} to {@code value} and makes it durable before returning.
     *
     * @throws NodeApiException INVALID_ARGUMENT when the value does not fit (nothing is written),
     *                          FAILED_PRECONDITION when the node has no META store
     */
    void write(int key, byte[] value) throws IOException, NodeApiException;

    /**
     * Removes {@code key} and makes that durable before returning.
     *
     * @throws NodeApiException NOT_FOUND when the key is not set, FAILED_PRECONDITION when the node has no META store
     */
    void delete(int key) throws IOException, NodeApiException;

    /** A node without a META partition (a container, a process, a machine not installed yet). */
    MetaAccess NONE = new MetaAccess() {
        @Override
        public Map<Integer, byte[]> list() throws NodeApiException {
            throw absent();
        }

        @Override
        public void write(int key, byte[] value) throws NodeApiException {
            throw absent();
        }

        @Override
        public void delete(int key) throws NodeApiException {
            throw absent();
        }

        private NodeApiException absent() {
            return new NodeApiException(NodeApiException.Code.FAILED_PRECONDITION,
                    "no META partition on this node (install first)");
        }

        @Override
        public String toString() {
            return "MetaAccess.NONE";
        }
    };
}
