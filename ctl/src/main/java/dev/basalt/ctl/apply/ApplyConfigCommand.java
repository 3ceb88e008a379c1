package dev.basalt.ctl.apply;

import com.google.protobuf.ByteString;
import dev.basalt.ctl.cli.CliException;
import dev.basalt.ctl.cli.Command;
import dev.basalt.ctl.cli.Flag;
import dev.basalt.ctl.cli.Invocation;
import dev.basalt.ctl.gen.ConfigText;
import dev.basalt.ctl.gen.PatchArguments;
import dev.basalt.ctl.node.ApiSession;
import dev.basalt.machinery.api.machine.ApplyConfiguration;
import dev.basalt.machinery.api.machine.ApplyConfigurationRequest;
import dev.basalt.machinery.api.machine.ApplyConfigurationResponse;
import dev.basalt.machinery.api.machine.MachineServiceGrpc;
import dev.basalt.machinery.config.ConfigLoader;
import dev.basalt.machinery.config.ConfigYaml;
import dev.basalt.machinery.config.Problem;
import dev.basalt.machinery.config.TreeResult;
import dev.basalt.machinery.config.patch.Patch;
import dev.basalt.machinery.config.patch.PatchResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code basaltctl apply-config --file F [--config-patch @P|PATCH ...] [--mode auto|no-reboot|reboot|staged|try]
 * [--dry-run] [--timeout D]}, with the global {@code --insecure [--cert-fingerprint FP]} for a node in maintenance
 * mode. Patches (strategic merge or RFC 6902, as {@code machineconfig patch} takes them) are applied to the file
 * before it is sent; a patch that does not parse or apply fails the command with nothing sent. The node validates
 * the result as it validates any config. Prints what each node
 * did (the mode it used and its details, warnings); a node's refusal is reported with its status and message.
 *
 * <p>Stateless; one run per invocation.
 */
public final class ApplyConfigCommand implements Command {
    @Override
    public String name() {
        return "apply-config";
    }

    @Override
    public String summary() {
        return "Apply a new configuration to a node";
    }

    @Override
    public List<Flag> flags() {
        return List.of(Flag.string("file", "f", "", "the filename of the updated configuration"),
                Flag.array("config-patch", "p", "the list of config patches to apply to the local config file before sending it to the node"),
                Flag.string("mode", "m", "auto", "apply config mode: auto, no-reboot, reboot, staged or try"),
                Flag.bool("dry-run", "", "check how the config change will be applied in dry-run mode"),
                Flag.duration("timeout", "", "1m", "how long to wait for the node to answer"));
    }

    /** talosctl's mode names, mapped onto the request's enum. */
    static ApplyConfigurationRequest.Mode mode(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "auto" -> ApplyConfigurationRequest.Mode.AUTO;
            case "no-reboot" -> ApplyConfigurationRequest.Mode.NO_REBOOT;
            case "reboot" -> ApplyConfigurationRequest.Mode.REBOOT;
            case "staged" -> ApplyConfigurationRequest.Mode.STAGED;
            case "try" -> ApplyConfigurationRequest.Mode.TRY;
            default -> throw new CliException("--mode " + text
                    + " is not a known apply mode; expected auto, no-reboot, reboot, staged or try");
        };
    }

    /** The config with every {@code --config-patch} applied; unchanged bytes when there are none. */
    static byte[] patched(Invocation inv, Path file, byte[] data) {
        List<String> arguments = inv.strings("config-patch");
        if (arguments.isEmpty()) {
            return data;
        }
        List<Patch> patches = PatchArguments.load(inv, "config-patch", arguments);
        Map<String, Object> tree = switch (ConfigLoader.parseTree(new String(data, StandardCharsets.UTF_8),
                file.toString())) {
            case TreeResult.Parsed parsed -> parsed.tree();
            case TreeResult.Failed(List<Problem> problems) ->
                    throw ConfigText.rejected("cannot read --file " + file + " to patch it (nothing was sent)", problems);
        };
        return switch (Patch.applyAll(tree, patches)) {
            case PatchResult.Applied(Map<String, Object> result) ->
                    ConfigYaml.encode(result).getBytes(StandardCharsets.UTF_8);
            case PatchResult.Failed(List<Problem> problems) ->
                    throw ConfigText.rejected("cannot patch --file " + file + " (nothing was sent)", problems);
        };
    }

    @Override
    public int run(Invocation inv) {
        inv.requireArgs();
        if (inv.string("file").isEmpty()) {
            throw new CliException("apply-config needs --file FILE (the machine config to apply)");
        }
        Path file = inv.path(inv.string("file"));
        byte[] data;
        try {
            data = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new CliException("--file " + file + " does not exist");
        } catch (IOException e) {
            throw new CliException("cannot read --file " + file + ": " + e.getMessage());
        }
        data = patched(inv, file, data);
        ApplyConfigurationRequest request = ApplyConfigurationRequest.newBuilder()
                .setData(ByteString.copyFrom(data))
                .setMode(mode(inv.string("mode")))
                .setDryRun(inv.bool("dry-run"))
                .build();
        long timeout = inv.duration("timeout").toMillis();
        try (ApiSession session = ApiSession.open(inv)) {
            ApplyConfigurationResponse reply = session.call(ch -> MachineServiceGrpc.newBlockingStub(ch)
                    .withDeadlineAfter(timeout, TimeUnit.MILLISECONDS).applyConfiguration(request));
            int failed = 0;
            for (ApplyConfiguration message : reply.getMessagesList()) {
                String node = session.node(message.getMetadata());
                String prefix = node.isEmpty() ? "" : node + ": ";
                if (!message.getMetadata().getError().isEmpty()) {
                    inv.err().println(prefix + "error: " + message.getMetadata().getError());
                    failed++;
                    continue;
                }
                for (String warning : message.getWarningsList()) {
                    inv.err().println(prefix + "warning: " + warning);
                }
                inv.out().println(prefix + "Applied configuration with mode " + message.getMode().name()
                        .toLowerCase(Locale.ROOT).replace('_', '-') + ": " + message.getModeDetails());
            }
            return failed == 0 ? 0 : 1;
        }
    }
}
