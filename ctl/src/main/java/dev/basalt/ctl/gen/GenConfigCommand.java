package dev.basalt.ctl.gen;

import dev.basalt.ctl.cli.CliException;
import dev.basalt.ctl.cli.Command;
import dev.basalt.ctl.cli.Flag;
import dev.basalt.ctl.cli.Invocation;
import dev.basalt.ctl.cli.UsageException;
import dev.basalt.ctl.files.OutputFiles;
import dev.basalt.machinery.config.ConfigLoader;
import dev.basalt.machinery.config.ConfigYaml;
import dev.basalt.machinery.config.LoadResult;
import dev.basalt.machinery.config.Problem;
import dev.basalt.machinery.config.ValidationMode;
import dev.basalt.machinery.config.patch.Patch;
import dev.basalt.machinery.config.patch.PatchResult;
import dev.basalt.machinery.generate.ConfigGenerator;
import dev.basalt.machinery.generate.GenerateOptions;
import dev.basalt.machinery.generate.GeneratedConfigs;
import dev.basalt.machinery.secrets.SecretsBundle;
import dev.basalt.machinery.secrets.SecretsException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code basaltctl gen config NAME ENDPOINT}: generates {@code controlplane.yaml}, {@code worker.yaml} and
 * {@code basaltconfig}. Patches are applied, and each machine config is validated, before anything is written;
 * a failure writes nothing.
 */
public final class GenConfigCommand implements Command {
    private static final Set<String> OUTPUT_TYPES = Set.of("controlplane", "worker", "basaltconfig", "talosconfig");

    @Override
    public String name() {
        return "config";
    }

    @Override
    public String summary() {
        return "Generates a set of configuration files for a cluster";
    }

    @Override
    public String arguments() {
        return "<cluster name> <cluster endpoint>";
    }

    @Override
    public List<Flag> flags() {
        return List.of(
                Flag.string("with-secrets", "", "", "use a secrets file generated with 'gen secrets'"),
                Flag.array("config-patch", "", "patch generated machineconfigs (applied to all node types), use @file to read a patch from file"),
                Flag.array("config-patch-control-plane", "", "patch generated machineconfigs (applied to 'controlplane' type)"),
                Flag.array("config-patch-worker", "", "patch generated machineconfigs (applied to 'worker' type)"),
                Flag.string("install-disk", "", GenerateOptions.DEFAULT_INSTALL_DISK, "the disk to install to"),
                Flag.string("install-image", "", GenerateOptions.DEFAULT_INSTALL_IMAGE, "the image used to perform an installation"),
                Flag.string("kubernetes-version", "", GenerateOptions.DEFAULT_KUBERNETES_VERSION, "desired kubernetes version to run"),
                Flag.slice("additional-sans", "", "additional Subject-Alt-Names for the APIServer certificate"),
                Flag.string("dns-domain", "", GenerateOptions.DEFAULT_DNS_DOMAIN, "the dns domain to use for cluster"),
                new Flag("with-cluster-discovery", "", Flag.Kind.BOOL, List.of("true"), "enable cluster discovery feature"),
                Flag.string("output", "o", "", "destination to output generated files. when multiple output types are specified, it must be a directory. for a single output type, it must either be a file path, or \"-\" for stdout"),
                Flag.slice("output-types", "t", "types of outputs to be generated. valid types are: [\"controlplane\" \"worker\" \"basaltconfig\"] (default [controlplane,worker,basaltconfig])"),
                Flag.bool("force", "", "will overwrite existing files"));
    }

