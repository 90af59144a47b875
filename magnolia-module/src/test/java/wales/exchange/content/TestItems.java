package wales.exchange.content;

import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;

/** Fixtures for renderer tests: items with fixed audit stamps, and the demo webinar's core values. */
public final class TestItems {
    private TestItems() {
    }

    /** An item created 2020-06-01 and last modified 2020-08-20 by "editor". */
    public static Item item(String type, String id, long revision, Map<String, Object> values) {
        return new Item(type, id, "/" + type + "/2020/" + id, id, revision, OffsetDateTime.parse("2020-06-01T10:00:00+01:00"),
                "editor", OffsetDateTime.parse("2020-08-20T15:45:10+01:00"), "editor", values);
    }

    /** Title and summary in both languages, start and end in BST, scheduled; a fresh, mutable map. */
    public static Map<String, Object> webinar() {
        Map<String, Object> v = new HashMap<>();
        v.put("title", Map.of("en", "Webinar: Use of secure accommodation", "cy", "Gweminar: Defnyddio llety diogel"));
        v.put("summary", Map.of("en", "A free webinar.", "cy", "Gweminar am ddim."));
        v.put("startDate", OffsetDateTime.parse("2020-09-09T11:30:00+01:00"));
        v.put("endDate", OffsetDateTime.parse("2020-09-09T13:00:00+01:00"));
        v.put("status", "scheduled");
        return v;
    }
}
