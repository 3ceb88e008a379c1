package dev.basalt.machined.api;

import dev.basalt.machinery.api.resource.Event;
import dev.basalt.machinery.api.resource.EventType;
import dev.basalt.machinery.api.resource.GetRequest;
import dev.basalt.machinery.api.resource.GetResponse;
import dev.basalt.machinery.api.resource.ListRequest;
import dev.basalt.machinery.api.resource.ListResponse;
import dev.basalt.machinery.api.resource.Metadata;
import dev.basalt.machinery.api.resource.Resource;
import dev.basalt.machinery.api.resource.Spec;
import dev.basalt.machinery.api.resource.StateGrpc;
import dev.basalt.machinery.api.resource.WatchRequest;
import dev.basalt.machinery.api.resource.WatchResponse;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * machined's read-only {@code cosi.resource.State} (Get, List, Watch) over a {@link ResourceView}. Watch
 * re-reads the view every {@code pollInterval} and emits what changed, so it works over views that are
 * computed rather than stored.
 *
 * <p>Thread-safe; watches run on virtual threads.
 */
public final class StateApi extends StateGrpc.StateImplBase {
    private final ResourceView view;
    private final Duration pollInterval;

    public StateApi(ResourceView view, Duration pollInterval) {
        this.view = view;
        this.pollInterval = pollInterval;
    }

    private String namespaceFor(String namespace, String type) throws NodeApiException {
        if (type.isEmpty()) {
            throw new NodeApiException(NodeApiException.Code.INVALID_ARGUMENT, "resource type is empty");
        }
        if (!view.knows(type)) {
            throw new NodeApiException(NodeApiException.Code.NOT_FOUND, "resource type \"" + type
                    + "\" is not registered");
        }
        return namespace.isEmpty() ? view.defaultNamespace(type).orElse("") : namespace;
    }

    static Resource toResource(ResourceView.Item item) {
        return Resource.newBuilder()
                .setMetadata(Metadata.newBuilder().setNamespace(item.namespace()).setType(item.type())
                        .setId(item.id()).setVersion(Long.toString(item.version())).setPhase("running"))
                .setSpec(Spec.newBuilder().setYamlSpec(item.yamlSpec())).build();
    }

    @Override
    public void get(GetRequest request, StreamObserver<GetResponse> out) {
        try {
            String ns = namespaceFor(request.getNamespace(), request.getType());
            Optional<ResourceView.Item> item = view.get(ns, request.getType(), request.getId());
            if (item.isEmpty()) {
                throw new NodeApiException(NodeApiException.Code.NOT_FOUND, "resource " + ns + "/"
                        + request.getType() + "/" + request.getId() + " doesn't exist");
            }
            out.onNext(GetResponse.newBuilder().setResource(toResource(item.get())).build());
            out.onCompleted();
        } catch (NodeApiException e) {
            out.onError(MachineApi.toStatus(e).asRuntimeException());
        } catch (IOException e) {
            out.onError(Status.INTERNAL.withDescription(e.getMessage()).asRuntimeException());
        }
    }

    @Override
    public void list(ListRequest request, StreamObserver<ListResponse> out) {
        try {
            String ns = namespaceFor(request.getNamespace(), request.getType());
            for (ResourceView.Item item : view.list(ns, request.getType())) {
                out.onNext(ListResponse.newBuilder().setResource(toResource(item)).build());
            }
            out.onCompleted();
        } catch (NodeApiException e) {
            out.onError(MachineApi.toStatus(e).asRuntimeException());
        } catch (IOException e) {
            out.onError(Status.INTERNAL.withDescription(e.getMessage()).asRuntimeException());
        }
    }

    @Override
    public void watch(WatchRequest request, StreamObserver<WatchResponse> plainOut) {
        ServerCallStreamObserver<WatchResponse> out = (ServerCallStreamObserver<WatchResponse>) plainOut;
        try {
            String ns = namespaceFor(request.getNamespace(), request.getType());
            Map<String, ResourceView.Item> known = snapshot(ns, request);
            if (request.getOptions().getBootstrapContents()) {
                WatchResponse.Builder first = WatchResponse.newBuilder();
                for (ResourceView.Item item : known.values()) {
                    first.addEvent(Event.newBuilder().setEventType(EventType.CREATED).setResource(toResource(item)));
                }
                if (request.getApiVersion() >= 1) {
                    first.addEvent(Event.newBuilder().setEventType(EventType.BOOTSTRAPPED));
                }
                if (first.getEventCount() > 0) {
                    out.onNext(first.build());
                }
            }
            while (!out.isCancelled()) {
                Thread.sleep(pollInterval);
                Map<String, ResourceView.Item> now = snapshot(ns, request);
                WatchResponse.Builder changes = WatchResponse.newBuilder();
                for (ResourceView.Item item : now.values()) {
                    ResourceView.Item before = known.get(item.id());
                    if (before == null) {
                        changes.addEvent(Event.newBuilder().setEventType(EventType.CREATED)
                                .setResource(toResource(item)));
                    } else if (before.version() != item.version()) {
                        changes.addEvent(Event.newBuilder().setEventType(EventType.UPDATED)
                                .setResource(toResource(item)).setOld(toResource(before)));
                    }
                }
                for (ResourceView.Item item : known.values()) {
                    if (!now.containsKey(item.id())) {
                        changes.addEvent(Event.newBuilder().setEventType(EventType.DESTROYED)
                                .setResource(toResource(item)));
                    }
                }
                known = now;
                if (changes.getEventCount() > 0 && !out.isCancelled()) {
                    out.onNext(changes.build());
                }
            }
        } catch (NodeApiException e) {
            out.onError(MachineApi.toStatus(e).asRuntimeException());
        } catch (IOException e) {
            out.onError(Status.INTERNAL.withDescription(e.getMessage()).asRuntimeException());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (!out.isCancelled()) {
                out.onError(Status.INTERNAL.withDescription(e.toString()).asRuntimeException());
            }
        }
    }

    private Map<String, ResourceView.Item> snapshot(String ns, WatchRequest request) throws IOException {
        Map<String, ResourceView.Item> items = new LinkedHashMap<>();
        List<ResourceView.Item> list = view.list(ns, request.getType());
        for (ResourceView.Item item : list) {
            if (!request.hasId() || request.getId().equals(item.id())) {
                items.put(item.id(), item);
            }
        }
        return items;
    }
}