    @Override
    public int run(Invocation inv) throws IOException {
        List<String> args = inv.requireArgs("NAME", "ENDPOINT");
        String clusterName = args.get(0);
        if (clusterName.isBlank()) {
            throw new UsageException("cluster name must not be empty");
        }
        URI endpoint = parseEndpoint(args.get(1));
        Set<String> types = outputTypes(inv);

        SecretsBundle secrets = loadSecrets(inv);
        GenerateOptions options = GenerateOptions.builder(clusterName, endpoint, secrets)
                .kubernetesVersion(inv.string("kubernetes-version"))
                .installDisk(inv.string("install-disk"))
                .installImage(inv.string("install-image"))
                .additionalSans(inv.strings("additional-sans"))
                .dnsDomain(inv.string("dns-domain"))
                .clusterDiscovery(inv.bool("with-cluster-discovery"))
                .build();
        GeneratedConfigs generated = new ConfigGenerator().generate(options);

        List<Patch> common = PatchArguments.load(inv, "config-patch", inv.strings("config-patch"));
        List<Patch> controlPlanePatches = new ArrayList<>(common);
        controlPlanePatches.addAll(PatchArguments.load(inv, "config-patch-control-plane", inv.strings("config-patch-control-plane")));
        List<Patch> workerPatches = new ArrayList<>(common);
        workerPatches.addAll(PatchArguments.load(inv, "config-patch-worker", inv.strings("config-patch-worker")));

        String controlPlane = patchAndValidate(generated.controlPlane(), controlPlanePatches, "controlplane.yaml", inv);
        String worker = patchAndValidate(generated.worker(), workerPatches, "worker.yaml", inv);
        String clientConfig = generated.clientConfig().toYaml();

        String output = inv.string("output");
        if (types.size() == 1 && (output.equals("-") || (!output.isEmpty() && !Files.isDirectory(inv.path(output))))) {
            String only = types.iterator().next();
            String content = only.equals("controlplane") ? controlPlane : only.equals("worker") ? worker : clientConfig;
            if (output.equals("-")) {
                inv.out().print(content);
            } else {
                new OutputFiles().add(inv.path(output), content).write(inv.bool("force"));
                inv.err().println("generated " + inv.path(output));
            }
            return 0;
        }
        Path dir = inv.path(output.isEmpty() ? "." : output);
        OutputFiles files = new OutputFiles();
        if (types.contains("controlplane")) {
            files.add(dir.resolve("controlplane.yaml"), controlPlane);
        }
        if (types.contains("worker")) {
            files.add(dir.resolve("worker.yaml"), worker);
        }
        if (types.contains("basaltconfig")) {
            files.add(dir.resolve("basaltconfig"), clientConfig);
        }
        files.write(inv.bool("force"));
        for (String type : types) {
            inv.err().println("generated " + dir.resolve(type.equals("basaltconfig") ? "basaltconfig" : type + ".yaml").normalize());
        }
        return 0;
    }

    static URI parseEndpoint(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new UsageException("cluster endpoint '" + text + "' must be an https URL with a host and port, e.g. "
                    + "https://10.5.0.2:6443 (" + e.getReason() + ")");
        }
        if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new UsageException("cluster endpoint '" + text + "' must be an https URL with a host, e.g. https://10.5.0.2:6443");
        }
        if (uri.getPort() == -1) {
            throw new UsageException("cluster endpoint '" + text + "' must name a port, e.g. https://" + uri.getHost() + ":6443");
        }
        return uri;
    }

    private static Set<String> outputTypes(Invocation inv) {
        List<String> requested = inv.strings("output-types");
        Set<String> types = new LinkedHashSet<>();
        for (String type : requested.isEmpty() ? List.of("controlplane", "worker", "basaltconfig") : requested) {
            if (!OUTPUT_TYPES.contains(type)) {
                throw new UsageException("--output-types: unknown type '" + type + "'; valid types are controlplane, worker, basaltconfig");
            }
            types.add(type.equals("talosconfig") ? "basaltconfig" : type);
        }
        return types;
    }

    private static SecretsBundle loadSecrets(Invocation inv) throws IOException {
        String file = inv.string("with-secrets");
        if (file.isEmpty()) {
            return SecretsBundle.generate();
        }
        Path path = inv.path(file);
        try {
            return SecretsBundle.parse(Files.readString(path, StandardCharsets.UTF_8), file);
        } catch (NoSuchFileException e) {
            throw new CliException("--with-secrets: file " + path + " does not exist");
        } catch (SecretsException e) {
            throw new CliException(e.getMessage());
        }
    }

    private static String patchAndValidate(Map<String, Object> tree, List<Patch> patches, String name, Invocation inv) {
        Map<String, Object> patched = switch (Patch.applyAll(tree, patches)) {
            case PatchResult.Applied(Map<String, Object> result) -> result;
            case PatchResult.Failed(List<Problem> problems) -> throw ConfigText.rejected("cannot patch " + name, problems);
        };
        String text = ConfigYaml.encode(patched);
        return switch (ConfigLoader.load(text, name, ValidationMode.METAL, false)) {
            case LoadResult.Loaded loaded -> text;
            case LoadResult.Rejected rejected -> throw ConfigText.rejected(
                    "generated " + name + " is not valid after patching (nothing was written)", rejected.errors());
        };
    }
}
