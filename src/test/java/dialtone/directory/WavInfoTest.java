package dialtone.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dialtone.core.FieldError;
import dialtone.core.Problem;
import static dialtone.core.Problem.Kind.INVALID;
import static dialtone.core.Problem.Kind.UNSUPPORTED;
import dialtone.testing.Wavs;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WavInfoTest {

    @Test
    void acceptsMuLaw8kAndPcm16kAndALaw() {
        assertThat(WavInfo.inspect(Wavs.mulaw8k(2000))).isEqualTo(new WavInfo(WavInfo.MULAW, 8000, 2000));
        assertThat(WavInfo.inspect(Wavs.pcm16k(1500))).isEqualTo(new WavInfo(WavInfo.PCM16, 16000, 1500));
        assertThat(WavInfo.inspect(Wavs.wav(Wavs.ALAW, 1, 8000, 8, 500)).encoding()).isEqualTo(WavInfo.ALAW);
    }

    @Test
    void skipsUnknownChunksBeforeTheAudio() {
        byte[] plain = Wavs.mulaw8k(100);
        byte[] list = {'L', 'I', 'S', 'T', 3, 0, 0, 0, 'a', 'b', 'c', 0};
        byte[] withList = new byte[plain.length + list.length];
        System.arraycopy(plain, 0, withList, 0, 36);
        System.arraycopy(list, 0, withList, 36, list.length);
        System.arraycopy(plain, 36, withList, 36 + list.length, plain.length - 36);
        assertThat(WavInfo.inspect(withList).durationMillis()).isEqualTo(100);
    }

    @Test
    void refusesStereoWith415() {
        assertRefused(Wavs.wav(Wavs.PCM, 2, 16000, 16, 100), UNSUPPORTED, "channels", "must be mono (1 channel); this file has 2");
    }

    @Test
    void refuses44kWith415() {
        assertRefused(Wavs.wav(Wavs.PCM, 1, 44100, 16, 100), UNSUPPORTED, "sampleRate",
                "must be 8000 or 16000 Hz; this file has 44100 Hz");
    }

    @Test
    void refuses8BitPcmWith415() {
        assertRefused(Wavs.wav(Wavs.PCM, 1, 8000, 8, 100), UNSUPPORTED, "encoding",
                "must be 16-bit PCM, G.711 mu-law or G.711 A-law; this file is 8-bit PCM");
    }

    @Test
    void refusesMp3BytesWith415() {
        assertRefused(Wavs.mp3(), UNSUPPORTED, "body", "is not a RIFF/WAVE file (it looks like MP3 data)");
    }

    @Test
    void refusesTruncatedHeaderWith400() {
        assertRefused(Wavs.truncatedHeader(), INVALID, "body", "the 'fmt ' chunk is truncated (10 of at least 16 bytes)");
        assertRefused(Arrays.copyOf(Wavs.mulaw8k(10), 8), INVALID, "body",
                "the RIFF header is truncated (8 bytes; a WAV header needs at least 44)");
    }

    @Test
    void refusesTruncatedAudioWith400() {
        byte[] wav = Wavs.mulaw8k(1000);
        assertRefused(Arrays.copyOf(wav, 500), INVALID, "body",
                "the 'data' chunk declares 8000 bytes but only 456 follow (truncated file)");
    }

    @Test
    void refusesMoreThan120Seconds() {
        assertThat(WavInfo.inspect(Wavs.mulaw8k(120_000)).durationMillis()).isEqualTo(120_000);
        assertRefused(Wavs.mulaw8k(121_000), INVALID, "duration", "must be at most 120 seconds; this file is 121 seconds");
    }

    @Test
    void refusesAnEmptyBody() {
        assertRefused(new byte[0], INVALID, "body", "the body is empty; send a WAV file");
    }

    private static void assertRefused(byte[] bytes, Problem.Kind kind, String field, String reason) {
        assertThatThrownBy(() -> WavInfo.inspect(bytes)).isInstanceOfSatisfying(Problem.class, e -> {
            assertThat(e.kind()).isEqualTo(kind);
            assertThat(e.errors()).containsExactly(new FieldError(field, reason));
        });
    }
}
