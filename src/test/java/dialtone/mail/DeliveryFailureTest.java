package dialtone.mail;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.InternetAddress;
import java.net.ConnectException;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.util.MailConnectException;
import org.eclipse.angus.mail.util.SocketConnectException;
import org.junit.jupiter.api.Test;

class DeliveryFailureTest {

    private static SendFailedException refused(int code, String text) throws Exception {
        InternetAddress to = new InternetAddress("nobody@example.com");
        return new SendFailedException("Invalid Addresses", new SMTPAddressFailedException(to, "RCPT TO:<nobody@example.com>",
                code, code + " " + text), new Address[0], new Address[0], new Address[] {to});
    }

    @Test
    void aFiveHundredRefusalIsPermanentWithTheServersWords() throws Exception {
        DeliveryFailure failure = DeliveryFailure.of(refused(550, "5.1.1 User unknown"));
        assertThat(failure.permanent()).isTrue();
        assertThat(failure.unreachable()).isFalse();
        assertThat(failure.reason()).isEqualTo("SMTP 550: 550 5.1.1 User unknown");
    }

    @Test
    void aFourHundredRefusalIsRetried() throws Exception {
        DeliveryFailure failure = DeliveryFailure.of(refused(451, "4.7.1 Greylisted, try again later"));
        assertThat(failure.permanent()).isFalse();
        assertThat(failure.reason()).isEqualTo("SMTP 451: 451 4.7.1 Greylisted, try again later");
    }

    @Test
    void anUnreachableServerIsRetriedAndStopsThePass() {
        MessagingException down = new MailConnectException(new SocketConnectException("Using socket factory",
                new ConnectException("Connection refused"), "127.0.0.1", 2525, 1000));
        DeliveryFailure failure = DeliveryFailure.of(down);
        assertThat(failure.permanent()).isFalse();
        assertThat(failure.unreachable()).isTrue();
        assertThat(failure.reason()).isEqualTo("the mail server could not be reached; the operator's log has the details");
        assertThat(failure.detail()).contains("127.0.0.1", "2525", "Connection refused");
    }

    @Test
    void aRefusalThatIsNotAboutAnAddressShowsOnlyItsCodeNotTheServersWords() throws Exception {
        MessagingException refused = new org.eclipse.angus.mail.smtp.SMTPSendFailedException("DATA", 554,
                "554 mx1.internal.example.com rejected: policy", null, new Address[0], new Address[0], new Address[0]);
        DeliveryFailure failure = DeliveryFailure.of(refused);
        assertThat(failure.permanent()).isTrue();
        assertThat(failure.reason()).isEqualTo("SMTP 554: the mail server refused the message");
        assertThat(failure.detail()).contains("mx1.internal.example.com");
    }
}
