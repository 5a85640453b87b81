package dialtone.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** WAV (and not-WAV) files built byte by byte for greeting tests. */
public final class Wavs {

    public static final int PCM = 1;
    public static final int ALAW = 6;
    public static final int MULAW = 7;

    private Wavs() {}

    /** A canonical RIFF/WAVE file: 'fmt ' chunk of 16 bytes, then 'data' with {@code millis} of a quiet tone. */
    public static byte[] wav(int format, int channels, int sampleRate, int bitsPerSample, int millis) {
        int blockAlign = channels * bitsPerSample / 8;
        int dataBytes = (int) ((long) sampleRate * millis / 1000) * blockAlign;
        ByteBuffer b = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put(ascii("RIFF")).putInt(36 + dataBytes).put(ascii("WAVE"));
        b.put(ascii("fmt ")).putInt(16).putShort((short) format).putShort((short) channels).putInt(sampleRate)
                .putInt(sampleRate * blockAlign).putShort((short) blockAlign).putShort((short) bitsPerSample);
        b.put(ascii("data")).putInt(dataBytes);
        for (int i = 0; i < dataBytes; i++) {
            b.put((byte) (format == PCM ? (i % 2 == 0 ? 0 : (i / 2) % 16) : 0xFF - (i % 8)));
        }
        return b.array();
    }

    public static byte[] mulaw8k(int millis) {
        return wav(MULAW, 1, 8000, 8, millis);
    }

    public static byte[] pcm16k(int millis) {
        return wav(PCM, 1, 16000, 16, millis);
    }

    /** The start of an MP3 file: an ID3v2 tag then MPEG frame headers. */
    public static byte[] mp3() {
        byte[] bytes = new byte[4096];
        System.arraycopy(ascii("ID3"), 0, bytes, 0, 3);
        bytes[3] = 4;
        for (int i = 10; i < bytes.length - 1; i += 417) {
            bytes[i] = (byte) 0xFF;
            bytes[i + 1] = (byte) 0xFB;
        }
        return bytes;
    }

    /** A RIFF header cut off in the middle of the 'fmt ' chunk. */
    public static byte[] truncatedHeader() {
        return Arrays.copyOf(mulaw8k(1000), 30);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
