package io.k8scollector.collector.tracking;

import io.k8scollector.collector.discovery.ResourceType;
import io.k8scollector.collector.watching.ObjectHead;
import io.k8scollector.protocol.RecordKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * What continuous mode keeps of every object it shipped: its identity, its resourceVersion and what
 * enrichment needs (its owners, and the one field an implied link reads), never its body, so that
 * memory grows by a small, fixed amount per object (docs/continuous.md gives the figure that
 * {@code ObjectIndexTest} measures). Keyed by the object's {@link RecordKey}.
 *
 * <p>Each object is one small entry in an open-addressing table keyed by 128 bits: the uid itself
 * when it is a UUID (as the API server makes them), else a SHA-256 prefix of the record key, where
 * a collision is as unlikely as a UUID's. Names are kept as UTF-8 bytes, namespaces shared, the
 * resourceVersion as a number when it is one. Thread-safe.
 */
public final class ObjectIndex {

    private static final int INITIAL_CAPACITY = 1024;
    /** Grows past 60 % full: linear probing stays short. */
    private static final double MAX_LOAD = 0.6;

    private static final byte UUID_KEY = 0;
    private static final byte TEXT_UID_KEY = 1;
    private static final byte NAME_KEY = 2;

    private final Map<String, String> namespaces = new HashMap<>();
    private Entry[] table = new Entry[INITIAL_CAPACITY];
    private int size;

    /** One object, as compact as a plain Java object gets. */
    private static final class Entry {
        long high;
        long low;
        /** The resourceVersion as a number, when {@link #textVersion} is null. */
        long version;
        ResourceType type;
        byte[] name;
        String namespace;
        /** Owner uids as UUID halves, two longs each; null without owners or when {@link #textOwners} holds them. */
        long[] owners;
        String[] textOwners;
        String textUid;
        String textVersion;
        String link;
        /** The last listing round that saw the object ({@link #listed}); 0 for none. */
        int round;
        byte keyForm;
        byte controller;
    }

    /**
     * Records {@code head} as shipped: a new entry, or the one with the same key replaced.
     *
     * @param link what an implied link reads of the object, or null
     */
    public synchronized void put(ResourceType type, ObjectHead head, String link) {
        RecordKey key = head.key();
        long[] bits = bits(key, head.uid());
        Entry entry = find(bits[0], bits[1]);
        if (entry == null) {
            entry = new Entry();
            entry.high = bits[0];
            entry.low = bits[1];
            insert(entry);
        }
        entry.keyForm = head.uid().isEmpty() ? NAME_KEY : uuid(head.uid()) != null ? UUID_KEY : TEXT_UID_KEY;
        entry.textUid = entry.keyForm == TEXT_UID_KEY ? head.uid() : null;
        entry.type = type;
        entry.name = head.name().getBytes(StandardCharsets.UTF_8);
        entry.namespace = namespaces.computeIfAbsent(head.namespace(), ns -> ns);
        setVersion(entry, head.resourceVersion());
        setOwners(entry, head.owners());
        entry.link = link;
    }

    /** The object of {@code key}, or null when none was recorded. */
    public synchronized IndexedObject get(RecordKey key) {
        long[] bits = bits(key, uidOf(key));
        Entry entry = find(bits[0], bits[1]);
        return entry == null ? null : view(entry);
    }

    /** The resourceVersion recorded for {@code key}, or null: whether a listed object changed since it was shipped. */
    public synchronized String resourceVersion(RecordKey key) {
        long[] bits = bits(key, uidOf(key));
        Entry entry = find(bits[0], bits[1]);
        return entry == null ? null : version(entry);
    }

    /**
     * Marks the object of {@code key} as seen by listing round {@code round} (a relist, which then
     * asks for what it did not see, {@link #unlisted}).
     *
     * @return the resourceVersion recorded for it, or null when none was: whether it changed since shipped
     */
    public synchronized String listed(RecordKey key, int round) {
        long[] bits = bits(key, uidOf(key));
        Entry entry = find(bits[0], bits[1]);
        if (entry == null) {
            return null;
        }
        entry.round = round;
        return version(entry);
    }

    /** The objects of {@code type} that listing round {@code round} did not see: gone since they were shipped. */
    public synchronized List<IndexedObject> unlisted(ResourceType type, int round) {
        List<IndexedObject> found = new ArrayList<>();
        for (Entry entry : table) {
            if (entry != null && entry.type.equals(type) && entry.round != round) {
                found.add(view(entry));
            }
        }
        return found;
    }

    /** Forgets {@code key}; answers what was recorded, or null. */
    public synchronized IndexedObject remove(RecordKey key) {
        long[] bits = bits(key, uidOf(key));
        int mask = table.length - 1;
        int slot = slot(bits[0], bits[1], mask);
        while (table[slot] != null) {
            Entry entry = table[slot];
            if (entry.high == bits[0] && entry.low == bits[1]) {
                IndexedObject removed = view(entry);
                table[slot] = null;
                size--;
                shiftBack(slot, mask);
                return removed;
            }
            slot = (slot + 1) & mask;
        }
        return null;
    }

    /** The objects of {@code type}, as views (a relist compares them with what it listed). */
    public synchronized List<IndexedObject> ofType(ResourceType type) {
        List<IndexedObject> found = new ArrayList<>();
        for (Entry entry : table) {
            if (entry != null && entry.type.equals(type)) {
                found.add(view(entry));
            }
        }
        return found;
    }

