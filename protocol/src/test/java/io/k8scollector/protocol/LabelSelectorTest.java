package io.k8scollector.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LabelSelectorTest {

    private static final Map<String, String> WEB = Map.of("app", "web", "tier", "front", "app.kubernetes.io/name", "shop");

    @ParameterizedTest(name = "{0} selects web: {1}, equality-based: {2}")
    @CsvSource(delimiter = ';', value = {
        "'';                          true;  true",
        "app=web;                     true;  true",
        "app==web;                    true;  true",
        "app=db;                      false; true",
        "app!=db;                     true;  true",
        "owner!=anyone;               true;  true",
        "app=web,tier!=front;         false; true",
        "app.kubernetes.io/name=shop; true;  true",
        "app in (web, db);            true;  false",
        "app notin (web,db);          false; false",
        "owner notin (x);             true;  false",
        "tier;                        true;  false",
        "!owner;                      true;  false",
        "!tier;                       false; false",
        "app in (web),!owner,tier=front; true; false"})
    void requirementsMustAllHold(String selector, boolean selects, boolean equalityBased) {
        LabelSelector parsed = LabelSelector.parse(selector);

        assertThat(parsed.test(WEB)).isEqualTo(selects);
        assertThat(parsed.isEqualityBased()).isEqualTo(equalityBased);
        assertThat(parsed.isEmpty()).isEqualTo(selector.isBlank());
    }

    @Test
    void readsEachRequirement() {
        assertThat(LabelSelector.parse("a=b, c!=d ,e in (x,y),!f").requirements())
                .extracting(LabelSelector.Requirement::key, LabelSelector.Requirement::operator)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("a", LabelSelector.Operator.EQUALS),
                        org.assertj.core.groups.Tuple.tuple("c", LabelSelector.Operator.NOT_EQUALS),
                        org.assertj.core.groups.Tuple.tuple("e", LabelSelector.Operator.IN),
                        org.assertj.core.groups.Tuple.tuple("f", LabelSelector.Operator.NOT_EXISTS));
    }

    @ParameterizedTest
    @ValueSource(strings = {"app=we b", "=web", "app=web,", "app in web", "app in (we b)", "-app=web"})
    void refusesWhatIsNotASelectorNamingTheRequirement(String selector) {
        assertThatThrownBy(() -> LabelSelector.parse(selector))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unable to parse requirement")
                .hasMessageContaining("allowed: a=b");
    }
}
