package io.k8scollector.collector.check;

import java.util.Locale;

/**
 * One check's outcome, printed as {@code ok|warn|fail  <what>: <detail>}.
 *
 * @param what what was checked ({@code API server}, {@code list pods})
 * @param detail what was found and, for a warning or failure, why and what would fix it
 */
public record CheckLine(Level level, String what, String detail) {

    /** How a check came out: a run goes on past a warning (it skips something), not past a failure. */
    public enum Level {
        OK,
        WARN,
        FAIL;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static CheckLine ok(String what, String detail) {
        return new CheckLine(Level.OK, what, detail);
    }

    static CheckLine warn(String what, String detail) {
        return new CheckLine(Level.WARN, what, detail);
    }

    static CheckLine fail(String what, String detail) {
        return new CheckLine(Level.FAIL, what, detail);
    }

    /** The printed line, its level padded so that the columns align. */
    public String format() {
        return String.format(Locale.ROOT, "%-4s  %s: %s", level.label(), what, detail);
    }
}
