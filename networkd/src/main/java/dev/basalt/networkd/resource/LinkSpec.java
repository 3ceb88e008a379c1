package dev.basalt.networkd.resource;

import java.util.List;
import java.util.Optional;

/**
 * A link networkd wants: up, with an MTU, and for virtual links how to create it.
 *
 * @param name  interface name
 * @param up    whether it should be administratively up
 * @param mtu   wanted MTU; absent to leave the kernel's
 * @param vlan  for a VLAN link: parent name and id
 * @param bond  for a bond: mode and member names
 * @param layer where this want came from
 */
public record LinkSpec(String name, boolean up, Optional<Integer> mtu, Optional<Vlan> vlan, Optional<Bond> bond, ConfigLayer layer) {
    /** A VLAN on {@code parent} with {@code id} (1..4094). */
    public record Vlan(String parent, int id) {
        public Vlan {
            if (id < 1 || id > 4094) {
                throw new IllegalArgumentException("VLAN id on " + parent + " must be 1..4094, got " + id);
            }
        }
    }

    /** A bond in {@code mode} over {@code members}, link monitoring every {@code miimonMillis}. */
    public record Bond(BondMode mode, List<String> members, int miimonMillis) {
        public Bond {
            members = List.copyOf(members);
        }
    }
}
