package com.mp3converter.shared.token;

import java.security.PublicKey;
import java.util.Optional;

/** Finds a trusted verification key by its {@code kid}; only keys from our own JWKS are ever returned. */
@FunctionalInterface
public interface PublicKeyLookup {
  Optional<PublicKey> find(String kid);
}
