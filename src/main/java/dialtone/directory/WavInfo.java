package dialtone.directory;

import dialtone.core.Problem;
import dialtone.core.FieldError;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a greeting file is, read from its RIFF/WAVE header. Only what phones and PBX voicemail play
 * without transcoding is accepted: mono, 8 or 16 kHz, 16-bit PCM or G.711 mu-law/A-law, at most 120 s.
 * A malformed file is a 400; a well-formed file in another format is a 415.
 */
public record WavInfo(String encoding, int sampleRate, long durationMillis) {

    public static final String PCM16 = "pcm16";
    public static final String MULAW = "mulaw";
    public static final String ALAW = "alaw";
    public static final long MAX_DURATION_MILLIS = 120_000;
    private static final Set<Integer> RATES = Set.of(8000, 16000);
    private static final int PCM = 1;
    private static final int G711_ALAW = 6;
    private static final int G711_MULAW = 7;
    private static final int EXTENSIBLE = 0xFFFE;

    public static WavInfo inspect(byte[] bytes) {
        if (bytes.length == 0) {
            throw malformed("the body is empty; send a WAV file");
        }
        if (!startsWith(bytes, 0, "RIFF")) {
            throw unsupported("body", "is not a RIFF/WAVE file" + sniff(bytes));
        }
        if (bytes.length < 12) {
            throw malformed("the RIFF header is truncated (" + bytes.length + " bytes; a WAV header needs at least 44)");
        }
        if (!startsWith(bytes, 8, "WAVE")) {
            throw unsupported("body", "is a RIFF file but not WAVE audio");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int pos = 12;
        ByteBuffer fmt = null;
        long dataBytes = -1;
        while (dataBytes < 0) {
            if (pos + 8 > bytes.length) {
                throw malformed(fmt == null ? "the RIFF header is truncated: no complete 'fmt ' chunk"
                        : "the RIFF file is truncated: no 'data' chunk");
            }
            String id = new String(bytes, pos, 4, StandardCharsets.US_ASCII);
            long size = Integer.toUnsignedLong(in.getInt(pos + 4));
            long available = bytes.length - (pos + 8L);
            if (id.equals("fmt ")) {
                if (size < 16 || size > available) {
                    throw malformed("the 'fmt ' chunk is truncated (" + Math.min(size, available) + " of at least 16 bytes)");
                }
                fmt = in.slice(pos + 8, (int) size).order(ByteOrder.LITTLE_ENDIAN);
            } else if (id.equals("data")) {
                if (fmt == null) {
                    throw malformed("the 'data' chunk comes before the 'fmt ' chunk");
                }
                if (size > available) {
                    throw malformed("the 'data' chunk declares " + size + " bytes but only " + available + " follow (truncated file)");
                }
                dataBytes = size;
                break;
            } else if (size > available) {
                throw malformed("the '" + printable(id) + "' chunk is truncated");
            }
            pos += 8 + (int) size + (int) (size & 1);
        }
        return describe(fmt, dataBytes);
    }

    private static WavInfo describe(ByteBuffer fmt, long dataBytes) {
        int tag = Short.toUnsignedInt(fmt.getShort(0));
        int channels = Short.toUnsignedInt(fmt.getShort(2));
        int rate = fmt.getInt(4);
        int bits = Short.toUnsignedInt(fmt.getShort(14));
        if (tag == EXTENSIBLE && fmt.capacity() >= 26) {
            tag = Short.toUnsignedInt(fmt.getShort(24));
        }
        List<FieldError> errors = new ArrayList<>();
        if (channels != 1) {
            errors.add(new FieldError("channels", "must be mono (1 channel); this file has " + channels));
        }
        if (!RATES.contains(rate)) {
            errors.add(new FieldError("sampleRate", "must be 8000 or 16000 Hz; this file has " + rate + " Hz"));
        }
        String encoding = null;
        if (tag == PCM && bits == 16) {
            encoding = PCM16;
        } else if (tag == G711_MULAW && bits == 8) {
            encoding = MULAW;
        } else if (tag == G711_ALAW && bits == 8) {
            encoding = ALAW;
        } else {
            errors.add(new FieldError("encoding", "must be 16-bit PCM, G.711 mu-law or G.711 A-law; this file is "
                    + (tag == PCM ? bits + "-bit PCM" : "format " + tag + " with " + bits + " bits per sample")));
        }
        if (!errors.isEmpty()) {
            throw new Problem(Problem.Kind.UNSUPPORTED,
                    errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).reason()
                            : "the audio format is not supported", errors);
        }
        if (dataBytes == 0) {
            throw malformed("the file contains no audio");
        }
        long bytesPerSecond = (long) rate * (bits / 8);
        long millis = dataBytes * 1000 / bytesPerSecond;
        if (millis > MAX_DURATION_MILLIS) {
            throw Problem.badField("duration", "must be at most 120 seconds; this file is "
                    + (millis / 1000) + " seconds");
        }
        return new WavInfo(encoding, rate, millis);
    }

    private static String sniff(byte[] b) {
        boolean id3 = startsWith(b, 0, "ID3");
        boolean mpegFrame = b.length > 1 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xE0) == 0xE0;
        return id3 || mpegFrame ? " (it looks like MP3 data)" : "";
    }

    private static boolean startsWith(byte[] bytes, int offset, String ascii) {
        if (bytes.length < offset + ascii.length()) {
            return false;
        }
        for (int i = 0; i < ascii.length(); i++) {
            if (bytes[offset + i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static String printable(String id) {
        return id.replaceAll("[^ -~]", "?");
    }

    private static Problem malformed(String reason) {
        return Problem.badField("body", reason);
    }

    static Problem unsupported(String field, String reason) {
        return Problem.unsupported(field, reason);
    }
}
