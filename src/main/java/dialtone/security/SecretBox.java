package dialtone.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secrets that must be read back (SIP and provisioning passwords) with AES-256-GCM.
 * The key lives in a file outside the database, so a database dump alone reveals no secret.
 */
public final class SecretBox {

    private static final String PREFIX = "v1:";
    private static final int NONCE_BYTES = 12;
    private final SecretKeySpec key;

    private SecretBox(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    /** Reads the key file, creating it (mode 0600) with a new random key when it does not exist. */
    public static SecretBox loadOrCreate(Path keyFile) {
        try {
            if (!Files.exists(keyFile)) {
                PrivateFiles.write(keyFile, Base64.getEncoder().encode(Secrets.randomBytes(32)));
            }
            byte[] key = Base64.getDecoder().decode(Files.readString(keyFile).trim());
            if (key.length != 32) {
                throw new IllegalStateException("secret key file " + keyFile + " does not hold a 256-bit key");
            }
            return new SecretBox(key);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create secret key file " + keyFile, e);
        }
    }

    /**
     * An HMAC-SHA256 keyed for one {@code purpose} (such as sealing backups) with a key derived from this one,
     * so that a tag made for one purpose is worth nothing for another.
     */
    public Mac mac(String purpose) {
        try {
            Mac derive = Mac.getInstance("HmacSHA256");
            derive.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
            byte[] purposeKey = derive.doFinal(("dialtone " + purpose).getBytes(StandardCharsets.UTF_8));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(purposeKey, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    public String seal(String plaintext) {
        try {
            byte[] nonce = Secrets.randomBytes(NONCE_BYTES);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            ByteBuffer out = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed);
            return PREFIX + Base64.getEncoder().encodeToString(out.array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    public String open(String sealed) {
        if (sealed == null || !sealed.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a sealed secret");
        }
        try {
            byte[] all = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, all, 0, NONCE_BYTES));
            byte[] plain = cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a sealed secret does not open with this key (wrong secret.key file?)", e);
        }
    }
}
