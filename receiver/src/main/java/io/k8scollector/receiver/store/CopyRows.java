package io.k8scollector.receiver.store;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Rows streamed into a PostgreSQL table with {@code COPY ... FROM STDIN (FORMAT binary)}: the
 * server fills its pages many rows at a time (one WAL record per page, not per row) and parses
 * no statement per row. COPY has no {@code ON CONFLICT}: a row whose key is already there fails
 * the whole COPY with a unique violation, and the caller falls back to upserts.
 */
final class CopyRows implements AutoCloseable {

    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0};
    /** Bytes sent to the server per message: a page of objects goes in a few. */
    private static final int BUFFER = 256 << 10;

    private final CopyIn copy;
    private final short columns;
    private final byte[] buffer = new byte[BUFFER];
    private int length;

    /** Starts {@code COPY table (columns) FROM STDIN (FORMAT binary)}; {@code columns} is a comma-separated list. */
    CopyRows(Connection c, String table, String columns) throws SQLException {
        this.copy = c.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("COPY " + table + " (" + columns + ") FROM STDIN (FORMAT binary)");
        this.columns = (short) columns.split(",").length;
        System.arraycopy(HEADER, 0, buffer, 0, HEADER.length);
        length = HEADER.length;
    }

    /** Starts the next row; then one call per column, in order. */
    CopyRows row() throws SQLException {
        room(2);
        putShort(columns);
        return this;
    }

    CopyRows bytes(byte[] value) throws SQLException {
        room(4);
        putInt(value.length);
        if (value.length > buffer.length - length) {
            flush();
            if (value.length > buffer.length) {
                copy.writeToCopy(value, 0, value.length);
                return this;
            }
        }
        System.arraycopy(value, 0, buffer, length, value.length);
        length += value.length;
        return this;
    }

    /** A text (or char) column; null is SQL NULL. */
    CopyRows text(String value) throws SQLException {
        if (value == null) {
            room(4);
            putInt(-1);
            return this;
        }
        return bytes(value.getBytes(StandardCharsets.UTF_8));
    }

    CopyRows bigint(long value) throws SQLException {
        room(12);
        putInt(8);
        putInt((int) (value >>> 32));
        putInt((int) value);
        return this;
    }

    CopyRows bool(boolean value) throws SQLException {
        room(5);
        putInt(1);
        buffer[length++] = (byte) (value ? 1 : 0);
        return this;
    }

    /** Ends the COPY and returns the rows stored; a refused row fails it here at the latest. */
    long end() throws SQLException {
        room(2);
        putShort((short) -1);
        flush();
        return copy.endCopy();
    }

    @Override
    public void close() throws SQLException {
        if (copy.isActive()) {
            // Ended early by an error, which is the one reported; the transaction is rolled back.
            copy.cancelCopy();
        }
    }

    private void room(int bytes) throws SQLException {
        if (length + bytes > buffer.length) {
            flush();
        }
    }

    private void flush() throws SQLException {
        if (length > 0) {
            copy.writeToCopy(buffer, 0, length);
            length = 0;
        }
    }

    private void putShort(short value) {
        buffer[length++] = (byte) (value >>> 8);
        buffer[length++] = (byte) value;
    }

    private void putInt(int value) {
        buffer[length++] = (byte) (value >>> 24);
        buffer[length++] = (byte) (value >>> 16);
        buffer[length++] = (byte) (value >>> 8);
        buffer[length++] = (byte) value;
    }
}
