package dev.basalt.ctl.cluster;

/** The kind of a cluster node, as the {@code basalt.type} container label spells it. */
public enum NodeType {
    CONTROLPLANE("controlplane"), WORKER("worker");

    private final String label;

    NodeType(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static NodeType fromLabel(String value) {
        for (NodeType t : values()) {
            if (t.label.equals(value)) {
                return t;
            }
        }
        throw new IllegalArgumentException("node type label '" + value + "' is not controlplane or worker");
    }
}
