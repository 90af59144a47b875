package wales.exchange.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHashTest {
    @Test
    void saltedVerifiableAndNeverThePassword() {
        String a = PasswordHash.hash("correct horse".toCharArray(), 1000);
        String b = PasswordHash.hash("correct horse".toCharArray(), 1000);
        assertThat(a).isNotEqualTo(b).doesNotContain("correct").startsWith("pbkdf2-sha512$1000$");
        assertThat(PasswordHash.verify("correct horse".toCharArray(), a)).isTrue();
        assertThat(PasswordHash.verify("correct horsf".toCharArray(), a)).isFalse();
        assertThat(PasswordHash.verify("".toCharArray(), a)).isFalse();
        assertThat(PasswordHash.verify("x".toCharArray(), "garbage")).isFalse();
        assertThat(PasswordHash.verify("x".toCharArray(), null)).isFalse();
        assertThat(PasswordHash.verify("x".toCharArray(), "pbkdf2-sha512$1000$!!$!!")).isFalse();
        assertThat(PasswordHash.hash("p".toCharArray())).contains("$" + PasswordHash.ITERATIONS + "$");
    }

    @Test
    void randomPasswordsDiffer() {
        assertThat(PasswordHash.randomPassword(16)).hasSize(16).isNotEqualTo(PasswordHash.randomPassword(16));
    }

    @Test
    void aGeneratedPasswordIsLongRandomAndHashedWithFewerIterations() {
        PasswordHash.Generated a = PasswordHash.generated();
        PasswordHash.Generated b = PasswordHash.generated();
        assertThat(a.password()).hasSize(PasswordHash.GENERATED_LENGTH).matches("[a-km-zA-HJ-NP-Z2-9]+")
                .isNotEqualTo(b.password());
        assertThat(a.hash()).startsWith("pbkdf2-sha512$" + PasswordHash.GENERATED_ITERATIONS + "$").doesNotContain(a.password());
        assertThat(PasswordHash.verify(a.password().toCharArray(), a.hash())).isTrue();
        assertThat(PasswordHash.verify(b.password().toCharArray(), a.hash())).isFalse();
        assertThat(PasswordHash.GENERATED_ITERATIONS).isGreaterThanOrEqualTo(10_000).isLessThan(PasswordHash.ITERATIONS);
        // 57 characters (the class comment's 93 bits): log2(57^16) > 93
        assertThat(PasswordHash.ALPHABET.chars().distinct().count()).isEqualTo(57);
        assertThat(PasswordHash.GENERATED_LENGTH * Math.log(PasswordHash.ALPHABET.length()) / Math.log(2)).isGreaterThan(93);
    }
}
