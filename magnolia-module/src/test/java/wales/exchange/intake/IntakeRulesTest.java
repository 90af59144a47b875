package wales.exchange.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import org.junit.jupiter.api.Test;
import wales.exchange.comments.PersonalData;

/** The intake's JCR-free rules: tokens, limits, sniffing, sanitising, personal data, status mapping. */
class IntakeRulesTest {
    static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    static IntakeConfig config(int perAddress, int perEmail) {
        return new IntakeConfig(SECRET, Duration.ofSeconds(3), Duration.ofDays(180), perAddress, perEmail, 1024, Set.of());
    }

    @Test
    void statusTokensNameOneItemAndCannotBeForgedOrAltered() {
        IntakeTokens tokens = new IntakeTokens(config(1, 1), Clock.systemUTC());
        String id = "53e99420-3156-43ef-835f-3948f567cabd";
        String t = tokens.status(id);
        assertThat(tokens.itemId(t)).contains(id);
        assertThat(tokens.itemId(t.replace("53e99420", "53e99421"))).isEmpty();
        IntakeTokens other = new IntakeTokens(new IntakeConfig("another-secret-another-secret-xx".getBytes(StandardCharsets.US_ASCII),
                Duration.ZERO, Duration.ofDays(1), 1, 1, 1, Set.of()), Clock.systemUTC());
        assertThat(other.itemId(t)).isEmpty();
        assertThat(tokens.itemId("s1." + "0".repeat(32) + ".")).isEmpty();
        assertThat(tokens.itemId(null)).isEmpty();
    }

    @Test
    void formTokensCarryTheirIssueTimeAndExpire() {
        Instant now = Instant.parse("2026-11-30T12:00:00Z");
        IntakeTokens tokens = new IntakeTokens(config(1, 1), Clock.fixed(now, ZoneOffset.UTC));
        String t = tokens.form();
        assertThat(tokens.formIssued(t)).contains(now);
        IntakeTokens later = new IntakeTokens(config(1, 1), Clock.fixed(now.plus(Duration.ofDays(2)), ZoneOffset.UTC));
        assertThat(later.formIssued(t)).isEmpty();
        IntakeTokens earlier = new IntakeTokens(config(1, 1), Clock.fixed(now.minusSeconds(60), ZoneOffset.UTC));
        assertThat(earlier.formIssued(t)).as("issued in the future").isEmpty();
        assertThat(tokens.formIssued(t.replace("f1.1", "f1.2"))).isEmpty();
    }

    @Test
    void limitsPerAddressAndPerEmailAreSeparateAndCaseInsensitive() {
        IntakeLimits limits = new IntakeLimits(config(2, 1));
        assertThat(limits.address("10.0.0.1")).isZero();
        assertThat(limits.address("10.0.0.1")).isZero();
        assertThat(limits.address("10.0.0.1")).isPositive();
        assertThat(limits.address("10.0.0.2")).isZero();
        assertThat(limits.email("Sam@Example.org")).isZero();
        assertThat(limits.email(" sam@example.org")).isPositive();
    }

