package wales.exchange.comments;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Probable personal data in a comment: an email address, a phone number (10 to 15 digits, possibly with +, spaces,
 * dashes or brackets) or a UK postcode. A comment with any is held for a moderator with reason
 * {@link #REASON}, even on a post-moderated board.
 */
public final class PersonalData {
    public static final String REASON = "personalData";
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]{1,64}\\s*(?:@|\\(at\\)|\\[at\\])\\s*[A-Za-z0-9-]{1,63}(?:\\.[A-Za-z0-9-]{1,63})*\\.[A-Za-z]{2,24}");
    private static final Pattern PHONE = Pattern.compile("(?<![\\w+])(?:\\+|00)?\\(?\\d[\\d\\s().-]{8,20}\\d(?!\\w)");
    private static final Pattern POSTCODE = Pattern.compile("(?i)\\b(?:[A-Z]{1,2}[0-9][A-Z0-9]?)\\s?[0-9][ABD-HJLNP-UW-Z]{2}\\b");

    private PersonalData() {
    }

    /** What kind of personal data {@code text} seems to hold: {@code email}, {@code phone} or {@code postcode}. */
    public static Optional<String> find(String text) {
        if (text == null) {
            return Optional.empty();
        }
        if (EMAIL.matcher(text).find()) {
            return Optional.of("email");
        }
        Matcher m = PHONE.matcher(text);
        while (m.find()) {
            long digits = m.group().chars().filter(Character::isDigit).count();
            if (digits >= 10 && digits <= 15) {
                return Optional.of("phone");
            }
        }
        if (POSTCODE.matcher(text).find()) {
            return Optional.of("postcode");
        }
        return Optional.empty();
    }
}
