package io.k8scollector.receiver.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code k8s-receiver serve|keys ...|clusters ...}. Exit codes: 0 done, 1 failed, 2 bad input (one line on
 * stderr naming the bad value and what is allowed).
 */
@Command(name = "k8s-receiver", mixinStandardHelpOptions = true, version = "k8s-receiver 1.0.0",
        description = "The reference receiver of the k8s-collector ingest protocol.",
        subcommands = {ServeCommand.class, KeysCommand.class, ClustersCommand.class})
public final class Main {

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
            if (e instanceof IllegalArgumentException) {
                System.err.println("k8s-receiver: " + e.getMessage());
                return 2;
            }
            System.err.println("k8s-receiver: " + e.getMessage());
            return 1;
        });
        return cli.execute(args);
    }
}
