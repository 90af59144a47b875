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
}
