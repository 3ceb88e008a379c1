package dev.basalt.networkd.netlink;

import dev.basalt.networkd.resource.AddressStatus;
import dev.basalt.networkd.resource.LinkStatus;
import dev.basalt.networkd.resource.RouteStatus;

/** A change the kernel announced on an rtnetlink multicast group. */
public sealed interface RtnetlinkEvent {
    /** A link appeared or changed. */
    record LinkChanged(LinkStatus link) implements RtnetlinkEvent {
    }

    /** A link went away. */
    record LinkRemoved(LinkStatus link) implements RtnetlinkEvent {
    }

    record AddressAdded(AddressStatus address) implements RtnetlinkEvent {
    }

    record AddressRemoved(AddressStatus address) implements RtnetlinkEvent {
    }

    record RouteAdded(RouteStatus route) implements RtnetlinkEvent {
    }

    record RouteRemoved(RouteStatus route) implements RtnetlinkEvent {
    }

    /**
     * The kernel dropped events (receive buffer overrun) or sent one we could not read: whoever watches must list
     * again to learn the current state.
     */
    record Resync(String reason) implements RtnetlinkEvent {
    }
}
