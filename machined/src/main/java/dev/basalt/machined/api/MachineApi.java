package dev.basalt.machined.api;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import com.google.protobuf.Timestamp;
import dev.basalt.machinery.api.BuildInfo;
import dev.basalt.machinery.api.ResetTargets;
import dev.basalt.machinery.api.common.Data;
import dev.basalt.machinery.api.common.Metadata;
import dev.basalt.machinery.api.machine.*;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * machined's {@code machine.MachineService}: answers from the machine it runs on through {@link HostFacts},
 * {@link KernelLog}, {@link ServiceControl}, {@link PowerControl}, {@link ClusterOps}, {@link MetaAccess} and
 * {@link ResetControl}. Every reply item
 * carries this node's hostname in its metadata. Failures become gRPC statuses here and nowhere else.
 *
 * <p>Thread-safe; calls run on virtual threads, so following a log may block.
 */
public final class MachineApi extends MachineServiceGrpc.MachineServiceImplBase {
    /** How long a follower waits before re-checking whether its caller went away. */
    private static final Duration FOLLOW_POLL = Duration.ofMillis(250);
    /** Lines batched into one streamed message when not following. */
    private static final int LINES_PER_MESSAGE = 256;

    private final HostFacts facts;
    private final KernelLog kernelLog;
    private final ServiceControl services;
    private final PowerControl power;
    private final ClusterOps cluster;
    private final BuildInfo build;
    private final String platform;
    private final MetaAccess meta;
    private final ResetControl resets;

    /** A machine API for a node without a META partition ({@link MetaAccess#NONE}). */
    public MachineApi(HostFacts facts, KernelLog kernelLog, ServiceControl services, PowerControl power,
                      ClusterOps cluster, BuildInfo build, String platform) {
        this(facts, kernelLog, services, power, cluster, build, platform, MetaAccess.NONE);
    }

    /** A machine API whose MetaWrite and MetaDelete reach {@code meta}, on a node that cannot reset itself. */
    public MachineApi(HostFacts facts, KernelLog kernelLog, ServiceControl services, PowerControl power,
                      ClusterOps cluster, BuildInfo build, String platform, MetaAccess meta) {
        this(facts, kernelLog, services, power, cluster, build, platform, meta, ResetControl.NONE);
    }

    /** A machine API whose MetaWrite and MetaDelete reach {@code meta} and whose Reset reaches {@code resets}. */
    public MachineApi(HostFacts facts, KernelLog kernelLog, ServiceControl services, PowerControl power,
                      ClusterOps cluster, BuildInfo build, String platform, MetaAccess meta,
                      ResetControl resets) {
        this.facts = facts;
        this.kernelLog = kernelLog;
        this.services = services;
        this.power = power;
        this.cluster = cluster;
        this.build = build;
        this.platform = platform;
        this.meta = meta;
        this.resets = resets;
    }

    /** This node's reply metadata. */
    Metadata metadata() throws IOException {
        return Metadata.newBuilder().setHostname(facts.hostname()).build();
    }

    @FunctionalInterface
    private interface Answer<T> {
        T get() throws IOException, NodeApiException;
    }

    private static <T> void unary(StreamObserver<T> out, Answer<T> answer) {
        T reply;
        try {
            reply = answer.get();
        } catch (NodeApiException e) {
            out.onError(toStatus(e).asRuntimeException());
            return;
        } catch (IOException e) {
            out.onError(Status.INTERNAL.withDescription(e.getMessage()).asRuntimeException());
            return;
        } catch (RuntimeException e) {
            out.onError(Status.INTERNAL.withDescription(e.toString()).asRuntimeException());
            return;
        }
        out.onNext(reply);
        out.onCompleted();
    }

    static Status toStatus(NodeApiException e) {
        Status status = switch (e.code()) {
            case INVALID_ARGUMENT -> Status.INVALID_ARGUMENT;
            case NOT_FOUND -> Status.NOT_FOUND;
            case FAILED_PRECONDITION -> Status.FAILED_PRECONDITION;
            case UNAVAILABLE -> Status.UNAVAILABLE;
            case INTERNAL -> Status.INTERNAL;
        };
        return status.withDescription(e.getMessage());
    }

