package io.k8scollector.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UidBitsTest {

    @ParameterizedTest
    @ValueSource(strings = {"0d3c1a7e-5b2f-4c1d-9e8f-7a6b5c4d3e2f", "ffffffff-ffff-ffff-ffff-ffffffffffff",
        "00000000-0000-0000-0000-000000000001"})
    void aCanonicalUidKeepsItsOwnBitsAndText(String uid) {
        UUID expected = UUID.fromString(uid);

        assertThat(UidBits.canonical(uid)).contains(new UidBits(expected.getMostSignificantBits(), expected.getLeastSignificantBits()));
        assertThat(UidBits.of(uid).text()).isEqualTo(uid);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0D3C1A7E-5B2F-4C1D-9E8F-7A6B5C4D3E2F", "not-a-uid", "", "0d3c1a7e-5b2f-4c1d-9e8f-7a6b5c4d3e2",
        "0d3c1a7e_5b2f-4c1d-9e8f-7a6b5c4d3e2f", "default/web-0"})
    void anyOtherTextIsNotCanonicalAndMapsToTheBitsOfANameBasedUuid(String uid) {
        UUID named = UUID.nameUUIDFromBytes(uid.getBytes(StandardCharsets.UTF_8));

        assertThat(UidBits.canonical(uid)).isEmpty();
        assertThat(UidBits.of(uid)).isEqualTo(new UidBits(named.getMostSignificantBits(), named.getLeastSignificantBits()))
                .isEqualTo(UidBits.of(uid));
        assertThat(UidBits.of(uid).text()).isNotEqualTo(uid);
    }
}
