package dialtone.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dialtone.testing.VendorPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where each vendor puts the MAC, and what never proves one. */
class DeviceCertificateVerifierTest {

    @TempDir
    Path vendors;

    @Test
    void readsTheMacFromCnStOrSanAsEachVendorsSidecarSays() throws Exception {
        VendorPki yealink = new VendorPki("yealink");
        yealink.install(vendors, "mac-in: cn\n");
        VendorPki cisco = new VendorPki("cisco");
        cisco.install(vendors, "vendor: Cisco\nmac-in: st\n");
        VendorPki snom = new VendorPki("snom");
        snom.install(vendors, "mac-in: san\n");
        DeviceCertificateVerifier verifier = DeviceCertificateVerifier.load(vendors);

        assertThat(verifier.rootCount()).isEqualTo(3);
        assertThat(verifier.verify(yealink.device("CN=00:15:65:AA:BB:CC").chain(), Instant.now()).mac())
                .isEqualTo("001565aabbcc");
        assertThat(verifier.verify(cisco.device("CN=CP-8841-SEP0011223344AA, ST=0011223344AA, O=Cisco").chain(),
                Instant.now()).mac()).isEqualTo("0011223344aa");
        assertThat(verifier.verify(snom.device("CN=snom D785", "000413aabbcc.snom.example", Instant.now().minusSeconds(60),
                Instant.now().plusSeconds(3600)).chain(), Instant.now()).mac()).isEqualTo("000413aabbcc");
        // A Cisco certificate read as Cisco: the MAC in its CN is not where Cisco puts it.
        assertThat(verifier.verify(cisco.device("CN=0011223344bb, O=Cisco").chain(), Instant.now()).reason())
                .isEqualTo("certificate-without-mac");
    }

    @Test
    void aCrlPastItsNextUpdateVouchesForNothing() throws Exception {
        VendorPki pki = new VendorPki("v");
        pki.install(vendors, "mac-in: cn\n");
        VendorPki.Identity other = pki.device("CN=001565000001");
        pki.revoke(other, vendors);
        VendorPki.Identity device = pki.device("CN=001565aabbcc");
        DeviceCertificateVerifier verifier = DeviceCertificateVerifier.load(vendors);

        assertThat(verifier.verify(device.chain(), Instant.now()).proven()).isTrue();
        assertThat(verifier.verify(device.chain(), Instant.now().plus(java.time.Duration.ofDays(8))).proven()).isFalse();
    }

    @Test
    void twoMacsInOneCertificateProveNeither() throws Exception {
        VendorPki pki = new VendorPki("v");
        pki.install(vendors, "mac-in: cn\n");
        DeviceCertificateVerifier verifier = DeviceCertificateVerifier.load(vendors);
        assertThat(verifier.verify(pki.device("CN=001565aabbcc 001565aabbcd").chain(), Instant.now()).proven()).isFalse();
    }

    @Test
    void noRootsMeansNoCertificateProvesAnything() throws Exception {
        VendorPki pki = new VendorPki("v");
        DeviceCertificateVerifier verifier = DeviceCertificateVerifier.load(vendors.resolve("absent"));
        assertThat(verifier.verify(pki.device("CN=001565aabbcc").chain(), Instant.now()).reason())
                .isEqualTo("certificate-untrusted");
        assertThat(verifier.verify(List.of(), Instant.now()).reason()).isEqualTo("no-certificate");
    }

    @Test
    void aRootWithoutSidecarOrWithABadOneStopsTheStartNamingTheFile() throws Exception {
        VendorPki pki = new VendorPki("v");
        pki.install(vendors, "mac-in: serial\n");
        assertThatThrownBy(() -> DeviceCertificateVerifier.load(vendors)).hasMessageContaining("v.yaml")
                .hasMessageContaining("mac-in 'serial'");
        Files.delete(vendors.resolve("v.yaml"));
        assertThatThrownBy(() -> DeviceCertificateVerifier.load(vendors)).hasMessageContaining("has no sidecar");
    }
}
