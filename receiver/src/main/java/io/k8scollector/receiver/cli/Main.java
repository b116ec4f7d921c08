package io.k8scollector.receiver.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code k8s-receiver serve|keys ...|clusters ...}. Exit codes: 0 done, 1 failed (logged with its
 * stack trace), 2 bad input (one line on stderr naming the bad value and what is allowed).
 */
@Command(name = "k8s-receiver", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "The reference receiver of the k8s-collector ingest protocol.",
        subcommands = {ServeCommand.class, KeysCommand.class, ClustersCommand.class})
public final class Main {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code. */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setParameterExceptionHandler((e, a) -> {
            System.err.println("k8s-receiver: " + e.getMessage() + " (see k8s-receiver --help)");
            return 2;
        });
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            if (e instanceof BadInput) {
                System.err.println("k8s-receiver: " + e.getMessage());
                return 2;
            }
            LOG.error("k8s-receiver failed.", e);
            System.err.println("k8s-receiver: " + describe(e));
            return 1;
        });
        return cli.execute(args);
    }

    /** The exception's message, after its type when that says more ({@code NullPointerException}, not {@code null}). */
    static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getName() : message;
    }

    /** {@code --version}: the receiver's version from the build. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"k8s-receiver " + version()};
        }
    }

    /** The receiver's version, as in {@code 1.0.0}, from the build. */
    static String version() {
        try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties is missing from the receiver's jar.");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
