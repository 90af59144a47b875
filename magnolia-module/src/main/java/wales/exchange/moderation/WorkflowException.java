package wales.exchange.moderation;

import java.util.List;

/**
 * A transition the workflow refuses. {@code code} names the problem: {@code invalidTransition}, {@code reasonRequired},
 * {@code fourEyes}, {@code welshMissing}, {@code notPermitted}; {@code fields} lists what is missing (Welsh fields).
 */
public class WorkflowException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String code;
    private final transient List<String> fields;

    public WorkflowException(String code, String message, List<String> fields) {
        super(message);
        this.code = code;
        this.fields = List.copyOf(fields);
    }

    public WorkflowException(String code, String message) {
        this(code, message, List.of());
    }

    public String code() {
        return code;
    }

    public List<String> fields() {
        return fields;
    }
}
