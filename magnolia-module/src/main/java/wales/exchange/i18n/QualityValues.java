package wales.exchange.i18n;

import java.util.regex.Pattern;

/**
 * HTTP quality values (RFC 9110 §12.4.2), shared by Accept-Language and Accept negotiation. Only the RFC's grammar is
 * accepted ({@code 0}, {@code 0.8}, {@code 0.125}, {@code 1}, {@code 1.000}, ASCII digits only): {@code q=},
 * {@code q=2}, {@code q=-1}, {@code q=NaN}, {@code q=Infinity} or {@code q=1e0} are malformed, and an element with a
 * malformed q is ignored, as if it were not in the header (never an error, never a guessed weight).
 */
public final class QualityValues {
    /** What {@link #of} gives for a malformed q-value: the caller ignores the element. */
    public static final double MALFORMED = -1;
    private static final Pattern QVALUE = Pattern.compile("0(\\.[0-9]{0,3})?|1(\\.0{0,3})?");

    private QualityValues() {
    }

    /**
     * The q of one list element's parameters ({@code ["cy", "q=0.8"]}): 1 when absent, {@link #MALFORMED} when the
     * q parameter does not follow the RFC's grammar.
     */
    public static double of(String[] elementAndParameters) {
        for (int i = 1; i < elementAndParameters.length; i++) {
            String b = elementAndParameters[i].strip();
            if (b.length() >= 2 && (b.charAt(0) == 'q' || b.charAt(0) == 'Q') && b.charAt(1) == '=') {
                String v = b.substring(2);
                return QVALUE.matcher(v).matches() ? Double.parseDouble(v) : MALFORMED;
            }
        }
        return 1;
    }
}
