package wales.exchange.delivery.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Accept elements with a malformed q-value are ignored (RFC 9110 lets a recipient ignore invalid elements). */
class AcceptHeaderFilterTest {
    @Test
    void malformedElementsAreDroppedAndWellFormedHeadersKept() {
        assertThat(AcceptHeaderFilter.clean("application/json;q=abc")).isEmpty();
        assertThat(AcceptHeaderFilter.clean("application/json;q=2, application/ld+json;q=0.5")).isEqualTo("application/ld+json;q=0.5");
        assertThat(AcceptHeaderFilter.clean("application/ld+json, application/json;q=NaN")).isEqualTo("application/ld+json");
        String fine = "application/ld+json;q=0.9,application/json;q=0.5, */*;q=0.1";
        assertThat(AcceptHeaderFilter.clean(fine)).isSameAs(fine);
    }
}
