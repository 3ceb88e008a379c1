package dev.basalt.apid;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.apid.proxy.RawMethods;
import dev.basalt.machined.api.ApiServer;
import dev.basalt.machined.api.HostResources;
import dev.basalt.machined.api.KmsgKernelLog;
import dev.basalt.machined.api.LinuxHostFacts;
import dev.basalt.machined.api.MachineApi;
import dev.basalt.machined.api.MetaAccess;
import dev.basalt.machined.api.PowerControl;
import dev.basalt.machined.api.ResetControl;
import dev.basalt.machined.api.ResetPlan;
import dev.basalt.machined.api.SelfServices;
import dev.basalt.machined.api.StateApi;
import dev.basalt.machined.api.StorageApi;
import dev.basalt.machined.api.UnconfiguredNode;
import dev.basalt.machined.services.LogBuffer;
import dev.basalt.machinery.api.AccessTable;
import dev.basalt.machinery.api.ApiMethod;
import dev.basalt.machinery.api.BuildInfo;
import dev.basalt.machinery.api.Role;
import dev.basalt.machinery.api.transport.TlsServer;
import dev.basalt.machinery.pki.CertificateAndKey;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Every method of the access table, called through apid with every kind of caller: allowed or denied exactly as
 * the table says. Denials by role are PERMISSION_DENIED; callers without a usable certificate never get past
 * the TLS handshake. Prints the matrix.
 */
class RoleMatrixTest {
    /** Kinds of caller. */
    enum Caller { ADMIN, OPERATOR, READER, ETCD_BACKUP, NO_CERTIFICATE, OTHER_CA, NO_CLIENT_AUTH }

    enum Outcome { ALLOWED, DENIED_BY_ROLE, REFUSED_AT_HANDSHAKE }

    /** Power control that only counts: the matrix must not stop the node it runs against. */
    static final class CountingPower implements PowerControl {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public Decision reboot(boolean powercycle) {
            calls.incrementAndGet();
            return new Scheduled("reboot-" + calls.get());
        }

        @Override
        public Decision shutdown(boolean force) {
            calls.incrementAndGet();
            return new Scheduled("shutdown-" + calls.get());
        }
    }

    /** Reset control that only counts: the matrix must not wipe anything either. */
    static final class CountingResets implements ResetControl {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public PowerControl.Decision reset(ResetPlan plan) {
            return new PowerControl.Scheduled("reset-" + calls.incrementAndGet());
        }
    }

