package wales.exchange.delivery.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import wales.exchange.model.ContentType;
import wales.exchange.model.ModelLoader;

/** The work of one search is bounded: words per query and characters per word. */
class ListQuerySearchBoundsTest {
    final ContentType resource = ModelLoader.fromDirectory(Path.of("../light-modules/exchange")).get("resource");

    ListQuery parse(String q) {
        return ListQuery.parse(resource, new java.util.LinkedHashMap<>(Map.of("q", List.of(q))), false);
    }

    @Test
    void upToTenWordsOfUpToFortyCharactersAreSearched() {
        assertThat(parse("one two three four five six seven eight nine ten").q()).isNotNull();
        assertThat(parse("x".repeat(40)).q()).isNotNull();
    }

    @Test
    void moreWordsOrLongerWordsAreAClearBadRequest() {
        assertThatThrownBy(() -> parse("one two three four five six seven eight nine ten eleven"))
                .isInstanceOfSatisfying(ParamException.class, e -> assertThat(e.errors()).singleElement()
                        .satisfies(f -> assertThat(f.code()).isEqualTo("queryWords")));
        assertThatThrownBy(() -> parse("x".repeat(41)))
                .isInstanceOfSatisfying(ParamException.class, e -> assertThat(e.errors()).singleElement()
                        .satisfies(f -> assertThat(f.code()).isEqualTo("queryWord")));
    }
}
