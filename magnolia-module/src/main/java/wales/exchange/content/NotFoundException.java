package wales.exchange.content;

/** No item of that type with that id. */
public class NotFoundException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NotFoundException(String type, String id) {
        super("no " + type + " with id " + id);
    }
}
