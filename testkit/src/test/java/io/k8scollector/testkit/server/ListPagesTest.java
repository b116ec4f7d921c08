package io.k8scollector.testkit.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.testkit.catalog.TypeKey;
import org.junit.jupiter.api.Test;

class ListPagesTest {

    private static final ListPages.Request FIRST = request(null);
    private static final ListPages.Request SECOND = request("token");

    @Test
    void servesAPageOnlyAtTheRevisionItWasAssembledAt() {
        ListPages pages = new ListPages(1 << 20);
        pages.put(FIRST, 5, new byte[] {1});
        assertThat(pages.get(FIRST, 5)).hasValueSatisfying(body -> assertThat(body).containsExactly(1));
        assertThat(pages.get(FIRST, 6)).isEmpty();
        assertThat(pages.get(FIRST, 5)).as("an older revision than the newest seen").isEmpty();
    }

    @Test
    void dropsAPageAssembledBeforeTheLatestWrite() {
        ListPages pages = new ListPages(1 << 20);
        assertThat(pages.get(FIRST, 6)).isEmpty();
        pages.put(FIRST, 5, new byte[] {1});
        assertThat(pages.get(FIRST, 6)).isEmpty();
    }

    @Test
    void keepsItsFirstPagesWhenFullAndTakesMoreAfterTheNextWrite() {
        ListPages pages = new ListPages(10);
        pages.put(FIRST, 5, new byte[6]);
        pages.put(SECOND, 5, new byte[6]);
        assertThat(pages.get(FIRST, 5)).isPresent();
        assertThat(pages.get(SECOND, 5)).isEmpty();
        pages.put(SECOND, 6, new byte[6]);
        assertThat(pages.get(SECOND, 6)).isPresent();
        assertThat(pages.get(FIRST, 6)).isEmpty();
    }

    private static ListPages.Request request(String continueToken) {
        return new ListPages.Request(new TypeKey("", "configmaps"), "v1", "shop", null, null, 2, continueToken, ListForm.OBJECTS);
    }
}