    @Test
    void attachmentsAreJudgedByTheirBytes() {
        assertThat(Attachments.matches(Attachments.PDF, "%PDF-1.4".getBytes(StandardCharsets.US_ASCII))).isTrue();
        assertThat(Attachments.matches(Attachments.PDF, new byte[] {'M', 'Z', 0})).isFalse();
        assertThat(Attachments.matches(Attachments.PNG, new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0})).isTrue();
        assertThat(Attachments.matches(Attachments.JPEG, new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, 0})).isTrue();
        assertThat(Attachments.matches(Attachments.ODT, new byte[] {'P', 'K', 3, 4})).isTrue();
        assertThat(Attachments.matches(Attachments.TEXT, "Helô, byd".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(Attachments.matches(Attachments.TEXT, new byte[] {'a', 0, 'b'})).isFalse();
        assertThat(Attachments.matches(Attachments.TEXT, new byte[] {(byte) 0xc3, 0x28})).isFalse();
        assertThat(Attachments.matches(Attachments.TEXT, "%PDF-1.4".getBytes(StandardCharsets.US_ASCII))).isFalse();
    }

    /**
     * Text is judged whole but decoded in pieces (never a 10 MB string): a character across two pieces is text, a
     * control character or a sequence cut short far into the file is not, and a slice is judged on its own bytes.
     */
    @Test
    void textIsJudgedWholeInPiecesAndASliceByItsOwnBytes() {
        int n = Attachments.TEXT_CHUNK;
        String across = "a".repeat(n - 1) + "ŵ" + "b".repeat(3 * n) + "€\r\n\t";
        assertThat(Attachments.matches(Attachments.TEXT, across.getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(Attachments.matches(Attachments.TEXT, ("a".repeat(5 * n) + "\u0007").getBytes(StandardCharsets.UTF_8))).isFalse();
        byte[] cutShort = Arrays.copyOf("a".repeat(5 * n).concat("ŵ").getBytes(StandardCharsets.UTF_8), 5 * n + 1);
        assertThat(Attachments.matches(Attachments.TEXT, cutShort)).isFalse();
        byte[] body = "\u0000%PDF-1.4 plain\u0000".getBytes(StandardCharsets.UTF_8);
        assertThat(Attachments.sniff(body, 1, body.length - 2)).isEqualTo(Attachments.PDF);
        assertThat(Attachments.matches(Attachments.TEXT, body, 6, body.length - 7)).isTrue();
        assertThat(Attachments.matches(Attachments.TEXT, body, 6, body.length - 6)).isFalse();
    }

    @Test
    void htmlIsSanitizedAndPlainTextStaysPlain() {
        assertThat(HtmlCleaner.formatted("<p>Hi <b>there</b><script>alert(1)</script><a href=\"javascript:x()\">y</a>"
                + "<a href=\"https://example.org\">z</a></p>"))
                .contains("<b>there</b>").doesNotContain("script").doesNotContain("javascript").contains("nofollow").contains("ugc");
        assertThat(HtmlCleaner.plain("a < b & c")).isEqualTo("a < b & c");
        assertThat(HtmlCleaner.plain("<img src=x onerror=alert(1)>Sam <b>J</b>")).isEqualTo("Sam J");
        assertThat(HtmlCleaner.plain("Siân’s plan")).isEqualTo("Siân’s plan");
    }

    @Test
    void probablePersonalDataIsFound() {
        assertThat(PersonalData.find("mail me at sam.jones@example.org")).contains("email");
        assertThat(PersonalData.find("sam (at) example.org")).contains("email");
        assertThat(PersonalData.find("Ring 07700 900123")).contains("phone");
        assertThat(PersonalData.find("or +44 29 2087 4000")).contains("phone");
        assertThat(PersonalData.find("I live near CF10 3AT")).contains("postcode");
        assertThat(PersonalData.find("The webinar on 2025-03-12 at 11:30 had 120 people")).isEmpty();
        assertThat(PersonalData.find("Diolch yn fawr am yr adnoddau")).isEmpty();
    }

    @Test
    void workflowStatesMapToWhatAContributorSees() {
        assertThat(SubmissionStatus.of("submitted")).isEqualTo(SubmissionStatus.RECEIVED);
        assertThat(SubmissionStatus.of("draft")).isEqualTo(SubmissionStatus.RECEIVED);
        assertThat(SubmissionStatus.of("in-review")).isEqualTo(SubmissionStatus.IN_REVIEW);
        assertThat(SubmissionStatus.of("IN_REVIEW")).isEqualTo(SubmissionStatus.IN_REVIEW);
        assertThat(SubmissionStatus.of("approved")).isEqualTo(SubmissionStatus.ACCEPTED);
        assertThat(SubmissionStatus.of("published")).isEqualTo(SubmissionStatus.ACCEPTED);
        assertThat(SubmissionStatus.of("rejected")).isEqualTo(SubmissionStatus.DECLINED);
        assertThat(SubmissionStatus.of("withdrawn")).isEqualTo(SubmissionStatus.DECLINED);
        assertThat(SubmissionStatus.of(null)).isEqualTo(SubmissionStatus.RECEIVED);
    }
}
