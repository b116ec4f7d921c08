package io.k8scollector.collector.cli;

import io.k8scollector.collector.CollectorException;
import io.k8scollector.collector.Version;
import io.k8scollector.collector.config.CollectorConfig;
import io.k8scollector.collector.config.CommandLineFlags;
import io.k8scollector.collector.config.ConfigException;
import io.k8scollector.collector.config.ContinuousSettings;
import io.k8scollector.collector.discovery.ApiServer;
import io.k8scollector.collector.health.CollectorHealth;
import io.k8scollector.collector.health.CollectorMetrics;
import io.k8scollector.collector.health.HealthServer;
import io.k8scollector.collector.run.CollectionRun;
import io.k8scollector.collector.run.ContinuousRun;
import io.k8scollector.collector.run.RunReport;
import io.k8scollector.collector.shipping.DryRunSink;
import io.k8scollector.collector.shipping.HttpSink;
import io.k8scollector.collector.shipping.Sink;
import io.k8scollector.collector.watching.WatchTiming;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * The collector's command line, drop-in compatible with the original Go collector: single-dash
 * long flags ({@code -external}, {@code -config}, {@code -debug}, {@code -dry-run}) with their
 * {@code --} and {@code =value} forms, the cluster id as the argument or {@code CLUSTER_ID}.
 * Exit codes: 0 success, 1 the run failed, 2 bad input or configuration (found before anything
 * is contacted).
 */
@Command(
        name = "k8s-collector",
        versionProvider = Main.VersionProvider.class,
        footer = {"", "bin/k8s-collector demo runs the embedded demo (test cluster + receiver + collector); "
                + "a cluster named demo is given after the flags or in CLUSTER_ID.",
            "k8s-collector check [--strict] [--rbac] [flags] CLUSTER_ID says what a run would do, without starting one."},
        description = "Collects a Kubernetes cluster's objects and ships them to an ingest endpoint "
                + "(or, with -dry-run, writes them to stdout).")
public final class Main implements Callable<Integer> {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int BAD_INPUT = 2;

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    @Option(names = {"-external", "--external", "-kubeconfig", "--kubeconfig"}, paramLabel = "PATH",
            description = "Kubeconfig file to use (default: in-cluster service account, else KUBECONFIG or ~/.kube/config).")
    Path external;

    @Option(names = {"-config", "--config"}, paramLabel = "DIR", description = "Config directory, one file per key (default: /etc/config).")
    Path configDir = CommandLineFlags.DEFAULT_CONFIG_DIR;

    @Option(names = {"-debug", "--debug"}, arity = "0..1", fallbackValue = "true", description = "Readable debug logs instead of JSON lines.")
    boolean debug;

    @Option(names = {"-dry-run", "--dry-run"}, arity = "0..1", fallbackValue = "true",
            description = "Write the records to stdout as one JSON document; needs no keys and contacts no endpoint.")
    boolean dryRun;

    @Option(names = {"-watch", "--watch"}, arity = "0..1", fallbackValue = "true",
            description = "Continuous mode (collector.mode=continuous): watch the cluster and ship each change.")
    boolean watch;

    @Option(names = {"-context", "--context"}, paramLabel = "NAME", description = "Kubeconfig context (default: the current one).")
    String context;

