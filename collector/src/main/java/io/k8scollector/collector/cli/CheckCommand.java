package io.k8scollector.collector.cli;

import io.k8scollector.collector.CollectorException;
import io.k8scollector.collector.check.CheckLine;
import io.k8scollector.collector.check.CheckReport;
import io.k8scollector.collector.check.Preflight;
import io.k8scollector.collector.config.CollectorConfig;
import io.k8scollector.collector.config.ConfigException;
import io.k8scollector.collector.discovery.ApiServer;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code check}: the preflight, with the run's own flags (a second {@link Main} holds them, so that
 * both read them alike). The check lines go to stdout, or to stderr with {@code --rbac}, whose
 * ClusterRole is then alone on stdout. Exit codes: 0 a run would commit, 1 a run would fail (or,
 * with {@code --strict}, skip anything), 2 bad configuration.
 */
@Command(name = "check", versionProvider = Main.VersionProvider.class, description = "Says what a run would do, without starting one: the API server, discovery, "
        + "which selected types may be listed (access reviews), Helm's storage, the redaction key and, unless -dry-run, "
        + "a login to the endpoint. One line per check: ok, warn (a run skips something) or fail (a run would fail).")
final class CheckCommand implements Callable<Integer> {

    @Option(names = {"--strict", "-strict"}, description = "Exit 1 when a run would skip anything (any warn line).")
    boolean strict;

    @Option(names = {"--rbac", "-rbac"},
            description = "Print the least-privilege ClusterRole for the types selected on this cluster on stdout "
                    + "(the check lines go to stderr).")
    boolean rbac;

    private final Main flags;
    private final Map<String, String> env;
    private final OutputStream stdout;
    private final PrintStream stderr;

    private CheckCommand(Main flags, Map<String, String> env, OutputStream stdout, PrintStream stderr) {
        this.flags = flags;
        this.env = env;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** The subcommand, its options followed by those of a run, read into {@code flags}. */
    static CommandLine command(Main flags, Map<String, String> env, OutputStream stdout, PrintStream stderr) {
        CommandSpec spec = CommandSpec.forAnnotatedObject(new CheckCommand(flags, env, stdout, stderr));
        spec.addMixin("run", CommandSpec.forAnnotatedObject(flags));
        return new CommandLine(spec);
    }

    @Override
    public Integer call() {
        flags.configureLogging();
        CollectorConfig config;
        try {
            config = CollectorConfig.from(flags.flags(), env);
        } catch (ConfigException e) {
            stderr.println("k8s-collector: " + e.getMessage());
            return Main.BAD_INPUT;
        }
        CheckReport report;
        try (ApiServer server = ApiServer.connect(config.kube())) {
            report = new Preflight(config, server).run();
        } catch (ConfigException e) {
            stderr.println("k8s-collector: " + e.getMessage());
            return Main.BAD_INPUT;
        } catch (CollectorException e) {
            stderr.println("k8s-collector: the check failed: " + e.getMessage());
            return Main.FAILED;
        }
        PrintStream lines = rbac ? stderr : new PrintStream(stdout, true, StandardCharsets.UTF_8);
        report.lines().stream().map(CheckLine::format).forEach(lines::println);
        lines.println(report.summary(strict));
        if (rbac && report.clusterRole().isPresent()) {
            PrintStream out = new PrintStream(stdout, true, StandardCharsets.UTF_8);
            out.print(report.clusterRole().get());
            out.flush();
        }
        lines.flush();
        return report.exitCode(strict);
    }
}
