package io.k8scollector.collector.shipping;

import io.k8scollector.collector.config.ShippingSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPInputStream;

/**
 * gzip at a fixed level (RFC 1952), with its deflaters reused from body to body. A zlib deflater
 * holds about 256 KiB outside the heap; a {@code GZIPOutputStream} per body allocated and freed one
 * for every page, start, commit and heartbeat, several a second in a continuous run, and glibc
 * kept what they freed resident, in pieces too scattered to give back. Here a body takes an idle
 * deflater (or makes one), and closing its stream resets it and hands it back, so that the
 * collector holds at most as many as compress at once: the senders and the run's own thread.
 * Decoding (a 413's halves, a 415's plain form) is rare and keeps a fresh inflater, which its
 * stream's close ends. Thread-safe.
 */
final class GzipCompressor implements Compressor {

    /** The senders at most, the run's thread and an abort's: more never compress at once. */
    private static final int IDLE_AT_MOST = ShippingSettings.MAX_CONCURRENCY + 2;
    private static final int BUFFER_BYTES = 16 * 1024;
    /** The member header: magic, deflate, no flags, no time, no extra flags, OS unknown (as the JDK's). */
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, 0};

    private final int level;
    private final BlockingQueue<Deflater> idle = new ArrayBlockingQueue<>(IDLE_AT_MOST);
    private volatile boolean closed;

    GzipCompressor(int level) {
        if (level < 0 || level > 9) {
            throw new IllegalArgumentException("gzip level must be from 0 to 9, was " + level);
        }
        this.level = level;
    }

    @Override
    public Optional<String> encoding() {
        return Optional.of("gzip");
    }

    @Override
    public OutputStream wrap(OutputStream out) throws IOException {
        Deflater deflater = idle.poll();
        if (deflater == null) {
            deflater = new Deflater(level, true);
        }
        try {
            out.write(HEADER);
        } catch (IOException | RuntimeException e) {
            giveBack(deflater);
            throw e;
        }
        return new Member(out, deflater);
    }

    @Override
    public InputStream unwrap(InputStream in) throws IOException {
        return new GZIPInputStream(in, BUFFER_BYTES);
    }

    /** Ends the idle deflaters; one still in use is ended when its stream closes. */
    @Override
    public void close() {
        closed = true;
        for (Deflater deflater = idle.poll(); deflater != null; deflater = idle.poll()) {
            deflater.end();
        }
    }

    private void giveBack(Deflater deflater) {
        deflater.reset();
        if (closed || !idle.offer(deflater)) {
            deflater.end();
        }
    }

    /** One gzip member: the deflated body, then its CRC-32 and length; closing hands the deflater back. */
    private final class Member extends DeflaterOutputStream {

        private final CRC32 crc = new CRC32();
        private boolean released;

        Member(OutputStream out, Deflater deflater) {
            super(out, deflater, BUFFER_BYTES);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            super.write(bytes, offset, length);
            crc.update(bytes, offset, length);
        }

        @Override
        public void finish() throws IOException {
            if (def.finished()) {
                return;
            }
            super.finish();
            int value = (int) crc.getValue();
            int size = (int) def.getBytesRead();
            out.write(new byte[] {
                (byte) value, (byte) (value >> 8), (byte) (value >> 16), (byte) (value >> 24),
                (byte) size, (byte) (size >> 8), (byte) (size >> 16), (byte) (size >> 24)});
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } finally {
                if (!released) {
                    released = true;
                    giveBack(def);
                }
            }
        }
    }
}
