package wales.exchange.i18n;

/** HTTP quality values (RFC 9110 §12.4.2), shared by Accept-Language and Accept negotiation. */
public final class QualityValues {
    private QualityValues() {
    }

    /** The q of one list element's parameters ({@code ["cy", "q=0.8"]}): 1 when absent, 0 when malformed. */
    public static double of(String[] elementAndParameters) {
        for (int i = 1; i < elementAndParameters.length; i++) {
            String b = elementAndParameters[i].strip();
            if (b.startsWith("q=")) {
                try {
                    double q = Double.parseDouble(b.substring(2));
                    return q < 0 || q > 1 ? 0 : q;
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }
}
