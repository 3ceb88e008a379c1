package dev.basalt.ctl.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterPlanTest {
    @Test
    void placesControlPlanesFirstAfterTheGateway() {
        ClusterPlan plan = ClusterPlan.of("demo", "10.5.0.0/24", 3, 1);
        assertThat(plan.subnet()).isEqualTo("10.5.0.0/24");
        assertThat(plan.gateway()).isEqualTo("10.5.0.1");
        assertThat(plan.nodes()).containsExactly(
                new ClusterPlan.Node("demo-controlplane-1", NodeType.CONTROLPLANE, "10.5.0.2"),
                new ClusterPlan.Node("demo-controlplane-2", NodeType.CONTROLPLANE, "10.5.0.3"),
                new ClusterPlan.Node("demo-controlplane-3", NodeType.CONTROLPLANE, "10.5.0.4"),
                new ClusterPlan.Node("demo-worker-1", NodeType.WORKER, "10.5.0.5"));
        assertThat(plan.endpoint()).isEqualTo("https://10.5.0.2:6443");
        assertThat(ClusterPlan.of("x", "172.20.7.9/16", 1, 0).subnet()).isEqualTo("172.20.0.0/16");
    }

    @Test
    void rejectsBadInputNamingIt() {
        assertThatThrownBy(() -> ClusterPlan.of("Bad_Name", "10.5.0.0/24", 1, 0))
                .hasMessageStartingWith("cluster name 'Bad_Name' is invalid");
        assertThatThrownBy(() -> ClusterPlan.of("a", "10.5.0.0/24", 0, 1))
                .hasMessage("--controlplanes must be at least 1, got 0");
        assertThatThrownBy(() -> ClusterPlan.of("a", "10.5.0.0", 1, 1))
                .hasMessage("--cidr '10.5.0.0' is not an IPv4 CIDR like 10.5.0.0/24");
        assertThatThrownBy(() -> ClusterPlan.of("a", "10.5.0.0/29", 4, 2))
                .hasMessage("--cidr '10.5.0.0/29' has room for 5 nodes, 6 requested");
        assertThatThrownBy(() -> ClusterPlan.of("a", "fd00::/64", 1, 1)).hasMessageContaining("is not IPv4");
    }

    @Test
    void nodeContainersCarryLabelsEnvironmentAndTheCapabilitySetThatWorksHere() {
        ClusterPlan plan = ClusterPlan.of("demo", "10.5.0.0/24", 1, 1);
        Map<String, Object> body = DockerProvisioner.containerBody(plan, plan.nodes().get(1), "basalt/node:v1",
                "version: v1alpha1\n");
        assertThat(body).containsEntry("Image", "basalt/node:v1").containsEntry("Hostname", "demo-worker-1");
        assertThat(body.get("Labels")).isEqualTo(Map.of("basalt.cluster.name", "demo", "basalt.type", "worker"));
        assertThat(body.get("Env")).isEqualTo(List.of("PLATFORM=container", "USERDATA=dmVyc2lvbjogdjFhbHBoYTEK"));
        assertThat(Json.path(body, "HostConfig", "CapDrop")).isEqualTo(List.of("SYS_RESOURCE"));
        assertThat(Json.path(body, "HostConfig", "Privileged")).isNull();
        assertThat(Json.path(body, "NetworkingConfig", "EndpointsConfig", "demo", "IPAMConfig", "IPv4Address"))
                .isEqualTo("10.5.0.3");
    }

    @Test
    void ordersNodesNaturally() {
        assertThat(DockerProvisioner.natural("c-worker-2", "c-worker-10")).isNegative();
        assertThat(DockerProvisioner.natural("c-worker-10", "c-worker-9")).isPositive();
    }
}
