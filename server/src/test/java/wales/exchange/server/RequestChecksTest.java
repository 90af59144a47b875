package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RequestChecksTest {

    @Test
    void pathsMustBeOriginFormWithWellFormedUtf8Escapes() {
        assertThat(RequestChecks.path("/.rest/exchange/v1/events/caf%C3%A9")).isNull();
        assertThat(RequestChecks.path("/a/b;c=d/e:f@g~h")).isNull();
        assertThat(RequestChecks.path("*")).isEqualTo(RequestChecks.TARGET);
        assertThat(RequestChecks.path("http://x/")).isEqualTo(RequestChecks.TARGET);
        for (String p : List.of("/a[b", "/a]", "/a b", "/a{b}", "/a|b", "/a\\b", "/a\"b", "/a<b>", "/a^b", "/a`b")) {
            assertThat(RequestChecks.path(p)).as(p).isEqualTo(RequestChecks.PATH);
        }
        for (String p : List.of("/a%zz", "/a%", "/a%4", "/a%00", "/a%C3%28", "/a%FF", "/a%C3", "/a%ED%A0%80", "/caf\u00e9")) {
            assertThat(RequestChecks.path(p)).as(p).isEqualTo(RequestChecks.ENCODING);
        }
    }

    @Test
    void queriesMayHaveBracketsButNotBrokenEscapes() {
        assertThat(RequestChecks.query("")).isNull();
        assertThat(RequestChecks.query("kind[in]=a,b&q=caf%C3%A9+x&x=%2B01:00&y=/?z")).isNull();
        for (String q : List.of("q=%zz", "q=%", "%zz=1", "q=a%00", "q=%C3%28", "q=%FF")) {
            assertThat(RequestChecks.query(q)).as(q).isEqualTo(RequestChecks.ENCODING);
        }
        assertThat(RequestChecks.query("q=a|b")).isEqualTo(RequestChecks.PATH);
    }

    @Test
    void parametersAreCountedLikeTheServerSeesThem() {
        assertThat(RequestChecks.parameterCount("")).isZero();
        assertThat(RequestChecks.parameterCount("a=1&b=2&&c")).isEqualTo(3);
        assertThat(RequestChecks.parameterCount("&&&")).isZero();
    }

    @Test
    void hostsMustBeOneHostWithAnOptionalPort() {
        assertThat(RequestChecks.host(List.of("localhost:8080"), true)).isNull();
        assertThat(RequestChecks.host(List.of("[::1]:8080"), true)).isNull();
        assertThat(RequestChecks.host(List.of(), false)).isNull();
        assertThat(RequestChecks.host(List.of(), true)).isEqualTo(RequestChecks.HOST);
        assertThat(RequestChecks.host(List.of("a b"), true)).isEqualTo(RequestChecks.HOST);
        assertThat(RequestChecks.host(List.of("a/b"), true)).isEqualTo(RequestChecks.HOST);
        assertThat(RequestChecks.host(List.of("a", "b"), true)).isEqualTo(RequestChecks.HOST);
    }

    @Test
    void malformedLanguageAndMediaRangesAreDropped() {
        assertThat(RequestChecks.acceptLanguage(List.of("cy;q="))).isNull();
        assertThat(RequestChecks.acceptLanguage(List.of("cy;q=2, en;q=0.5"))).isEqualTo("en;q=0.5");
        assertThat(RequestChecks.acceptLanguage(List.of("cy-GB,cy;q=0.9,en;q=Infinity,*;q=0.1"))).isEqualTo("cy-GB, cy;q=0.9, *;q=0.1");
        assertThat(RequestChecks.acceptLanguage(List.of("en;q=1.000", "cy;q=0.001"))).isEqualTo("en;q=1.000, cy;q=0.001");
        assertThat(RequestChecks.acceptLanguage(List.of("cy;q=1.5", "cy;q=0.0001", "toolonglanguage"))).isNull();
        assertThat(RequestChecks.accept(List.of("application/json;q=abc, */*;q=0.1"))).isEqualTo("*/*;q=0.1");
        assertThat(RequestChecks.accept(List.of("text/calendar;charset=\"utf-8\", application/ld+json"))).isEqualTo("text/calendar;charset=\"utf-8\", application/ld+json");
        assertThat(RequestChecks.accept(List.of(";;"))).isNull();
        assertThat(RequestChecks.contentType(null)).isNull();
        assertThat(RequestChecks.contentType("application/json; charset=utf-8")).isNull();
        assertThat(RequestChecks.contentType("not a type")).isEqualTo(RequestChecks.CONTENT_TYPE);
    }
}
