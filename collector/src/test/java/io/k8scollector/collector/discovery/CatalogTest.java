package io.k8scollector.collector.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.protocol.Skipped;
import io.k8scollector.protocol.TypeRecord;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CatalogTest {

    @Test
    void everyServedTypeGetsARecordSayingWhetherAndWhyNotCollected() {
        ResourceType pods = new ResourceType("", "v1", "Pod", "pods", true, List.of("list"));
        ResourceType secrets = new ResourceType("", "v1", "Secret", "secrets", true, List.of("list"));
        ResourceType events = new ResourceType("", "v1", "Event", "events", true, List.of("list"));
        ResourceType reviews = new ResourceType("authorization.k8s.io", "v1", "SubjectAccessReview", "subjectaccessreviews",
                false, List.of("create"));
        Catalog catalog = new Catalog(List.of(pods, secrets, events, reviews), List.of(pods, secrets), List.of());

        List<TypeRecord> records = catalog.typeRecords(Map.of(secrets, Skipped.Reason.FORBIDDEN));

        assertThat(records).extracting(TypeRecord::resource, TypeRecord::collected, TypeRecord::skipReason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("pods", true, null),
                        org.assertj.core.groups.Tuple.tuple("secrets", false, "forbidden"),
                        org.assertj.core.groups.Tuple.tuple("events", false, "not-selected"),
                        org.assertj.core.groups.Tuple.tuple("subjectaccessreviews", false, "not-listable"));
    }
}
