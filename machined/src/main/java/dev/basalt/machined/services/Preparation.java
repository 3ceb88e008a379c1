package dev.basalt.machined.services;

/**
 * Work done before each start of a service (writing its config file, issuing its certificates, creating its
 * directories). A thrown exception fails this start; its message becomes the service's event.
 */
@FunctionalInterface
public interface Preparation {
    Preparation NONE = () -> { };

    void prepare() throws Exception;
}
