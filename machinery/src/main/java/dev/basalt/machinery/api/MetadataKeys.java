package dev.basalt.machinery.api;

/**
 * Request metadata keys of the node API. The routing keys are the ones Talos clients send, so either CLI
 * can drive either OS.
 *
 * <p>Constants only.
 */
public final class MetadataKeys {
    /** One target node: apid proxies the call transparently to that node's apid. */
    public static final String NODE = "node";
    /** Several target nodes (repeated or comma-separated): apid fans the call out and aggregates replies. */
    public static final String NODES = "nodes";
    /** trustd: the cluster's trustd token. */
    public static final String TOKEN = "token";
    /**
     * Roles of the original caller, set by an apid that forwards a call to another node's apid; honoured only
     * when the forwarding peer's certificate holds {@link Role#IMPERSONATOR}.
     */
    public static final String FORWARDED_ROLE = "basalt-role";

    private MetadataKeys() {
    }
}
