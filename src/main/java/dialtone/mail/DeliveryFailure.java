package dialtone.mail;

import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.eclipse.angus.mail.util.MailConnectException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

/**
 * Why a delivery failed, whether trying again can help (a 5xx refusal cannot; a dead server can), and
 * whether the server could not be reached at all (then the other pending e-mails need not try now).
 * {@code reason} is what tenant admins see: the server's words about an address, otherwise only the kind of
 * failure; {@code detail} (the mail server's host, port and full messages) goes to the operator's log only.
 */
record DeliveryFailure(boolean permanent, boolean unreachable, String reason, String detail) {

    static final int MAX_REASON = 900;

    static DeliveryFailure of(Exception e) {
        Integer code = smtpCode(e);
        boolean unreachable = code == null && unreachable(e);
        String reason;
        if (code != null) {
            String addressText = addressRefusal(e);
            reason = "SMTP " + code + (addressText == null ? ": the mail server refused the message"
                    : ": " + addressText);
        } else if (unreachable) {
            reason = "the mail server could not be reached; the operator's log has the details";
        } else {
            reason = kind(e) + "; the operator's log has the details";
        }
        return new DeliveryFailure(code != null && code >= 500 && code < 600, unreachable, cut(reason),
                cut(describe(e)));
    }

    private static String cut(String text) {
        return text.length() > MAX_REASON ? text.substring(0, MAX_REASON) : text;
    }

    private static String kind(Throwable e) {
        for (Throwable t = e; t != null; t = next(t)) {
            if (t instanceof jakarta.mail.AuthenticationFailedException) {
                return "the mail server refused Dialtone's login";
            }
            if (t instanceof javax.net.ssl.SSLException) {
                return "TLS with the mail server failed";
            }
        }
        String own = oneLine(e.getMessage());
        return own.toLowerCase().contains("starttls") ? "the mail server does not offer STARTTLS, which is required"
                : "the mail server could not take the message";
    }

    private static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = next(t)) {
            if (t instanceof MailConnectException || t instanceof ConnectException
                    || t instanceof SocketTimeoutException || t instanceof UnknownHostException) {
                return true;
            }
        }
        return false;
    }

    /** The server's reply code, from the most specific SMTP exception in the chain. */
    private static Integer smtpCode(Throwable e) {
        for (Throwable t = e; t != null; t = next(t)) {
            if (t instanceof SMTPAddressFailedException a) {
                return a.getReturnCode();
            }
            if (t instanceof SMTPSenderFailedException s) {
                return s.getReturnCode();
            }
            if (t instanceof SMTPSendFailedException s && s.getReturnCode() > 0) {
                Integer nested = smtpCode(s.getNextException());
                return nested != null ? nested : s.getReturnCode();
            }
        }
        return null;
    }

    /** The server's words about a refused address (about the recipient or sender, not the server itself). */
    private static String addressRefusal(Throwable e) {
        for (Throwable t = e; t != null; t = next(t)) {
            if (t instanceof SMTPAddressFailedException || t instanceof SMTPSenderFailedException) {
                return oneLine(t.getMessage());
            }
        }
        return null;
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (next(root) != null) {
            root = next(root);
        }
        String own = oneLine(e.getMessage());
        return root == e ? e.getClass().getSimpleName() + ": " + own
                : own + " (" + root.getClass().getSimpleName() + ": " + oneLine(root.getMessage()) + ")";
    }

    /** The next exception of the chain (Jakarta Mail's getCause() is its "next exception"). */
    private static Throwable next(Throwable t) {
        return t.getCause() == t ? null : t.getCause();
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\s+", " ").strip();
    }
}
