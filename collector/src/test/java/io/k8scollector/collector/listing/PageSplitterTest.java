package io.k8scollector.collector.listing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

@Timeout(30)
class PageSplitterTest {

    /** Delivers at most 1,000 bytes a read, as a network body would, so that items straddle reads and buffers. */
    private static InputStream trickling(String body) {
        return new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)) {
            @Override
            public synchronized int read(byte[] into, int offset, int length) {
                return super.read(into, offset, Math.min(length, 1000));
            }
        };
    }

    @Test
    void cutsEveryItemWholeAndInOrderAcrossBuffersWithItemsLargerThanABuffer() throws Exception {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String filler = i % 100 == 7 ? "x".repeat(700_000) : "y".repeat(i * 37 % 5000);
            items.add("{\"metadata\":{\"name\":\"item-" + i + "\"},\"data\":\"" + filler
                    + " \\\"}]{[ \\\\\",\"list\":[{\"a\":[1,2,{}]},null,\"}\"]}");
        }
        String body = "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{\"continue\":\"next\",\"resourceVersion\":\"12\"},"
                + "\"items\":[ " + String.join(" ,\n", items) + " ]}";
        ItemPipe<String> pipe = new ItemPipe<>();
        String[] token = {null};
        CompletableFuture<Integer> split = CompletableFuture.supplyAsync(() -> {
            try {
                int next = new PageSplitter(trickling(body), pipe, 1, metadata -> token[0] = metadata.path("continue").asString())
                        .split();
                pipe.end("done", null);
                return next;
            } catch (IOException e) {
                pipe.end(null, new IllegalStateException(e));
                return -1;
            }
        });

        List<String> read = new ArrayList<>();
        int expectedFirst = 1;
        for (ItemPipe.Next<String> next = pipe.take(); next instanceof ItemPipe.Batch<String> batch; next = pipe.take()) {
            ItemBatch items1 = batch.items();
            assertThat(items1.firstItem()).isEqualTo(expectedFirst);
            try (JsonParser parser = ItemLimits.LIST_RESPONSES.createParser(items1.bytes(), items1.from(),
                    items1.to() - items1.from())) {
                for (JsonToken t = parser.nextToken(); t != null; t = parser.nextToken()) {
                    read.add(ItemLimits.LIST_RESPONSES.writeValueAsString(parser.readValueAsTree()));
                    expectedFirst++;
                }
            }
            pipe.release(items1.bytes());
        }

        assertThat(split.get()).isEqualTo(301);
        assertThat(token[0]).isEqualTo("next");
        assertThat(read).hasSize(items.size());
        for (int i = 0; i < items.size(); i++) {
            assertThat(read.get(i)).isEqualTo(ItemLimits.LIST_RESPONSES.writeValueAsString(
                    ItemLimits.LIST_RESPONSES.readTree(items.get(i))));
        }
    }

    @Test
    void aBodyThatEndsBeforeTheListIsAnIoErrorAndOneThatIsNoObjectIsNoList() {
        ItemPipe<String> pipe = new ItemPipe<>();
        assertThatThrownBy(() -> new PageSplitter(trickling("{\"metadata\":{},\"items\":[{\"a\":1},{\"b\":"), pipe, 1,
                metadata -> { }).split()).isInstanceOf(IOException.class).hasMessageContaining("ended before");
        assertThatThrownBy(() -> new PageSplitter(trickling("[1,2]"), pipe, 1, metadata -> { }).split())
                .isInstanceOf(PageSplitter.NotAList.class);
    }
}
