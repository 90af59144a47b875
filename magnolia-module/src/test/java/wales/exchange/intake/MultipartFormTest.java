package wales.exchange.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The contribution form's multipart body, parsed within its bounds (docs/contributions.md). */
class MultipartFormTest {
    static final String B = "----WebKitFormBoundaryAbC123";

    static byte[] body(String... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String p : parts) {
            out.writeBytes(("--" + B + "\r\n" + p + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(("--" + B + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    static String field(String name, String value) {
        return "Content-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value;
    }

    static String file(String filename, String type, String content) {
        return "Content-Disposition: form-data; name=\"attachment\"; filename=\"" + filename + "\"\r\nContent-Type: " + type + "\r\n\r\n" + content;
    }

    @Test
    void theBoundaryComesFromTheContentType() {
        assertThat(MultipartForm.boundary("multipart/form-data; boundary=" + B)).isEqualTo(B);
        assertThat(MultipartForm.boundary("multipart/form-data; charset=utf-8; BOUNDARY=\"a b\"")).isEqualTo("a b");
        assertThat(MultipartForm.boundary("multipart/form-data")).isNull();
        assertThat(MultipartForm.boundary("multipart/form-data; boundary=")).isNull();
        assertThat(MultipartForm.boundary("multipart/form-data; boundary=" + "x".repeat(71))).isNull();
        assertThat(MultipartForm.boundary("multipart/form-data; boundary=a\r\nb")).isNull();
    }

    @Test
    void fieldsAndOneFileAreRead() throws Exception {
        MultipartForm.Parsed p = MultipartForm.parse(body(field("title", "Ymateb i’r ymgynghoriad"), field("links", "a"), field("links", ""),
                field("description", "two\r\nlines"), file("a \\\"b\\\".pdf", "Application/PDF; x=y", "%PDF-1.7\r\n--not-a-boundary")), false, B, 1000);
        assertThat(p.fields()).containsExactly(Map.entry("title", "Ymateb i’r ymgynghoriad"), Map.entry("links", "a"), Map.entry("links", ""),
                Map.entry("description", "two\r\nlines"));
        assertThat(p.file().name()).isEqualTo("attachment");
        assertThat(p.file().contentType()).isEqualTo("application/pdf");
        assertThat(new String(p.file().bytes(), StandardCharsets.US_ASCII)).isEqualTo("%PDF-1.7\r\n--not-a-boundary");
        // the first bytes of a larger array (a body read short of its declared length): parsed within them only
        byte[] whole = body(field("title", "x"), file("a.txt", "text/plain", "abc"));
        byte[] larger = Arrays.copyOf(whole, whole.length + 100);
        MultipartForm.Parsed within = MultipartForm.parse(larger, whole.length, false, B, 1000);
        assertThat(within.file().body()).as("the file is a slice of the body read, not a copy").isSameAs(larger);
        assertThat(new String(within.file().bytes(), StandardCharsets.US_ASCII)).isEqualTo("abc");
        assertThatThrownBy(() -> MultipartForm.parse(larger, whole.length - 10, false, B, 1000)).isInstanceOf(MultipartForm.Malformed.class);
        // an empty file input is no file; a preamble and an epilogue are ignored
        byte[] withPreamble = ("ignored\r\n" + new String(body(field("title", "x"), file("", "application/octet-stream", "")),
                StandardCharsets.UTF_8) + "epilogue").getBytes(StandardCharsets.UTF_8);
        MultipartForm.Parsed empty = MultipartForm.parse(withPreamble, false, B, 1000);
        assertThat(empty.file()).isNull();
        assertThat(empty.fields()).containsExactly(Map.entry("title", "x"));
    }

    @Test
    void aBodyCutInsideTheFileGivesTheFieldsAndAFileTooLarge() throws Exception {
        byte[] whole = body(field("title", "kept"), file("big.pdf", "application/pdf", "%PDF-" + "x".repeat(5000)));
        MultipartForm.Parsed p = MultipartForm.parse(Arrays.copyOf(whole, 1000), true, B, 1000);
        assertThat(p.fields()).containsExactly(Map.entry("title", "kept"));
        assertThat(p.file().cut()).isTrue();
        assertThat(p.file().bytes()).isNull();
        // cut inside a text field: too large
        byte[] text = body(field("description", "y".repeat(5000)));
        assertThatThrownBy(() -> MultipartForm.parse(Arrays.copyOf(text, 1000), true, B, 100_000)).isInstanceOf(MultipartForm.TooLarge.class);
    }

    @Test
    void boundsAndBrokenBodiesAreRefused() {
        assertThatThrownBy(() -> MultipartForm.parse(body(field("a", "x".repeat(60)), field("b", "y".repeat(60))), false, B, 100))
                .isInstanceOf(MultipartForm.TooLarge.class);
        assertThatThrownBy(() -> MultipartForm.parse(body(file("a.pdf", "application/pdf", "%PDF-"), file("b.pdf", "application/pdf", "%PDF-")),
                false, B, 100)).isInstanceOfSatisfying(MultipartForm.Malformed.class, e -> assertThat(e.messageKey).isEqualTo(MultipartForm.ONE_FILE));
        String[] many = new String[MultipartForm.MAX_PARTS + 1];
        Arrays.fill(many, field("links", "x"));
        assertThatThrownBy(() -> MultipartForm.parse(body(many), false, B, 100_000)).isInstanceOf(MultipartForm.Malformed.class);
        assertThatThrownBy(() -> MultipartForm.parse(body("Content-Disposition: form-data; name=\"a\"\r\nX-Long: " + "h".repeat(9000)
                + "\r\n\r\nv"), false, B, 100_000)).isInstanceOf(MultipartForm.Malformed.class);
        byte[] whole = body(field("title", "x"));
        assertThatThrownBy(() -> MultipartForm.parse(Arrays.copyOf(whole, whole.length - 10), false, B, 100))
                .isInstanceOf(MultipartForm.Malformed.class);
        assertThatThrownBy(() -> MultipartForm.parse(body("Content-Disposition: attachment; name=\"a\"\r\n\r\nv"), false, B, 100))
                .isInstanceOf(MultipartForm.Malformed.class);
        assertThatThrownBy(() -> MultipartForm.parse(body("Content-Disposition: form-data\r\n\r\nv"), false, B, 100))
                .isInstanceOf(MultipartForm.Malformed.class);
        assertThatThrownBy(() -> MultipartForm.parse("no boundary here".getBytes(StandardCharsets.US_ASCII), false, B, 100))
                .isInstanceOf(MultipartForm.Malformed.class);
    }
}
