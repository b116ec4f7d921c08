package io.k8scollector.collector.config;

import java.nio.file.Path;

/**
 * What the command line said, before validation.
 *
 * @param external the kubeconfig given with {@code -external}/{@code --kubeconfig}, or null
 * @param configDir the config directory ({@code -config}, default {@code /etc/config})
 * @param clusterId the positional cluster id, or null to fall back on {@code CLUSTER_ID}
 * @param context the kubeconfig context ({@code --context}), or null for the current one
 * @param watch {@code -watch}: continuous mode, whatever {@code collector.mode} says
 */
public record CommandLineFlags(
        Path external, Path configDir, boolean debug, boolean dryRun, String clusterId, String context, boolean watch) {

    /** The config directory the original collector read when {@code -config} is not given. */
    public static final Path DEFAULT_CONFIG_DIR = Path.of("/etc/config");

    /** The flags of a run without {@code -watch}. */
    public CommandLineFlags(Path external, Path configDir, boolean debug, boolean dryRun, String clusterId, String context) {
        this(external, configDir, debug, dryRun, clusterId, context, false);
    }
}
