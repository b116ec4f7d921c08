package io.k8scollector.collector.check;

import io.k8scollector.collector.check.CheckLine.Level;
import java.util.List;
import java.util.Optional;

/**
 * What {@code check} found: one line per check, and the least-privilege ClusterRole when the
 * cluster could be discovered.
 *
 * @param clusterRole the ClusterRole YAML for the types selected on this cluster, if discovered
 */
public record CheckReport(List<CheckLine> lines, Optional<String> clusterRole) {

    /** The exit code when a run would commit. */
    public static final int COMMITS = 0;

    /** The exit code when a run would fail, or, with {@code --strict}, leave anything out. */
    public static final int FAILS = 1;

    public CheckReport {
        lines = List.copyOf(lines);
    }

    /** 1 when any line fails, or when {@code strict} and any line warns; else 0. */
    public int exitCode(boolean strict) {
        return count(Level.FAIL) > 0 || (strict && count(Level.WARN) > 0) ? FAILS : COMMITS;
    }

    /** The last line: the verdict, and what it rests on. */
    public String summary(boolean strict) {
        long fails = count(Level.FAIL);
        long warns = count(Level.WARN);
        String counts = " (" + count(Level.OK) + " ok, " + warns + " warn, " + fails + " fail)";
        if (fails > 0) {
            return "summary: a run would fail" + counts + ": see the fail lines.";
        }
        if (warns > 0 && strict) {
            return "summary: a run would commit but leave out what the warn lines say, which --strict refuses" + counts + ".";
        }
        if (warns > 0) {
            return "summary: a run would commit, leaving out what the warn lines say" + counts + ".";
        }
        return "summary: a run would commit everything selected" + counts + ".";
    }

    private long count(Level level) {
        return lines.stream().filter(line -> line.level() == level).count();
    }
}