    /** Every object, as views, under this index's lock: {@code visit} must not call back into it. */
    public synchronized void forEach(Consumer<IndexedObject> visit) {
        for (Entry entry : table) {
            if (entry != null) {
                visit.accept(view(entry));
            }
        }
    }

    public synchronized int size() {
        return size;
    }

    private Entry find(long high, long low) {
        int mask = table.length - 1;
        int slot = slot(high, low, mask);
        while (table[slot] != null) {
            Entry entry = table[slot];
            if (entry.high == high && entry.low == low) {
                return entry;
            }
            slot = (slot + 1) & mask;
        }
        return null;
    }

    private void insert(Entry entry) {
        if (size + 1 > table.length * MAX_LOAD) {
            Entry[] old = table;
            table = new Entry[old.length * 2];
            for (Entry moved : old) {
                if (moved != null) {
                    place(moved);
                }
            }
        }
        place(entry);
        size++;
    }

    private void place(Entry entry) {
        int mask = table.length - 1;
        int slot = slot(entry.high, entry.low, mask);
        while (table[slot] != null) {
            slot = (slot + 1) & mask;
        }
        table[slot] = entry;
    }

    /** Backward-shift deletion: moves later entries of the probe run into the hole, so lookups need no tombstones. */
    private void shiftBack(int hole, int mask) {
        int slot = (hole + 1) & mask;
        while (table[slot] != null) {
            Entry entry = table[slot];
            int home = slot(entry.high, entry.low, mask);
            // the entry may fill the hole unless its home lies cyclically in (hole, slot]
            boolean stays = hole <= slot ? (home > hole && home <= slot) : (home > hole || home <= slot);
            if (!stays) {
                table[hole] = entry;
                table[slot] = null;
                hole = slot;
            }
            slot = (slot + 1) & mask;
        }
    }

    private static int slot(long high, long low, int mask) {
        long mixed = (high ^ Long.rotateLeft(low, 29)) * 0x9E3779B97F4A7C15L;
        return (int) (mixed >>> 40) & mask;
    }

    private IndexedObject view(Entry entry) {
        String uid = switch (entry.keyForm) {
            case UUID_KEY -> new UUID(entry.high, entry.low).toString();
            case TEXT_UID_KEY -> entry.textUid;
            default -> "";
        };
        List<String> owners = new ArrayList<>();
        if (entry.owners != null) {
            for (int i = 0; i < entry.owners.length; i += 2) {
                owners.add(new UUID(entry.owners[i], entry.owners[i + 1]).toString());
            }
        } else if (entry.textOwners != null) {
            owners.addAll(List.of(entry.textOwners));
        }
        return new IndexedObject(entry.type, uid, entry.namespace, new String(entry.name, StandardCharsets.UTF_8),
                version(entry), owners, entry.controller, entry.link);
    }

    private static String version(Entry entry) {
        return entry.textVersion != null ? entry.textVersion : Long.toString(entry.version);
    }

    private static void setVersion(Entry entry, String resourceVersion) {
        entry.textVersion = null;
        if (!resourceVersion.isEmpty() && resourceVersion.length() < 19 && resourceVersion.chars().allMatch(Character::isDigit)
                && (resourceVersion.length() == 1 || resourceVersion.charAt(0) != '0')) {
            entry.version = Long.parseLong(resourceVersion);
        } else {
            entry.textVersion = resourceVersion;
        }
    }

    private static void setOwners(Entry entry, List<ObjectHead.Owner> owners) {
        entry.owners = null;
        entry.textOwners = null;
        entry.controller = -1;
        if (owners.isEmpty()) {
            return;
        }
        long[] halves = new long[owners.size() * 2];
        for (int i = 0; i < owners.size(); i++) {
            UUID uuid = uuid(owners.get(i).uid());
            if (uuid == null) {
                entry.textOwners = owners.stream().map(ObjectHead.Owner::uid).toArray(String[]::new);
                halves = null;
                break;
            }
            halves[2 * i] = uuid.getMostSignificantBits();
            halves[2 * i + 1] = uuid.getLeastSignificantBits();
        }
        entry.owners = halves;
        for (int i = 0; i < owners.size() && i < Byte.MAX_VALUE; i++) {
            if (owners.get(i).controller()) {
                entry.controller = (byte) i;
                break;
            }
        }
    }

    private static String uidOf(RecordKey key) {
        return key.value().startsWith("u:") ? key.value().substring(2) : "";
    }

    /** The 128 bits an object is keyed by: its UUID, else a digest of its record key. */
    private static long[] bits(RecordKey key, String uid) {
        UUID uuid = uid.isEmpty() ? null : uuid(uid);
        if (uuid != null) {
            return new long[] {uuid.getMostSignificantBits(), uuid.getLeastSignificantBits()};
        }
        byte[] digest = sha256(key.value());
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++) {
            high = (high << 8) | (digest[i] & 0xff);
            low = (low << 8) | (digest[i + 8] & 0xff);
        }
        return new long[] {high, low};
    }

    /** {@code uid} as a UUID when it is one in canonical form (so that it is given back unchanged), else null. */
    private static UUID uuid(String uid) {
        if (uid.length() != 36) {
            return null;
        }
        try {
            UUID parsed = UUID.fromString(uid);
            return parsed.toString().equals(uid) ? parsed : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