    @Test
    void everyMethodTimesEveryCallerIsDecidedByTheTable() throws Exception {
        TestPki pki = new TestPki();
        Path dir = Files.createTempDirectory("basalt-matrix");
        Path socket = dir.resolve("machined.sock");
        LinuxHostFacts facts = LinuxHostFacts.system(Optional.of("matrix-node"));
        SelfServices services = new SelfServices(new LogBuffer(16, 1 << 20), Instant.now());
        CountingPower power = new CountingPower();
        CountingResets resets = new CountingResets();
        Map<Caller, ManagedChannel> channels = new LinkedHashMap<>();
        try (ApiServer machined = ApiServer.start(socket,
                new MachineApi(facts, KmsgKernelLog.system(), services, power, new UnconfiguredNode(),
                        BuildInfo.current(), "process", MetaAccess.NONE, resets),
                new StorageApi(facts), new StateApi(new HostResources(facts, services), Duration.ofSeconds(1)));
             TlsServer apid = ApidServer.start(new ApidServer.Settings(
                     new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), socket, pki.os.certificate(),
                     pki.apid, Duration.ofSeconds(5), List.of()))) {
            NodeStacksChannels maker = new NodeStacksChannels(pki, apid.port());
            channels.put(Caller.ADMIN, maker.channel(Optional.of(pki.client(Role.ADMIN))));
            channels.put(Caller.OPERATOR, maker.channel(Optional.of(pki.client(Role.OPERATOR))));
            channels.put(Caller.READER, maker.channel(Optional.of(pki.client(Role.READER))));
            channels.put(Caller.ETCD_BACKUP, maker.channel(Optional.of(pki.client(Role.ETCD_BACKUP))));
            channels.put(Caller.NO_CERTIFICATE, maker.channel(Optional.empty()));
            channels.put(Caller.OTHER_CA, maker.channel(Optional.of(pki.foreignAdmin())));
            channels.put(Caller.NO_CLIENT_AUTH, maker.channel(Optional.of(pki.adminWithoutClientAuth())));

            RawMethods raw = RawMethods.nodeApi();
            StringBuilder table = new StringBuilder(String.format("%-42s", "method"));
            for (Caller c : Caller.values()) {
                table.append(String.format(" %-14s", c.name().toLowerCase().replace('_', '-')));
            }
            table.append('\n');
            List<String> mismatches = new ArrayList<>();
            for (ApiMethod entry : AccessTable.methods()) {
                MethodDescriptor<byte[], byte[]> method = raw.find(entry.fullName()).orElseThrow();
                table.append(String.format("%-42s", entry.fullName()));
                for (Caller caller : Caller.values()) {
                    Outcome got = call(channels.get(caller), method);
                    Outcome expected = expected(entry, caller);
                    table.append(String.format(" %-14s", got == Outcome.ALLOWED ? "allow"
                            : got == Outcome.DENIED_BY_ROLE ? "deny(role)" : "deny(tls)"));
                    if (got != expected) {
                        mismatches.add(entry.fullName() + " as " + caller + ": expected " + expected + ", got " + got);
                    }
                }
                table.append('\n');
            }
            System.out.println(table);
            Path report = Path.of(System.getProperty("basalt.report.dir", "target")).resolve("role-matrix.txt");
            Files.createDirectories(report.getParent());
            Files.writeString(report, table.toString());
            assertThat(mismatches).isEmpty();
            // operator and admin reached Reboot and Shutdown, through to machined
            assertThat(power.calls.get()).isEqualTo(4);
            // only admin reached Reset
            assertThat(resets.calls.get()).isEqualTo(1);
        } finally {
            channels.values().forEach(ManagedChannel::shutdownNow);
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        }
    }

    private static Outcome expected(ApiMethod entry, Caller caller) {
        return switch (caller) {
            case NO_CERTIFICATE, OTHER_CA, NO_CLIENT_AUTH -> Outcome.REFUSED_AT_HANDSHAKE;
            case ADMIN -> entry.allows(java.util.Set.of(Role.ADMIN)) ? Outcome.ALLOWED : Outcome.DENIED_BY_ROLE;
            case OPERATOR -> entry.allows(java.util.Set.of(Role.OPERATOR)) ? Outcome.ALLOWED : Outcome.DENIED_BY_ROLE;
            case READER -> entry.allows(java.util.Set.of(Role.READER)) ? Outcome.ALLOWED : Outcome.DENIED_BY_ROLE;
            case ETCD_BACKUP -> entry.allows(java.util.Set.of(Role.ETCD_BACKUP)) ? Outcome.ALLOWED
                    : Outcome.DENIED_BY_ROLE;
        };
    }

    /** Calls with an empty request; anything but a denial or a handshake failure means apid let it through. */
    private static Outcome call(ManagedChannel channel, MethodDescriptor<byte[], byte[]> method) {
        CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS);
        try {
            if (method.getType() == MethodDescriptor.MethodType.UNARY) {
                ClientCalls.blockingUnaryCall(channel, method, options, new byte[0]);
            } else {
                // one message is enough to know the call got through (Watch would otherwise run forever)
                Iterator<byte[]> it = ClientCalls.blockingServerStreamingCall(channel, method, options, new byte[0]);
                if (it.hasNext()) {
                    it.next();
                }
            }
            return Outcome.ALLOWED;
        } catch (StatusRuntimeException e) {
            Status.Code code = e.getStatus().getCode();
            if (code == Status.Code.PERMISSION_DENIED || code == Status.Code.UNAUTHENTICATED) {
                return Outcome.DENIED_BY_ROLE;
            }
            if (code == Status.Code.UNAVAILABLE && isHandshakeFailure(e)) {
                return Outcome.REFUSED_AT_HANDSHAKE;
            }
            return Outcome.ALLOWED; // machined's own answer (NOT_FOUND, FAILED_PRECONDITION, UNIMPLEMENTED...)
        }
    }

    private static boolean isHandshakeFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException || t instanceof java.nio.channels.ClosedChannelException) {
                return true;
            }
        }
        String description = e instanceof StatusRuntimeException s ? s.getStatus().getDescription() : null;
        return description != null && (description.contains("ssl") || description.contains("io exception"));
    }

    /** Channels to one apid port. */
    record NodeStacksChannels(TestPki pki, int port) {
        ManagedChannel channel(Optional<CertificateAndKey> identity) throws java.io.IOException {
            return io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder.forTarget("127.0.0.1:" + port)
                    .negotiationType(io.grpc.netty.shaded.io.grpc.netty.NegotiationType.TLS)
                    .sslContext(dev.basalt.machinery.api.transport.Tls.client(identity, pki.os.certificate()))
                    .build();
        }
    }
}
