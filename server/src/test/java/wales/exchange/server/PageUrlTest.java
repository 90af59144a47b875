package wales.exchange.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Items' public web pages, when configured, are what JSON-LD and iCalendar link to. */
class PageUrlTest {
    static final String SECURE = "901f7a1b-20f9-458c-9172-3f92ad923f8f";

    @RegisterExtension
    static final ExchangeServerExtension server = new ExchangeServerExtension("--in-memory", "--page-url",
            "https://www.exchangewales.org/{lang}/{segment}/{name}");

    @Test
    void jsonLdAndICalendarLinkToThePublicPage() throws Exception {
        HttpResponse<String> ld = server.get("/events/" + SECURE + "?lang=cy", "Accept", "application/ld+json");
        assertThat(new ObjectMapper().readTree(ld.body()).get("url").asText())
                .isEqualTo("https://www.exchangewales.org/cy/events/secure-accommodation-for-welfare-purposes");
        String ics = server.get("/events/" + SECURE + ".ics").body().replace("\r\n ", "");
        assertThat(ics).contains("URL:https://www.exchangewales.org/en/events/secure-accommodation-for-welfare-purposes");
    }

    @Test
    void aPatternMustBeAWebAddress() {
        assertThatThrownBy(() -> Settings.parse(new String[] {"--in-memory", "--port", "0", "--page-url", "javascript:x"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http(s) URL");
        assertThat(Settings.parse(new String[] {}, Map.of("EXCHANGE_PAGE_URL", "https://x.example/{id}")).pageUrl()).isEqualTo("https://x.example/{id}");
    }
}
