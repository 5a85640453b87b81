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
 */
record DeliveryFailure(boolean permanent, boolean unreachable, String reason) {

    static final int MAX_REASON = 900;

    static DeliveryFailure of(Exception e) {
        Integer code = smtpCode(e);
        String reason;
        if (code != null) {
            reason = "SMTP " + code + ": " + serverText(e);
        } else {
            reason = describe(e);
        }
        if (reason.length() > MAX_REASON) {
            reason = reason.substring(0, MAX_REASON);
        }
        return new DeliveryFailure(code != null && code >= 500 && code < 600, code == null && unreachable(e), reason);
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

    private static String serverText(Throwable e) {
        for (Throwable t = e; t != null; t = next(t)) {
            if (t instanceof SMTPAddressFailedException || t instanceof SMTPSenderFailedException) {
                return oneLine(t.getMessage());
            }
        }
        return oneLine(e.getMessage());
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
