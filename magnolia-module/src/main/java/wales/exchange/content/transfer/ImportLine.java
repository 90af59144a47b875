package wales.exchange.content.transfer;

import java.util.Map;
import wales.exchange.content.ContentService;

/**
 * One parsed line of a JSON-lines import: the content type, the item's id (given, or derived from the line's content so
 * that a re-run finds the same item), where a new item goes, and its values as content-service input.
 *
 * @param number    1-based line number in the input
 * @param idGiven   false when {@code id} was derived from the line's content
 * @param folder    folder below the type's root for a new item (null: the service's default)
 * @param name      node name for a new item (null: a slug of the title)
 * @param values    model properties by name, as content-service input ({@code state} is {@code moderationState} here)
 */
public record ImportLine(long number, String type, String id, boolean idGiven, String folder, String name,
                         Map<String, Object> values) {

    public ContentService.CreateOptions options() {
        return new ContentService.CreateOptions(id, folder, name);
    }
}
