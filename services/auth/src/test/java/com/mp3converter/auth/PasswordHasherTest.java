package com.mp3converter.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {
  private static final PasswordHasher HASHER = new PasswordHasher(new HashingPool(0, 8));

  @Test
  void hashesWithArgon2idAtTheOwaspParameters() {
    String hash = HASHER.hash("correct horse battery staple");

    assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
  }

  @Test
  void verifiesTheRightPasswordAndRefusesOthers() {
    String hash = HASHER.hash("correct horse battery staple");

    assertThat(HASHER.verify("correct horse battery staple", hash)).isTrue();
    assertThat(HASHER.verify("correct horse battery stapl", hash)).isFalse();
    assertThat(HASHER.verify("Correct horse battery staple", hash)).isFalse();
  }

  @Test
  void saltsEveryHash() {
    assertThat(HASHER.hash("same password")).isNotEqualTo(HASHER.hash("same password"));
  }

  @Test
  void anUnknownUserNeverVerifiesWhateverThePassword() {
    assertThat(HASHER.verify("correct horse battery staple", null)).isFalse();
    assertThat(HASHER.verify("", null)).isFalse();
  }

  @Test
  void checkingAnUnknownUserCostsAboutAsMuchAsAWrongPassword() {
    String hash = HASHER.hash("correct horse battery staple");
    long[] known = new long[9];
    long[] unknown = new long[9];
    // Interleaved, so load from elsewhere on the machine slows both sides alike.
    for (int i = -2; i < known.length; i++) {
      long start = System.nanoTime();
      HASHER.verify("wrong password", hash);
      long middle = System.nanoTime();
      HASHER.verify("wrong password", null);
      long end = System.nanoTime();
      if (i >= 0) { // the first two rounds warm up the JIT
        known[i] = middle - start;
        unknown[i] = end - middle;
      }
    }
    // A shortcut for unknown users would be orders of magnitude faster; noise stays well inside this band.
    assertThat((double) median(unknown) / median(known)).isBetween(0.25, 4.0);
  }

  private static long median(long[] times) {
    long[] sorted = times.clone();
    java.util.Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
