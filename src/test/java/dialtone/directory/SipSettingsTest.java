package dialtone.directory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SipSettingsTest {

    final SipSettings configured = SipSettings.defaults("sip.example.com", 5060, "", "udp", "");

    @Test
    void accountWithoutOverridesShouldUseTheConfigurationWithDomainAndRealmFollowingTheRegistrar() {
        assertThat(configured.withoutAccount())
                .isEqualTo(new SipSettings("sip.example.com", 5060, "sip.example.com", "udp", "sip.example.com"));
    }

    @Test
    void eachAccountOverrideShouldWinAndDomainAndRealmShouldFollowTheAccountsOwn() {
        assertThat(configured.forAccount(new AccountSip(null, "pbx.acme.example", null, null, null)))
                .isEqualTo(new SipSettings("pbx.acme.example", 5060, "pbx.acme.example", "udp", "pbx.acme.example"));
        assertThat(configured.forAccount(new AccountSip("acme.example", null, 5080, "tls", null)))
                .isEqualTo(new SipSettings("sip.example.com", 5080, "acme.example", "tls", "acme.example"));
        assertThat(configured.forAccount(new AccountSip("acme.example", null, null, null, "realm.acme.example")).realm())
                .isEqualTo("realm.acme.example");
    }

    @Test
    void configuredDomainAndRealmShouldHoldForAccountsThatSetNeither() {
        SipSettings withRealm = SipSettings.defaults("sip.example.com", 5060, "example.com", "udp", "voip");
        assertThat(withRealm.withoutAccount().domain()).isEqualTo("example.com");
        assertThat(withRealm.withoutAccount().realm()).isEqualTo("voip");
        assertThat(withRealm.forAccount(new AccountSip("acme.example", null, null, null, null)).realm())
                .isEqualTo("acme.example");
    }

    @Test
    void domainShouldMatchWithoutRegardToCase() {
        assertThat(configured.withoutAccount().isDomain("SIP.Example.COM")).isTrue();
        assertThat(configured.withoutAccount().isDomain("other.example")).isFalse();
        assertThat(configured.withoutAccount().isDomain(null)).isFalse();
    }
}
