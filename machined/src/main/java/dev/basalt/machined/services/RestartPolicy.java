package dev.basalt.machined.services;

/** When the supervisor starts a service again after its runner exits. */
public enum RestartPolicy {
    /** Restart after any exit (daemons: containerd, etcd, apid, trustd). */
    ALWAYS,
    /** Restart only after a failed exit (one-shot tasks that must eventually succeed). */
    ON_FAILURE,
    /** Never restart. */
    NEVER
}
