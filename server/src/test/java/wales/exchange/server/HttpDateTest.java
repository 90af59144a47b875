package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import wales.exchange.content.Item;

/**
 * {@code Last-Modified} is an IMF-fixdate (RFC 9110, 5.6.7: a sender MUST generate it, the day in two digits), on the
 * first nine days of a month too, whether the answer comes from the full chain, the fast path or the response cache;
 * and {@code If-Modified-Since} answers 304 in each of the three forms a recipient must accept (5.6.7: IMF-fixdate, and
 * the obsolete RFC 850 and asctime forms).
 */
class HttpDateTest {
    /** The fifth of the month: RFC 1123's formatter would write the day as one digit. */
    static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-03-05T10:15:30Z"));
    @RegisterExtension
    static final ExchangeServerExtension server = new ExchangeServerExtension("--in-memory", "--rate-limit", "1000000")
            .withClock(CLOCK);

    @Test
    void lastModifiedIsAnImfFixdateAndIfModifiedSinceIsReadInAnyOfTheThreeForms() throws Exception {
        Item item = server.withSession((s, svc) -> svc.create(s, "resource", Map.of(
                "title", Map.of("en", "Dated on the fifth", "cy", "Dyddiedig ar y pumed"),
                "kind", "report", "moderationState", "published"), "editor"));
        String fixdate = "Thu, 05 Mar 2026 10:15:30 GMT";
        for (String path : new String[] {"/resources/" + item.id(), "/resources?kind=report&sort=-lastModified&limit=1"}) {
            // the full chain (cross-origin), then the fast path (cold), then the response cache
            for (String[] headers : new String[][] {{"Origin", "https://elsewhere.example"}, {}, {}}) {
                HttpResponse<String> r = server.get(path, headers);
                assertThat(r.statusCode()).as(path).isEqualTo(200);
                assertThat(r.headers().firstValue("Last-Modified")).as(path).contains(fixdate);
            }
            for (String since : new String[] {fixdate, "Thursday, 05-Mar-26 10:15:30 GMT", "Thu Mar  5 10:15:30 2026"}) {
                assertThat(server.get(path, "If-Modified-Since", since).statusCode()).as("%s since %s", path, since).isEqualTo(304);
            }
            // a second earlier: modified since, in each form
            for (String since : new String[] {"Thu, 05 Mar 2026 10:15:29 GMT", "Thursday, 05-Mar-26 10:15:29 GMT", "Thu Mar  5 10:15:29 2026"}) {
                assertThat(server.get(path, "If-Modified-Since", since).statusCode()).as("%s since %s", path, since).isEqualTo(200);
            }
        }
    }
}
