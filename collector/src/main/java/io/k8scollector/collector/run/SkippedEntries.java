package io.k8scollector.collector.run;

import io.k8scollector.collector.discovery.ResourceType;
import io.k8scollector.protocol.Skipped;
import java.util.ArrayList;
import java.util.List;

/**
 * The skipped list of a continuous run: the entries the endpoint's current snapshot holds (what a
 * delta without {@code skipped} keeps) and those it will hold once the next delta commits (which
 * that delta sends whole when they changed). Used from the run's thread.
 */
final class SkippedEntries {

    /** What the endpoint holds, or will once the next delta commits. */
    private final List<Skipped> now = new ArrayList<>();
    /** What the endpoint's current snapshot holds. */
    private final List<Skipped> held = new ArrayList<>();
    private boolean changed;

    /** A full fetching committed with {@code skipped}: the endpoint holds them, nothing to send. */
    void reset(List<Skipped> skipped) {
        now.clear();
        now.addAll(skipped);
        held.clear();
        held.addAll(skipped);
        changed = false;
    }

    /** The entry of {@code type} in what the endpoint holds, or null. */
    Skipped forType(ResourceType type) {
        for (Skipped entry : now) {
            if (sameType(entry, type.group(), type.resource())) {
                return entry;
            }
        }
        return null;
    }

    private static boolean sameType(Skipped entry, String group, String resource) {
        return Skipped.TYPE.equals(entry.subject()) && group.equals(entry.group() == null ? "" : entry.group())
                && resource.equals(entry.resource());
    }

    /** Reports {@code entry}'s type skipped from the next delta on, in place of an entry it had. */
    void skip(Skipped entry) {
        String group = entry.group() == null ? "" : entry.group();
        now.removeIf(kept -> sameType(kept, group, entry.resource()));
        now.add(entry);
        changed = true;
    }

    /** The entries leave the list from the next delta on. */
    void remove(List<Skipped> entries) {
        now.removeAll(entries);
        changed = true;
    }

    /** The entries of release storage that could not be read (Helm's, and Argo CD's Applications). */
    List<Skipped> releaseStorage() {
        return now.stream().filter(entry -> Skipped.RECORD.equals(entry.subject())
                && Skipped.HELM_RELEASE.equals(entry.recordKind()) && entry.source() != null).toList();
    }

    /** The complete list for the next delta when it changed, else null (the endpoint keeps what it holds). */
    List<Skipped> changedList() {
        return changed ? List.copyOf(now) : null;
    }

    /** What the endpoint's current snapshot holds. */
    List<Skipped> held() {
        return List.copyOf(held);
    }

    /**
     * A delta committed with {@code sent} (null when it sent none), and the records the endpoint
     * refused alone in it, which are skipped in its snapshot from now on: later lists sent keep them.
     */
    void committed(List<Skipped> sent, List<Skipped> refusedAlone) {
        if (sent != null) {
            changed = false;
            held.clear();
            held.addAll(sent);
        }
        for (Skipped entry : refusedAlone) {
            if (!held.contains(entry)) {
                held.add(entry);
            }
            if (!now.contains(entry)) {
                now.add(entry);
            }
        }
    }
}
