package dev.basalt.ctl;

import dev.basalt.ctl.cli.Cli;
import dev.basalt.ctl.cli.CommandGroup;
import dev.basalt.ctl.cli.CommandNode;
import dev.basalt.ctl.cli.Flag;
import dev.basalt.ctl.cli.Invocation;
import dev.basalt.ctl.cluster.ClusterCommands;
import dev.basalt.ctl.clientconfig.ConfigCommands;
import dev.basalt.ctl.etcd.BootstrapCommand;
import dev.basalt.ctl.etcd.EtcdCommands;
import dev.basalt.ctl.gen.GenConfigCommand;
import dev.basalt.ctl.gen.GenSecretsCommand;
import dev.basalt.ctl.gen.MachineConfigPatchCommand;
import dev.basalt.ctl.gen.ValidateCommand;
import dev.basalt.ctl.health.HealthCommand;
import dev.basalt.ctl.node.DmesgCommand;
import dev.basalt.ctl.node.GetCommand;
import dev.basalt.ctl.node.LogsCommand;
import dev.basalt.ctl.node.MetaCommands;
import dev.basalt.ctl.node.PowerCommands;
import dev.basalt.ctl.node.ReadCommands;
import dev.basalt.ctl.node.ResetCommand;
import dev.basalt.ctl.node.ServicesCommand;
import dev.basalt.ctl.node.VersionCommand;
import java.util.ArrayList;
import java.util.List;

/** Entry point of basaltctl: wires the command tree explicitly and runs it. */
public final class Main {
    private Main() {
    }

    /** Flags every command accepts, named as talosctl names them. */
    public static final List<Flag> GLOBAL_FLAGS = List.of(
            Flag.string("basaltconfig", "", "", "the path to the Basalt configuration file. Defaults to 'BASALTCONFIG' env variable if set, otherwise $HOME/.basalt/config"),
            Flag.string("talosconfig", "", "", "alias of --basaltconfig, accepted for talosctl users"),
            Flag.string("context", "", "", "context to be used in command"),
            Flag.slice("endpoints", "e", "override default endpoints in Basalt configuration"),
            Flag.slice("nodes", "n", "target the specified nodes"),
            Flag.bool("insecure", "i", "talk to a node in maintenance mode: no client certificate, any server certificate unless --cert-fingerprint"),
            Flag.string("cert-fingerprint", "", "", "with --insecure: accept only a server certificate with this SHA-256 fingerprint"));

    public static CommandGroup tree() {
        List<CommandNode> commands = new ArrayList<>();
        commands.add(new CommandGroup("gen", "Generate CAs, certificates, and private keys",
                List.of(new GenConfigCommand(), new GenSecretsCommand())));
        commands.add(new CommandGroup("machineconfig", "Machine config related commands",
                List.of(new MachineConfigPatchCommand())));
        commands.add(new ValidateCommand());
        commands.add(ClusterCommands.group(Main::tree, GLOBAL_FLAGS));
        commands.add(ConfigCommands.group());
        commands.add(new VersionCommand());
        commands.add(new ServicesCommand());
        commands.add(new LogsCommand());
        commands.add(new DmesgCommand());
        commands.add(new GetCommand());
        commands.addAll(ReadCommands.all());
        commands.addAll(PowerCommands.all());
        commands.add(new ResetCommand());
        commands.add(new BootstrapCommand());
        commands.add(EtcdCommands.group());
        commands.add(new HealthCommand());
        commands.add(MetaCommands.group());
        commands.add(new dev.basalt.ctl.apply.ApplyConfigCommand());
        return new CommandGroup("basaltctl", "A CLI for out-of-band management of Kubernetes nodes created by Basalt", commands);
    }

    public static void main(String[] args) {
        int status = new Cli("basaltctl", tree(), GLOBAL_FLAGS).run(List.of(args), Invocation.Environment.system());
        System.out.flush();
        System.exit(status);
    }
}
