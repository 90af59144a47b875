package wales.exchange.i18n;

import java.util.Locale;
import java.util.Optional;

/** The two languages of ExChange. Welsh is never second: both are complete, and neither falls back silently. */
public enum Lang {
    EN("en"), CY("cy");

    private final String tag;

    Lang(String tag) {
        this.tag = tag;
    }

    /** BCP 47 tag, as emitted in Content-Language, JSON-LD inLanguage and iCalendar LANGUAGE. */
    public String tag() {
        return tag;
    }

    public Locale locale() {
        return Locale.forLanguageTag(tag);
    }

    public Lang other() {
        return this == EN ? CY : EN;
    }

    /** The JCR property holding this language's value of an i18n property: English unsuffixed (Magnolia's default locale). */
    public String propertyName(String base) {
        return this == EN ? base : base + "_" + tag;
    }

    /** Parses {@code en}, {@code en-GB}, {@code cy}, {@code cy-GB} (any case); empty for anything else. */
    public static Optional<Lang> parse(String tag) {
        if (tag == null) {
            return Optional.empty();
        }
        String primary = tag.trim().toLowerCase(Locale.ROOT);
        int dash = primary.indexOf('-');
        if (dash > 0) {
            primary = primary.substring(0, dash);
        }
        for (Lang l : values()) {
            if (l.tag.equals(primary)) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }

    /**
     * Chooses a language from an Accept-Language header (RFC 9110 §12.5.4: highest q wins, q=0 excludes); English when
     * the header names neither language. An element with a malformed q-value ({@code cy;q=}, {@code cy;q=2},
     * {@code cy;q=NaN}) is ignored, never an error (see {@link QualityValues}).
     */
    public static Lang fromAcceptLanguage(String header) {
        if (header == null || header.isBlank()) {
            return EN;
        }
        Lang best = null;
        double bestQ = 0;
        for (String part : header.split(",")) {
            String[] bits = part.trim().split(";");
            if (bits.length == 0) {
                continue;
            }
            double q = QualityValues.of(bits);
            Optional<Lang> l = parse(bits[0]);
            if (l.isPresent() && q > bestQ) {
                best = l.get();
                bestQ = q;
            }
        }
        return best == null ? EN : best;
    }
}
