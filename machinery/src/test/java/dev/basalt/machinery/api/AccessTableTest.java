package dev.basalt.machinery.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.machinery.api.machine.MachineServiceGrpc;
import io.grpc.MethodDescriptor;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class AccessTableTest {
    @Test
    void metaWriteDeleteAndResetAreAdminOnlyAsInTalos() {
        for (String name : new String[] {"machine.MachineService/MetaWrite", "machine.MachineService/MetaDelete",
                "machine.MachineService/Reset"}) {
            ApiMethod method = AccessTable.lookup(name);
            assertThat(AccessTable.methods()).contains(method);
            assertThat(method.allows(Set.of(Role.ADMIN))).isTrue();
            assertThat(method.allows(Set.of(Role.OPERATOR, Role.READER, Role.ETCD_BACKUP))).isFalse();
            assertThat(method.shape()).isEqualTo(CallShape.AGGREGATED_UNARY);
        }
    }

    @Test
    void everyMachineServiceMethodIsInTheTable() {
        Set<String> declared = MachineServiceGrpc.getServiceDescriptor().getMethods().stream()
                .map(MethodDescriptor::getFullMethodName).collect(Collectors.toSet());
        Set<String> listed = AccessTable.methods().stream().map(ApiMethod::fullName)
                .filter(n -> n.startsWith("machine.MachineService/")).collect(Collectors.toSet());
        assertThat(listed).isEqualTo(declared);
    }

    @Test
    void unknownMethodsAreAdminOnlyOnOneNode() {
        ApiMethod method = AccessTable.lookup("/machine.MachineService/NotAMethod");
        assertThat(method.allows(Set.of(Role.OPERATOR))).isFalse();
        assertThat(method.allows(Set.of(Role.ADMIN))).isTrue();
        assertThat(method.shape()).isEqualTo(CallShape.SINGLE_NODE);
    }
}
