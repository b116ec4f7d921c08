package io.k8scollector.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartLintTest {

    @TempDir
    Path home;

    @Test
    void lintPassesStrictWithOnlyTheRequiredValues() {
        Command.Result result = new Helm(home).lint(ValueSets.REQUIRED);

        assertThat(result.succeeded()).as(result.stdout() + result.stderr()).isTrue();
        assertThat(result.stdout()).contains("0 chart(s) failed").doesNotContain("[WARNING]");
    }

    @Test
    void lintPassesStrictWithEveryValueChanged() {
        Command.Result result = new Helm(home).lint(ValueSets.NON_DEFAULT);

        assertThat(result.succeeded()).as(result.stdout() + result.stderr()).isTrue();
        assertThat(result.stdout()).contains("0 chart(s) failed").doesNotContain("[WARNING]");
    }

    @Test
    void lintFailsWhenNoValueIsGiven() {
        Command.Result result = new Helm(home).lint("{}");

        assertThat(result.succeeded()).isFalse();
        assertThat(result.stdout() + result.stderr()).contains("clusterId");
    }
}
