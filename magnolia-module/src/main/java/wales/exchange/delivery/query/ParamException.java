package wales.exchange.delivery.query;

import java.util.List;
import wales.exchange.content.FieldError;

/** Bad request parameters; each error names the parameter and a message key under {@code exchange.param.}. */
public class ParamException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient List<FieldError> errors;

    public ParamException(List<FieldError> errors) {
        super("bad parameters: " + errors);
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
