package io.k8scollector.demo;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalTime;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the log lines of the demo's one JVM go (the test cluster's, the receiver's and the
 * collector's): to a file, so that the demo's output stays its summary and next steps, or to
 * stderr with {@code --verbose}. Readable text with the MDC (the collector's run id and resource
 * type), not the collector's JSON lines: a person reads them, not a log collector.
 */
final class DemoLogging {

    private static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{20} %mdc - %msg%n";

    /** Libraries whose INFO lines say nothing the demo's user needs. */
    private static final List<String> QUIET = List.of("io.fabric8", "org.eclipse.jetty", "com.zaxxer.hikari",
            "org.flywaydb", "io.javalin");

    /** The continuous run's logger of its deltas. */
    private static final String DELTAS = "io.k8scollector.collector.run.ContinuousRun.deltas";

    private DemoLogging() {}

    /** Sends every log line to {@code file}, which is created or appended to. */
    static void toFile(Path file) {
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setFile(file.toString());
        install("file", appender);
    }

    /** Sends every log line to stderr. */
    static void toStderr() {
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setTarget("System.err");
        install("stderr", appender);
    }

    /**
     * Prints the continuous run's line per delta and heartbeat to {@code out}, as they come
     * ({@code demo --watch}), besides the log.
     */
    static void deltasTo(PrintStream out) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                out.println(LocalTime.now().withNano(0) + " " + event.getFormattedMessage());
            }
        };
        appender.setContext(context);
        appender.setName("deltas");
        appender.start();
        ch.qos.logback.classic.Logger deltas = context.getLogger(DELTAS);
        deltas.setLevel(Level.DEBUG);
        deltas.addAppender(appender);
    }

    private static void install(String name, OutputStreamAppender<ILoggingEvent> appender) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        appender.setContext(context);
        appender.setName(name);
        appender.setEncoder(encoder);
        appender.start();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(appender);
        QUIET.forEach(logger -> context.getLogger(logger).setLevel(Level.WARN));
    }
}
