package wales.exchange.content;

import java.util.List;

/**
 * One invalid field: {@code field} is the path of the value ({@code title}, {@code speakers[1].name}), {@code code}
 * names the message {@code exchange.error.<code>} in both bundles, {@code args} fill it.
 */
public record FieldError(String field, String code, List<Object> args) {
    public FieldError(String field, String code, Object... args) {
        this(field, code, List.of(args));
    }
}
