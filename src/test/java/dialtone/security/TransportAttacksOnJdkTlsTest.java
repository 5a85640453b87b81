package dialtone.security;

/** Every transport case again, with TLS run by the JDK (where OpenSSL cannot load, or tls.provider is jdk). */
class TransportAttacksOnJdkTlsTest extends TransportAttacksTest {

    @Override
    String provider() {
        return "jdk";
    }

    @Override
    String providerLogName() {
        return "JDK";
    }
}
