package wales.exchange.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Ties the field names the code uses to the YAML model, the single source of truth. */
class FieldsTest {
    private final ContentModel model = ModelLoader.fromClasspath(getClass().getClassLoader());

    private Set<String> modelNames() {
        Set<String> names = new HashSet<>();
        for (ContentType t : model.types()) {
            t.properties().forEach(p -> names.add(p.name()));
            t.subModels().values().forEach(sm -> sm.properties().forEach(p -> names.add(p.name())));
        }
        return names;
    }

    @Test
    void everyNamedFieldExistsInTheModel() throws Exception {
        Set<String> names = modelNames();
        int checked = 0;
        for (Field f : Fields.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                assertThat(names).as(f.getName()).contains((String) f.get(null));
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(10);
    }

    @Test
    void onlyEventsAreEvents() {
        assertThat(Fields.isEvent(model.get("event"))).isTrue();
        assertThat(Fields.isEvent(model.get("resource"))).isFalse();
        assertThat(Fields.isEvent(model.get("caseStudy"))).isFalse();
    }

    /** Delivery and events code reads model values through the constants, never a literal model name. */
    @Test
    void deliveryAndEventsReadModelValuesThroughTheConstants() throws Exception {
        Set<String> names = modelNames();
        Pattern read = Pattern.compile("(?:\\.get|\\.property|\\.range|getOrDefault|Entry\\.text\\([^,]+,)\\s*\\(?\\s*\"([A-Za-z]+)\"");
        List<String> found = new java.util.ArrayList<>();
        for (String dir : List.of("src/main/java/wales/exchange/delivery", "src/main/java/wales/exchange/events")) {
            try (Stream<Path> files = Files.walk(Path.of(dir))) {
                for (Path p : files.filter(x -> x.toString().endsWith(".java")).toList()) {
                    Matcher m = read.matcher(Files.readString(p));
                    while (m.find()) {
                        if (names.contains(m.group(1))) {
                            found.add(p.getFileName() + ": " + m.group());
                        }
                    }
                }
            }
        }
        assertThat(found).isEmpty();
    }
}