    static Timestamp timestamp(Instant at) {
        return Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()).build();
    }

    @Override
    public void version(Empty request, StreamObserver<VersionResponse> out) {
        unary(out, () -> VersionResponse.newBuilder().addMessages(Version.newBuilder()
                .setMetadata(metadata())
                .setVersion(VersionInfo.newBuilder().setTag(build.tag()).setBuilt(build.built())
                        .setGoVersion(build.runtime()).setOs(build.os()).setArch(build.arch()))
                .setPlatform(PlatformInfo.newBuilder().setName(platform).setMode(platform))
                .setFeatures(FeaturesInfo.newBuilder().setRbac(true))).build());
    }

    @Override
    public void hostname(Empty request, StreamObserver<HostnameResponse> out) {
        unary(out, () -> HostnameResponse.newBuilder().addMessages(Hostname.newBuilder()
                .setMetadata(metadata()).setHostname(facts.hostname())).build());
    }

    @Override
    public void memory(Empty request, StreamObserver<MemoryResponse> out) {
        unary(out, () -> {
            Map<String, Long> m = facts.memInfo();
            MemInfo.Builder b = MemInfo.newBuilder()
                    .setMemtotal(v(m, "MemTotal")).setMemfree(v(m, "MemFree"))
                    .setMemavailable(v(m, "MemAvailable")).setBuffers(v(m, "Buffers"))
                    .setCached(v(m, "Cached")).setSwapcached(v(m, "SwapCached"))
                    .setActive(v(m, "Active")).setInactive(v(m, "Inactive"))
                    .setActiveanon(v(m, "Active(anon)")).setInactiveanon(v(m, "Inactive(anon)"))
                    .setActivefile(v(m, "Active(file)")).setInactivefile(v(m, "Inactive(file)"))
                    .setUnevictable(v(m, "Unevictable")).setMlocked(v(m, "Mlocked"))
                    .setSwaptotal(v(m, "SwapTotal")).setSwapfree(v(m, "SwapFree"))
                    .setDirty(v(m, "Dirty")).setWriteback(v(m, "Writeback"))
                    .setAnonpages(v(m, "AnonPages")).setMapped(v(m, "Mapped")).setShmem(v(m, "Shmem"))
                    .setSlab(v(m, "Slab")).setSreclaimable(v(m, "SReclaimable"))
                    .setSunreclaim(v(m, "SUnreclaim")).setKernelstack(v(m, "KernelStack"))
                    .setPagetables(v(m, "PageTables")).setNfsunstable(v(m, "NFS_Unstable"))
                    .setBounce(v(m, "Bounce")).setWritebacktmp(v(m, "WritebackTmp"))
                    .setCommitlimit(v(m, "CommitLimit")).setCommittedas(v(m, "Committed_AS"))
                    .setVmalloctotal(v(m, "VmallocTotal")).setVmallocused(v(m, "VmallocUsed"))
                    .setVmallocchunk(v(m, "VmallocChunk"))
                    .setHardwarecorrupted(v(m, "HardwareCorrupted"))
                    .setAnonhugepages(v(m, "AnonHugePages")).setShmemhugepages(v(m, "ShmemHugePages"))
                    .setShmempmdmapped(v(m, "ShmemPmdMapped")).setCmatotal(v(m, "CmaTotal"))
                    .setCmafree(v(m, "CmaFree")).setHugepagestotal(v(m, "HugePages_Total"))
                    .setHugepagesfree(v(m, "HugePages_Free")).setHugepagesrsvd(v(m, "HugePages_Rsvd"))
                    .setHugepagessurp(v(m, "HugePages_Surp")).setHugepagesize(v(m, "Hugepagesize"))
                    .setDirectmap4K(v(m, "DirectMap4k")).setDirectmap2M(v(m, "DirectMap2M"))
                    .setDirectmap1G(v(m, "DirectMap1G"));
            return MemoryResponse.newBuilder()
                    .addMessages(Memory.newBuilder().setMetadata(metadata()).setMeminfo(b)).build();
        });
    }

    private static long v(Map<String, Long> m, String key) {
        return m.getOrDefault(key, 0L);
    }

    @Override
    public void metaWrite(MetaWriteRequest request, StreamObserver<MetaWriteResponse> out) {
        unary(out, () -> {
            MetaKeys.checkChangeable("MetaWrite", request.getKey());
            meta.write(request.getKey(), request.getValue().toByteArray());
            return MetaWriteResponse.newBuilder().addMessages(MetaWrite.newBuilder().setMetadata(metadata()))
                    .build();
        });
    }

    @Override
    public void metaDelete(MetaDeleteRequest request, StreamObserver<MetaDeleteResponse> out) {
        unary(out, () -> {
            MetaKeys.checkChangeable("MetaDelete", request.getKey());
            meta.delete(request.getKey());
            return MetaDeleteResponse.newBuilder().addMessages(MetaDelete.newBuilder().setMetadata(metadata()))
                    .build();
        });
    }

    @Override
    public void processes(Empty request, StreamObserver<ProcessesResponse> out) {
        unary(out, () -> {
            dev.basalt.machinery.api.machine.Process.Builder p = dev.basalt.machinery.api.machine.Process.newBuilder().setMetadata(metadata());
            for (HostFacts.ProcessSample s : facts.processes()) {
                p.addProcesses(ProcessInfo.newBuilder().setPid(s.pid()).setPpid(s.ppid()).setState(s.state())
                        .setThreads(s.threads()).setCpuTime(s.cpuSeconds()).setVirtualMemory(s.virtualBytes())
                        .setResidentMemory(s.residentBytes()).setCommand(s.command())
                        .setExecutable(s.executable()).setArgs(s.args()));
            }
            return ProcessesResponse.newBuilder().addMessages(p).build();
        });
    }

    @Override
    public void mounts(Empty request, StreamObserver<MountsResponse> out) {
        unary(out, () -> {
            Mounts.Builder m = Mounts.newBuilder().setMetadata(metadata());
            for (HostFacts.MountSample s : facts.mounts()) {
                m.addStats(MountStat.newBuilder().setFilesystem(s.filesystem()).setMountedOn(s.mountedOn())
                        .setSize(s.sizeBytes()).setAvailable(s.availableBytes()));
            }
            return MountsResponse.newBuilder().addMessages(m).build();
        });
    }

    @Override
    public void serviceList(Empty request, StreamObserver<ServiceListResponse> out) {
        unary(out, () -> {
            ServiceList.Builder list = ServiceList.newBuilder().setMetadata(metadata());
            for (ServiceControl.ServiceStatus s : services.list()) {
                ServiceEvents.Builder events = ServiceEvents.newBuilder();
                for (ServiceControl.Event e : s.events()) {
                    events.addEvents(ServiceEvent.newBuilder().setMsg(e.message()).setState(e.state())
                            .setTs(timestamp(e.at())));
                }
                ServiceHealth.Builder health = ServiceHealth.newBuilder().setUnknown(s.health().unknown())
                        .setHealthy(s.health().healthy()).setLastMessage(s.health().lastMessage());
                s.health().lastChange().ifPresent(t -> health.setLastChange(timestamp(t)));
                list.addServices(ServiceInfo.newBuilder().setId(s.id()).setState(s.state()).setEvents(events)
                        .setHealth(health));
            }
            return ServiceListResponse.newBuilder().addMessages(list).build();
        });
    }

    private static String serviceOutcome(String verb, String id, ServiceControl.Outcome outcome)
            throws NodeApiException {
        if (id.isEmpty()) {
            throw new NodeApiException(NodeApiException.Code.INVALID_ARGUMENT, verb + ": service id is empty");
        }
        return switch (outcome) {
            case ServiceControl.Accepted a -> a.message();
            case ServiceControl.UnknownService u -> throw new NodeApiException(NodeApiException.Code.NOT_FOUND,
                    verb + ": service \"" + u.id() + "\" is not registered; registered: " + u.known());
            case ServiceControl.Refused r -> throw new NodeApiException(
                    NodeApiException.Code.FAILED_PRECONDITION, verb + ": " + r.reason());
        };
    }

    @Override
    public void serviceStart(ServiceStartRequest request, StreamObserver<ServiceStartResponse> out) {
        unary(out, () -> ServiceStartResponse.newBuilder().addMessages(ServiceStart.newBuilder()
                .setMetadata(metadata())
                .setResp(serviceOutcome("ServiceStart", request.getId(), services.start(request.getId()))))
                .build());
    }

    @Override
    public void serviceStop(ServiceStopRequest request, StreamObserver<ServiceStopResponse> out) {
        unary(out, () -> ServiceStopResponse.newBuilder().addMessages(ServiceStop.newBuilder()
                .setMetadata(metadata())
                .setResp(serviceOutcome("ServiceStop", request.getId(), services.stop(request.getId()))))
                .build());
    }

    @Override
    public void serviceRestart(ServiceRestartRequest request, StreamObserver<ServiceRestartResponse> out) {
        unary(out, () -> ServiceRestartResponse.newBuilder().addMessages(ServiceRestart.newBuilder()
                .setMetadata(metadata())
                .setResp(serviceOutcome("ServiceRestart", request.getId(), services.restart(request.getId()))))
                .build());
    }

    @Override
    public void reboot(RebootRequest request, StreamObserver<RebootResponse> out) {
        unary(out, () -> switch (power.reboot(request.getMode() == RebootRequest.Mode.POWERCYCLE)) {
            case PowerControl.Scheduled s -> RebootResponse.newBuilder().addMessages(Reboot.newBuilder()
                    .setMetadata(metadata()).setActorId(s.actorId())).build();
            case PowerControl.Refused r ->
                    throw new NodeApiException(NodeApiException.Code.FAILED_PRECONDITION, "Reboot: " + r.reason());
        });
    }

    @Override
    public void shutdown(ShutdownRequest request, StreamObserver<ShutdownResponse> out) {
        unary(out, () -> switch (power.shutdown(request.getForce())) {
            case PowerControl.Scheduled s -> ShutdownResponse.newBuilder().addMessages(Shutdown.newBuilder()
                    .setMetadata(metadata()).setActorId(s.actorId())).build();
            case PowerControl.Refused r -> throw new NodeApiException(NodeApiException.Code.FAILED_PRECONDITION,
                    "Shutdown: " + r.reason());
        });
    }

    @Override
    public void reset(ResetRequest request, StreamObserver<ResetResponse> out) {
        unary(out, () -> switch (resets.reset(resetPlan(request))) {
            case PowerControl.Scheduled s -> ResetResponse.newBuilder().addMessages(Reset.newBuilder()
                    .setMetadata(metadata()).setActorId(s.actorId())).build();
            case PowerControl.Refused r -> throw new NodeApiException(NodeApiException.Code.FAILED_PRECONDITION,
                    r.reason());
        });
    }

    /**
     * The plan a Reset request asks for, or INVALID_ARGUMENT naming the first thing wrong with it. Beyond
     * Talos' own checks, a request that would wipe nothing, or that names something its mode leaves alone, is
     * refused rather than half-honoured; so is one that lists labels none of which has {@code wipe} set, since
     * an empty list would mean the whole system disk.
     */
    static ResetPlan resetPlan(ResetRequest request) throws NodeApiException {
        ResetPlan.WipeMode mode = switch (request.getMode()) {
            case ALL -> ResetPlan.WipeMode.ALL;
            case SYSTEM_DISK -> ResetPlan.WipeMode.SYSTEM_DISK;
            case USER_DISKS -> ResetPlan.WipeMode.USER_DISKS;
            case UNRECOGNIZED -> throw invalidReset("wipe mode " + request.getModeValue()
                    + " is not one of ALL, SYSTEM_DISK, USER_DISKS");
        };
        LinkedHashSet<String> labels = new java.util.LinkedHashSet<>();
        for (ResetPartitionSpec spec : request.getSystemPartitionsToWipeList()) {
            if (!ResetTargets.isSystemLabel(spec.getLabel())) {
                throw invalidReset("system partition label \"" + spec.getLabel() + "\" cannot be wiped; "
                        + "allowed: " + String.join(", ", ResetTargets.SYSTEM_LABELS));
            }
            if (spec.getWipe()) {
                labels.add(spec.getLabel());
            }
        }
        if (!request.getSystemPartitionsToWipeList().isEmpty() && labels.isEmpty()) {
            throw invalidReset("no system partition has wipe set (an empty list would wipe the whole "
                    + "system disk); set wipe on the labels to wipe, or send none");
        }
        LinkedHashSet<String> disks = new java.util.LinkedHashSet<>();
        for (String disk : request.getUserDisksToWipeList()) {
            if (!ResetTargets.isDevicePath(disk)) {
                throw invalidReset("user disk \"" + disk + "\" is not an absolute device path under /dev "
                        + "(e.g. /dev/sdb)");
            }
            disks.add(disk);
        }
        if (mode == ResetPlan.WipeMode.USER_DISKS && !labels.isEmpty()) {
            throw invalidReset("wipe mode USER_DISKS leaves the system disk alone, but system partitions "
                    + labels + " were given");
        }
        if (mode == ResetPlan.WipeMode.USER_DISKS && disks.isEmpty()) {
            throw invalidReset("wipe mode USER_DISKS needs at least one user disk to wipe");
        }
        if (mode == ResetPlan.WipeMode.SYSTEM_DISK && !disks.isEmpty()) {
            throw invalidReset("wipe mode SYSTEM_DISK leaves user disks alone, but user disks " + disks
                    + " were given");
        }
        return new ResetPlan(request.getGraceful(), request.getReboot(), List.copyOf(labels), List.copyOf(disks),
                mode);
    }

    private static NodeApiException invalidReset(String message) {
        return new NodeApiException(NodeApiException.Code.INVALID_ARGUMENT, "Reset: " + message);
    }

    @Override
    public void applyConfiguration(ApplyConfigurationRequest request,
                                   StreamObserver<ApplyConfigurationResponse> out) {
        unary(out, () -> {
            ClusterOps.ApplyMode mode = switch (request.getMode()) {
                case REBOOT -> ClusterOps.ApplyMode.REBOOT;
                case AUTO -> ClusterOps.ApplyMode.AUTO;
                case NO_REBOOT -> ClusterOps.ApplyMode.NO_REBOOT;
                case STAGED -> ClusterOps.ApplyMode.STAGED;
                case TRY -> ClusterOps.ApplyMode.TRY;
                case UNRECOGNIZED -> throw new NodeApiException(NodeApiException.Code.INVALID_ARGUMENT,
                        "ApplyConfiguration: mode " + request.getModeValue() + " is not one of REBOOT, AUTO, "
                                + "NO_REBOOT, STAGED, TRY");
            };
            ClusterOps.Applied applied = cluster.apply(request.getData().toByteArray(), mode, request.getDryRun());
            return ApplyConfigurationResponse.newBuilder().addMessages(ApplyConfiguration.newBuilder()
                    .setMetadata(metadata()).addAllWarnings(applied.warnings())
                    .setModeValue(applied.mode().ordinal()).setModeDetails(applied.details())).build();
        });
    }

    @Override
    public void bootstrap(BootstrapRequest request, StreamObserver<BootstrapResponse> out) {
        unary(out, () -> {
            cluster.bootstrap();
            return BootstrapResponse.newBuilder().addMessages(Bootstrap.newBuilder().setMetadata(metadata()))
                    .build();
        });
    }

    @Override
    public void etcdMemberList(EtcdMemberListRequest request, StreamObserver<EtcdMemberListResponse> out) {
        unary(out, () -> {
            EtcdMembers.Builder members = EtcdMembers.newBuilder().setMetadata(metadata());
            for (ClusterOps.Member m : cluster.etcdMembers(request.getQueryLocal())) {
                members.addMembers(EtcdMember.newBuilder().setId(m.id()).setHostname(m.hostname())
                        .addAllPeerUrls(m.peerUrls()).addAllClientUrls(m.clientUrls()).setIsLearner(m.learner()));
                members.addLegacyMembers(m.hostname());
            }
            return EtcdMemberListResponse.newBuilder().addMessages(members).build();
        });
    }

    @Override
    public void etcdRemoveMember(EtcdRemoveMemberRequest request, StreamObserver<EtcdRemoveMemberResponse> out) {
        unary(out, () -> {
            if (request.getMember().isEmpty()) {
                throw new NodeApiException(NodeApiException.Code.INVALID_ARGUMENT,
                        "EtcdRemoveMember: member is empty; expected the hostname of an etcd member");
            }
            cluster.etcdRemoveMember(request.getMember());
            return EtcdRemoveMemberResponse.newBuilder().addMessages(EtcdRemoveMember.newBuilder()
                    .setMetadata(metadata())).build();
        });
    }

    @Override
    public void etcdRemoveMemberByID(EtcdRemoveMemberByIDRequest request,
                                     StreamObserver<EtcdRemoveMemberByIDResponse> out) {
        unary(out, () -> {
            if (request.getMemberId() == 0) {
                throw new NodeApiException(NodeApiException.Code.INVALID_ARGUMENT,
                        "EtcdRemoveMemberByID: member_id is 0; expected the id of an etcd member");
            }
            cluster.etcdRemoveMemberById(request.getMemberId());
            return EtcdRemoveMemberByIDResponse.newBuilder().addMessages(EtcdRemoveMemberByID.newBuilder()
                    .setMetadata(metadata())).build();
        });
    }

    @Override
    public void etcdLeaveCluster(EtcdLeaveClusterRequest request, StreamObserver<EtcdLeaveClusterResponse> out) {
        unary(out, () -> {
            cluster.etcdLeave();
            return EtcdLeaveClusterResponse.newBuilder().addMessages(EtcdLeaveCluster.newBuilder()
                    .setMetadata(metadata())).build();
        });
    }

    @Override
    public void etcdStatus(Empty request, StreamObserver<EtcdStatusResponse> out) {
        unary(out, () -> {
            ClusterOps.MemberStatus s = cluster.etcdStatus();
            return EtcdStatusResponse.newBuilder().addMessages(EtcdStatus.newBuilder().setMetadata(metadata())
                    .setMemberStatus(EtcdMemberStatus.newBuilder().setMemberId(s.memberId())
                            .setProtocolVersion(s.protocolVersion()).setDbSize(s.dbSize())
                            .setDbSizeInUse(s.dbSizeInUse()).setLeader(s.leader()).setRaftIndex(s.raftIndex())
                            .setRaftTerm(s.raftTerm()).setRaftAppliedIndex(s.raftAppliedIndex())
                            .addAllErrors(s.errors()).setIsLearner(s.learner()))).build();
        });
    }

    /**
     * Streams the snapshot as it arrives from etcd, in chunks of {@link #SNAPSHOT_CHUNK} bytes, so a large
     * database never sits in memory whole.
     */
    @Override
    public void etcdSnapshot(EtcdSnapshotRequest request, StreamObserver<Data> plainOut) {
        ServerCallStreamObserver<Data> out = (ServerCallStreamObserver<Data>) plainOut;
        try {
            Metadata md = metadata();
            try (ChunkingStream chunks = new ChunkingStream(md, out)) {
                cluster.etcdSnapshot(chunks);
            }
            if (!out.isCancelled()) {
                out.onCompleted();
            }
        } catch (NodeApiException e) {
            out.onError(toStatus(e).asRuntimeException());
        } catch (IOException e) {
            out.onError(Status.INTERNAL.withDescription("EtcdSnapshot: " + e.getMessage()).asRuntimeException());
        } catch (RuntimeException e) {
            if (!out.isCancelled()) {
                out.onError(Status.INTERNAL.withDescription(e.toString()).asRuntimeException());
            }
        }
    }

    private static final int SNAPSHOT_CHUNK = 64 << 10;

    /** Buffers bytes and sends each full chunk as one {@code common.Data} message. Not thread-safe. */
    private static final class ChunkingStream extends java.io.OutputStream {
        private final Metadata md;
        private final ServerCallStreamObserver<Data> out;
        private final byte[] buffer = new byte[SNAPSHOT_CHUNK];
        private int used;

        ChunkingStream(Metadata md, ServerCallStreamObserver<Data> out) {
            this.md = md;
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (out.isCancelled()) {
                    throw new IOException("the caller cancelled the snapshot");
                }
                int n = Math.min(len, buffer.length - used);
                System.arraycopy(b, off, buffer, used, n);
                used += n;
                off += n;
                len -= n;
                if (used == buffer.length) {
                    flush();
                }
            }
        }

        @Override
        public void flush() {
            if (used > 0) {
                out.onNext(Data.newBuilder().setMetadata(md).setBytes(ByteString.copyFrom(buffer, 0, used)).build());
                used = 0;
            }
        }

        @Override
        public void close() {
            flush();
        }
    }

    @Override
    public void kubeconfig(Empty request, StreamObserver<Data> out) {
        byte[] config;
        Metadata md;
        try {
            config = cluster.kubeconfig();
            md = metadata();
        } catch (NodeApiException e) {
            out.onError(toStatus(e).asRuntimeException());
            return;
        } catch (IOException e) {
            out.onError(Status.INTERNAL.withDescription(e.getMessage()).asRuntimeException());
            return;
        }
        out.onNext(Data.newBuilder().setMetadata(md).setBytes(ByteString.copyFrom(config)).build());
        out.onCompleted();
    }

    @Override
    public void logs(LogsRequest request, StreamObserver<Data> plainOut) {
        ServerCallStreamObserver<Data> out = (ServerCallStreamObserver<Data>) plainOut;
        try {
            Optional<ServiceLog> log = services.log(request.getId());
            if (log.isEmpty()) {
                List<String> known = services.list().stream().map(ServiceControl.ServiceStatus::id).toList();
                out.onError(Status.NOT_FOUND.withDescription("Logs: service \"" + request.getId()
                        + "\" is not registered; registered: " + known).asRuntimeException());
                return;
            }
            Metadata md = metadata();
            // tail_lines as talosctl sends it: negative = everything kept, 0 = nothing old, N = last N lines
            ServiceLog.Cursor cursor = log.get().cursor(request.getTailLines());
            for (List<String> batch = cursor.drain(LINES_PER_MESSAGE); !batch.isEmpty();
                    batch = cursor.drain(LINES_PER_MESSAGE)) {
                out.onNext(chunk(md, String.join("\n", batch) + "\n"));
            }
            while (request.getFollow() && !out.isCancelled()) {
                Optional<String> line = cursor.next(FOLLOW_POLL);
                if (line.isPresent()) {
                    out.onNext(chunk(md, line.get() + "\n"));
                }
            }
            if (!out.isCancelled()) {
                out.onCompleted();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.onError(Status.CANCELLED.withDescription("Logs: interrupted").asRuntimeException());
        } catch (IOException e) {
            out.onError(Status.INTERNAL.withDescription(e.getMessage()).asRuntimeException());
        } catch (RuntimeException e) {
            // the caller went away while we were writing to it
            if (!out.isCancelled()) {
                out.onError(Status.INTERNAL.withDescription(e.toString()).asRuntimeException());
            }
        }
    }

    private static Data chunk(Metadata md, String text) {
        return Data.newBuilder().setMetadata(md).setBytes(ByteString.copyFrom(text, StandardCharsets.UTF_8))
                .build();
    }

    @Override
    public void dmesg(DmesgRequest request, StreamObserver<Data> plainOut) {
        ServerCallStreamObserver<Data> out = (ServerCallStreamObserver<Data>) plainOut;
        try (KernelLog.Reader reader = kernelLog.open(request.getTail())) {
            Metadata md = metadata();
            long boot = facts.bootTimeEpochSeconds();
            StringBuilder batch = new StringBuilder();
            int lines = 0;
            for (Optional<KmsgRecord> r = reader.next(Duration.ZERO); r.isPresent(); r = reader.next(Duration.ZERO)) {
                batch.append(r.get().format(boot)).append('\n');
                if (++lines == LINES_PER_MESSAGE) {
                    out.onNext(chunk(md, batch.toString()));
                    batch.setLength(0);
                    lines = 0;
                }
            }
            if (lines > 0) {
                out.onNext(chunk(md, batch.toString()));
            }
            while (request.getFollow() && !out.isCancelled()) {
                Optional<KmsgRecord> r = reader.next(FOLLOW_POLL);
                if (r.isPresent()) {
                    out.onNext(chunk(md, r.get().format(boot) + "\n"));
                }
            }
            if (!out.isCancelled()) {
                out.onCompleted();
            }
        } catch (IOException e) {
            out.onError(Status.UNAVAILABLE.withDescription("Dmesg: " + e.getMessage()).asRuntimeException());
        } catch (RuntimeException e) {
            if (!out.isCancelled()) {
                out.onError(Status.INTERNAL.withDescription(e.toString()).asRuntimeException());
            }
        }
    }
}