    // picocli's standard help options, with the single-dash long forms of Go's flags (-help, -version)
    @Option(names = {"-h", "-help", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = {"-V", "-version", "--version"}, versionHelp = true, description = "Print version information and exit.")
    boolean version;

    @Parameters(arity = "0..1", paramLabel = "CLUSTER_ID", description = "The cluster id (default: the CLUSTER_ID variable).")
    String clusterId;

    private final Map<String, String> env;
    private final OutputStream stdout;
    private final PrintStream stderr;
    private final boolean ownsLogging;

    private Main(Map<String, String> env, OutputStream stdout, PrintStream stderr, boolean ownsLogging) {
        this.env = env;
        this.stdout = stdout;
        this.stderr = stderr;
        this.ownsLogging = ownsLogging;
    }

    /**
     * The JDK HTTP client's read size ({@code jdk.httpclient.bufsize}, 16 KiB by default), unless
     * set on the command line: every read goes through several of its threads and queues, and a
     * list response of 500 Pods is about 2 MB; reads four times larger save CPU and wall time for
     * some more peak RSS (docs/benchmarks.md has the figures).
     */
    private static final String HTTP_READ_BYTES = "65536";

    public static void main(String[] args) {
        if (System.getProperty("jdk.httpclient.bufsize") == null) {
            System.setProperty("jdk.httpclient.bufsize", HTTP_READ_BYTES);
        }
        int code = run(args, System.getenv(), System.out, System.err);
        stopHttpSelectors();
        System.exit(code);
    }

    /**
     * Ends the selector threads of the JDK's HTTP clients (fabric8's and the sink's). Java 17's
     * client cannot be closed, and its selector thread waits in a native call, for which the JVM
     * waits up to 300 ms at exit (docs/benchmarks.md); that thread ends at once when interrupted.
     * Nothing runs on those clients any more.
     */
    private static void stopHttpSelectors() {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith("HttpClient-") && thread.getName().endsWith("-SelectorManager")) {
                thread.interrupt();
            }
        }
    }

    /**
     * Runs the collector as the command line would, for tests and the demo.
     *
     * @param stdout receives the dry-run document and nothing else
     * @return the exit code
     */
    public static int run(String[] args, Map<String, String> env, OutputStream stdout, PrintStream stderr) {
        return run(args, env, stdout, stderr, true);
    }

    /**
     * Runs the collector as the command line would inside a program that configures logging
     * itself (the demo, which sends every log line of its one JVM to a file): the run's log lines
     * go where that configuration sends them, not to stderr as JSON.
     *
     * @param stdout receives the dry-run document and nothing else
     * @return the exit code
     */
    public static int runEmbedded(String[] args, Map<String, String> env, OutputStream stdout, PrintStream stderr) {
        return run(args, env, stdout, stderr, false);
    }

    private static int run(String[] args, Map<String, String> env, OutputStream stdout, PrintStream stderr,
            boolean ownsLogging) {
        CommandLine line = new CommandLine(new Main(env, stdout, stderr, ownsLogging));
        if (args.length > 0 && args[0].equals("demo")) {
            // Only in first place: after the flags, "demo" is the original's positional cluster id.
            line.addSubcommand("demo", new Demo());
        } else if (args.length > 0 && args[0].equals("check")) {
            line.addSubcommand("check", CheckCommand.command(new Main(env, stdout, stderr, ownsLogging), env, stdout, stderr));
        }
        line.setOut(new PrintWriter(new java.io.OutputStreamWriter(stdout, StandardCharsets.UTF_8), true));
        line.setErr(new PrintWriter(stderr, true, StandardCharsets.UTF_8));
        line.setParameterExceptionHandler((e, arguments) -> {
            e.getCommandLine().getErr().println("k8s-collector: " + e.getMessage());
            e.getCommandLine().getErr().println("Run with --help for the options.");
            return BAD_INPUT;
        });
        line.setExecutionExceptionHandler((e, commandLine, parsed) -> unexpected(e, stderr));
        return line.execute(args);
    }

    /**
     * A failure the run did not expect (a bug, not a condition it handles): logged with its stack
     * trace, and one line on stderr that names it even when it has no message.
     */
    static int unexpected(Exception e, PrintStream stderr) {
        LOG.error("The run failed unexpectedly.", e);
        stderr.println("k8s-collector: the run failed unexpectedly: " + describe(e));
        return FAILED;
    }

    /** The exception's message, after its type when that says more ({@code NullPointerException}, not {@code null}). */
    static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getName() : e.getClass().getSimpleName() + ": " + message;
    }

    @Override
    public Integer call() {
        configureLogging();
        CollectorConfig config;
        try {
            config = CollectorConfig.from(flags(), env);
        } catch (ConfigException e) {
            stderr.println("k8s-collector: " + e.getMessage());
            return BAD_INPUT;
        }
        try {
            return config.continuous().continuous() ? continuous(config) : once(config);
        } catch (ConfigException e) {
            stderr.println("k8s-collector: " + e.getMessage());
            return BAD_INPUT;
        } catch (CollectorException e) {
            LOG.error("The run failed: {}", e.getMessage());
            stderr.println("k8s-collector: the run failed: " + e.getMessage());
            return FAILED;
        }
    }

    /** CronJob mode and dry-runs: one collection, its summary on stderr. */
    private int once(CollectorConfig config) {
        try (ApiServer server = ApiServer.connect(config.kube()); Sink sink = sink(config)) {
            RunReport report = new CollectionRun(config, server, sink, Clock.systemUTC()).run();
            stderr.print(report.summary());
            return OK;
        }
    }

    /**
     * Continuous mode: runs until SIGTERM (exit 0, once the pending changes are shipped within
     * {@code collector.shutdownSeconds}) or a failure it cannot get past (exit 1). The shutdown
     * hook asks the run to stop and waits for it.
     */
    private int continuous(CollectorConfig config) {
        ContinuousSettings settings = config.continuous();
        CollectorHealth health = new CollectorHealth(Clock.systemUTC(), settings.heartbeat());
        CollectorMetrics metrics = new CollectorMetrics();
        try (ApiServer server = ApiServer.connect(config.kube()); HttpSink sink = new HttpSink(config.shipping());
                HealthServer healthServer = settings.metricsPort().map(port -> HealthServer.start(port, health, metrics))
                        .orElse(null)) {
            ContinuousRun run = new ContinuousRun(config, server, sink, Clock.systemUTC(), health, metrics,
                    WatchTiming.DEFAULT);
            Thread hook = new Thread(() -> {
                run.stop();
                try {
                    run.awaitFinished(settings.shutdown().plusSeconds(5));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (ownsLogging) {
                    // A JVM ended by SIGTERM exits 143 once its hooks are done; the protocol asks for 0
                    // once the last delta had its chance. Embedded (the demo), the host program decides.
                    Runtime.getRuntime().halt(OK);
                }
            }, "shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            int code = run.run();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                LOG.debug("Stopping on SIGTERM.");
            }
            return code == ContinuousRun.STOPPED ? OK : FAILED;
        }
    }

    /** Logs to stderr as {@code -debug} says, unless the program that runs this one configures logging. */
    void configureLogging() {
        if (ownsLogging) {
            Logging.configure(debug);
        }
    }

    /** What the command line said; {@code check} reads its own copy of the run's flags through it. */
    CommandLineFlags flags() {
        return new CommandLineFlags(external, configDir, debug, dryRun, clusterId, context, watch);
    }

    private Sink sink(CollectorConfig config) {
        return config.dryRun() ? new DryRunSink(stdout) : new HttpSink(config.shipping());
    }

    /** {@code demo}: the demo is a separate jar, so that the collector's image ships only the collector. */
    @Command(name = "demo",
            description = "Explains how to run the demo (test cluster + receiver + collector), which is not in this jar.")
    static final class Demo implements Callable<Integer> {

        @Option(names = {"-h", "-help", "--help"}, usageHelp = true, description = "Show this help message and exit.")
        boolean help;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getErr().println(
                    "The demo is not part of the collector's jar: run it with `bin/k8s-collector demo` from the project's folder.");
            return BAD_INPUT;
        }
    }

    /** {@code --version}: the collector's version from the build. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"k8s-collector " + Version.current()};
        }
    }
}
