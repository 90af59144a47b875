package wales.exchange.delivery.index;

import java.io.IOException;
import java.io.StringReader;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.PorterStemFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.WhitespaceTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.util.Version;
import wales.exchange.i18n.Lang;

/**
 * Text analysis for full-text search. Both languages: lower case, accents folded (ŵ→w, ŷ→y, â→a …), HTML stripped.
 * English: Porter stemming (Lucene's, shipped with Jackrabbit). Welsh: no stemmer exists in Lucene or Snowball, so
 * initial mutations are undone instead: a word is indexed and searched under each radical it may come from
 * (soft: g→c, b→p, d→t, f→b/m, dd→d, l→ll, r→rh, vowel→g+vowel; nasal: ngh→c, mh→p, nh→t, ng→g, m→b, n→d;
 * aspirate: ch→c, ph→p, th→t, h+vowel→vowel), so "gath", "nghath" and "chath" all find "cath".
 */
public final class TextIndex {
    private static final Pattern SCRIPTS = Pattern.compile("(?is)<(script|style)\\b.*?</\\1\\s*>");
    /** Shorter words are neither indexed nor searched: a query made only of them matches nothing (docs/api.md). */
    static final int MIN_LENGTH = 2;

    private TextIndex() {
    }

    /** Lower case, accents folded, apostrophes dropped. */
    static String fold(String s) {
        String lower = s.toLowerCase(Locale.ROOT).replace("’", "").replace("'", "");
        boolean ascii = true;
        for (int i = 0; i < lower.length() && ascii; i++) {
            ascii = lower.charAt(i) < 0x80;
        }
        if (ascii) {
            return lower;
        }
        String n = Normalizer.normalize(lower, Normalizer.Form.NFD);
        StringBuilder out = new StringBuilder(n.length());
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            if (Character.getType(c) != Character.NON_SPACING_MARK) {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * The words of a text or HTML fragment, lower case and folded, in order (with repeats): one pass, tags and entities
     * skipped, apostrophes dropped ({@code plant’s} is {@code plants}), script and style blocks ignored.
     */
    public static List<String> words(String text) {
        if (text.indexOf("<script") >= 0 || text.indexOf("<style") >= 0 || text.indexOf("<SCRIPT") >= 0) {
            text = SCRIPTS.matcher(text).replaceAll(" ");
        }
        List<String> out = new java.util.ArrayList<>();
        StringBuilder w = new StringBuilder(16);
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == '<') {
                int end = text.indexOf('>', i);
                i = end < 0 ? n : end;
                flush(w, out);
            } else if (c == '&') {
                int end = text.indexOf(';', i);
                if (end > i && end - i <= 10) {
                    i = end;
                }
                flush(w, out);
            } else if (c == '\'' || c == '’') {
                continue;
            } else if (c < 0x80) {
                if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                    w.append(c);
                } else if (c >= 'A' && c <= 'Z') {
                    w.append((char) (c + 32));
                } else {
                    flush(w, out);
                }
            } else if (Character.isLetterOrDigit(c)) {
                w.append(foldChar(c));
            } else {
                flush(w, out);
            }
        }
        flush(w, out);
        return out;
    }

    private static void flush(StringBuilder w, List<String> out) {
        if (w.length() >= MIN_LENGTH) {
            out.add(w.toString());
        }
        w.setLength(0);
    }

    private static final Map<Character, String> FOLDED = new java.util.concurrent.ConcurrentHashMap<>();

    /** A non-ASCII letter, lower case, without its accents (ŵ → w, Â → a); cached per character. */
    private static String foldChar(char c) {
        return FOLDED.computeIfAbsent(c, k -> fold(String.valueOf(k)));
    }

    /**
     * Every searchable form of the words of {@code text} in {@code lang}, as 32-bit hashes, sorted and distinct (half
     * the memory of 64-bit ones; a collision can only add a rare false match, never lose one).
     */
    public static int[] index(String text, Lang lang) {
        Set<String> distinct = new java.util.HashSet<>(words(text));
        Set<String> forms = new java.util.HashSet<>(distinct);
        if (lang == Lang.EN) {
            forms.addAll(stemAll(List.copyOf(distinct)));
        } else {
            for (String w : distinct) {
                forms.addAll(radicals(w));
            }
        }
        return forms.stream().mapToInt(TextIndex::hash).sorted().distinct().toArray();
    }

    /** For each word of a query, the hashes of its searchable forms; a document matches a word if it has any form. */
    public static int[][] query(String text, Lang lang) {
        List<String> ws = words(text);
        int[][] out = new int[ws.size()][];
        for (int i = 0; i < ws.size(); i++) {
            out[i] = forms(ws.get(i), lang).stream().mapToInt(TextIndex::hash).distinct().toArray();
        }
        return out;
    }

    static Set<String> forms(String word, Lang lang) {
        Set<String> out = new LinkedHashSet<>();
        out.add(word);
        if (lang == Lang.EN) {
            out.add(stem(word));
        } else {
            out.addAll(radicals(word));
        }
        return out;
    }

    /** The radical forms a (folded) Welsh word may be a mutation of. */
    static Set<String> radicals(String w) {
        Set<String> r = new LinkedHashSet<>();
        if (w.startsWith("ngh")) {
            r.add("c" + w.substring(3));
        } else if (w.startsWith("ng")) {
            r.add("g" + w.substring(2));
        }
        if (w.startsWith("mh")) {
            r.add("p" + w.substring(2));
        }
        if (w.startsWith("nh")) {
            r.add("t" + w.substring(2));
        }
        if (w.startsWith("ch")) {
            r.add("c" + w.substring(2));
        }
        if (w.startsWith("ph")) {
            r.add("p" + w.substring(2));
        }
        if (w.startsWith("th")) {
            r.add("t" + w.substring(2));
        }
        if (w.startsWith("dd")) {
            r.add("d" + w.substring(2));
        }
        char c = w.charAt(0);
        String rest = w.substring(1);
        switch (c) {
            case 'g': r.add("c" + rest); break;
            case 'b': r.add("p" + rest); break;
            case 'd': if (!w.startsWith("dd")) { r.add("t" + rest); } break;
            case 'f': if (!w.startsWith("ff")) { r.add("b" + rest); r.add("m" + rest); } break;
            case 'l': if (!w.startsWith("ll")) { r.add("ll" + rest); } break;
            case 'r': if (!w.startsWith("rh")) { r.add("rh" + rest); } break;
            case 'm': if (!w.startsWith("mh")) { r.add("b" + rest); } break;
            case 'n': if (!w.startsWith("ng") && !w.startsWith("nh")) { r.add("d" + rest); } break;
            case 'h': if (rest.length() > 0 && "aeiouwy".indexOf(rest.charAt(0)) >= 0) { r.add(rest); } break;
            default: break;
        }
        if ("aeiouwy".indexOf(c) >= 0) {
            r.add("g" + w);
        }
        return r;
    }

    /** Porter stems of many words through one token stream (a stream per word costs more than the stemming). */
    static List<String> stemAll(List<String> words) {
        List<String> out = new java.util.ArrayList<>(words.size());
        try (TokenStream ts = new PorterStemFilter(new WhitespaceTokenizer(Version.LUCENE_36, new StringReader(String.join(" ", words))))) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                out.add(term.toString());
            }
            ts.end();
        } catch (IOException e) {
            return words;
        }
        return out;
    }

    static String stem(String word) {
        try (TokenStream ts = new PorterStemFilter(new WhitespaceTokenizer(Version.LUCENE_36, new StringReader(word)))) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            String out = ts.incrementToken() ? term.toString() : word;
            ts.end();
            return out;
        } catch (IOException e) {
            return word;
        }
    }

    /** FNV-1a, 32 bits. */
    static int hash(String s) {
        int h = 0x811c9dc5;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x01000193;
        }
        return h;
    }

}
